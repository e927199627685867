// Serial scales and scanners over real links: a pty pair with a simulated device on the master side,
// and a loopback TCP listener for network scales. These cover what a umockdev script cannot: the
// device going away (tty hang-up → EIO, TCP reset / close), writes the driver makes on request
// (zero), and open errors.

#include "retour/drivers/device.h"
#include "retour/drivers/scale_control.h"

#include <arpa/inet.h>
#include <functional>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <string>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>
#include <vector>

namespace retour::drivers {
namespace {

using namespace std::chrono_literals;

// The master side of a pty: the simulated device.
class PtyDevice
{
public:
    PtyDevice()
    {
        int slave = -1;
        char name[64] = {};
        if (::openpty(&master_, &slave, name, nullptr, nullptr) != 0) {
            return;
        }
        termios tio{};
        ::tcgetattr(slave, &tio);
        ::cfmakeraw(&tio);
        ::tcsetattr(slave, TCSANOW, &tio);
        ::close(slave); // the driver opens it by name
        path_ = name;
    }
    ~PtyDevice() { hangUp(); }
    PtyDevice(const PtyDevice&) = delete;
    PtyDevice& operator=(const PtyDevice&) = delete;

    const std::string& path() const { return path_; }
    int fd() const { return master_; }
    void send(const std::string& bytes)
    {
        ASSERT_EQ(::write(master_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    }
    // What the driver wrote so far (non-blocking).
    std::string received()
    {
        std::string out;
        char buf[256];
        pollfd p{master_, POLLIN, 0};
        while (master_ >= 0 && ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN) != 0) {
            const ssize_t n = ::read(master_, buf, sizeof buf);
            if (n <= 0) {
                break;
            }
            out.append(buf, static_cast<std::size_t>(n));
        }
        return out;
    }
    void hangUp()
    {
        if (master_ >= 0) {
            ::close(master_);
            master_ = -1;
        }
    }

private:
    int master_ = -1;
    std::string path_;
};

// A loopback listener on a free port.
class TcpDevice
{
public:
    TcpDevice()
    {
        listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        ::listen(listener_, 1);
        socklen_t len = sizeof addr;
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
    }
    ~TcpDevice()
    {
        close(false);
        ::close(listener_);
    }
    TcpDevice(const TcpDevice&) = delete;
    TcpDevice& operator=(const TcpDevice&) = delete;

    int port() const { return port_; }
    int fd() const { return peer_; }
    // Accept the driver's connection when it is pending.
    void acceptPending()
    {
        pollfd p{listener_, POLLIN, 0};
        if (peer_ < 0 && ::poll(&p, 1, 0) == 1) {
            peer_ = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        }
    }
    void send(const std::string& bytes)
    {
        ASSERT_EQ(::send(peer_, bytes.data(), bytes.size(), MSG_NOSIGNAL),
                  static_cast<ssize_t>(bytes.size()));
    }
    std::string received()
    {
        std::string out;
        char buf[256];
        pollfd p{peer_, POLLIN, 0};
        while (peer_ >= 0 && ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN) != 0) {
            const ssize_t n = ::recv(peer_, buf, sizeof buf, 0);
            if (n <= 0) {
                break;
            }
            out.append(buf, static_cast<std::size_t>(n));
        }
        return out;
    }
    // Close the connection; with `reset` an RST instead of a FIN (SO_LINGER 0).
    void close(bool reset)
    {
        if (peer_ < 0) {
            return;
        }
        if (reset) {
            linger l{1, 0};
            ::setsockopt(peer_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        }
        ::close(peer_);
        peer_ = -1;
    }

private:
    int listener_ = -1;
    int peer_ = -1;
    int port_ = 0;
};

struct Seen
{
    std::vector<DeviceEvent> events;
    std::size_t count(auto pred) const
    {
        return static_cast<std::size_t>(std::count_if(events.begin(), events.end(), pred));
    }
    bool offline() const { return !events.empty() && std::holds_alternative<DeviceOffline>(events.back()); }
    std::string offlineReason() const
    {
        return offline() ? std::get<DeviceOffline>(events.back()).reason : "";
    }
    std::vector<Weight> weights() const
    {
        std::vector<Weight> out;
        for (const auto& e : events) {
            if (const auto* w = std::get_if<Weight>(&e)) {
                out.push_back(*w);
            }
        }
        return out;
    }
};

// Drive `device` as the station loop does; `step` plays the device between rounds. Stops when
// `done` holds, the device closes, or after 5 s.
Seen drive(InputDevice& device, const std::function<void()>& step,
           const std::function<bool(const Seen&)>& done)
{
    Seen seen;
    const auto giveUp = Clock::now() + 5s;
    while (Clock::now() < giveUp && device.isOpen() && !done(seen)) {
        step();
        const auto now = Clock::now();
        const auto deadline = std::min({device.nextDeadline(), now + 20ms});
        pollfd p{device.fd(), POLLIN, 0};
        ::poll(&p, 1,
               deadline <= now
                   ? 0
                   : static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count()));
        for (auto& e : device.service(Clock::now())) {
            seen.events.push_back(std::move(e));
        }
    }
    return seen;
}

std::unique_ptr<InputDevice> make(const std::string& text)
{
    auto uri = parseDeviceUri(text);
    EXPECT_TRUE(uri) << (uri ? "" : uri.error().message);
    auto device = makeInputDevice(*uri, DeviceContext{});
    EXPECT_TRUE(device) << (device ? "" : device.error().message);
    return device ? std::move(*device) : nullptr;
}

// An MT-SICS balance on the master side: @ → serial number, SI → the next reading.
struct MtSicsSim
{
    std::vector<std::string> readings;
    std::size_t answered = 0;
    std::string pending{};
    std::string zeroSeen{};

    template <class Link> void step(Link& link)
    {
        pending += link.received();
        for (auto end = pending.find("\r\n"); end != std::string::npos; end = pending.find("\r\n")) {
            const std::string command = pending.substr(0, end);
            pending.erase(0, end + 2);
            if (command == "@") {
                link.send("I4 A \"B987654321\"\r\n");
            } else if (command == "SI" && answered < readings.size()) {
                link.send(readings[answered++] + "\r\n");
            } else if (command == "Z") {
                zeroSeen += command;
                link.send("Z A\r\n");
            }
        }
    }
};

TEST(SerialScaleLink, MtSicsOverPtyReportsReadingsThenOfflineWhenTheTtyHangsUp)
{
    PtyDevice pty;
    ASSERT_FALSE(pty.path().empty());
    auto scale = make("tty:" + pty.path() + "?protocol=mt-sics&baud=9600&frame=8N1&flow=none&poll_ms=10");
    ASSERT_TRUE(scale);
    ASSERT_TRUE(scale->open());
    MtSicsSim sim{{"S D      10.00 g", "S S      20.00 g"}, 0, {}, {}};
    auto* control = scaleControl(*scale);
    ASSERT_NE(control, nullptr);
    bool zeroed = false;
    const Seen seen = drive(
        *scale,
        [&] {
            sim.step(pty);
            if (sim.answered == 2 && !zeroed) {
                zeroed = control->zero().has_value();
            } else if (zeroed && !sim.zeroSeen.empty()) {
                pty.hangUp(); // the USB serial adapter is pulled
            }
        },
        [](const Seen&) { return false; });
    ASSERT_TRUE(seen.offline());
    EXPECT_NE(seen.offlineReason().find(pty.path()), std::string::npos) << seen.offlineReason();
    ASSERT_TRUE(std::holds_alternative<DeviceOnline>(seen.events.front()));
    EXPECT_NE(std::get<DeviceOnline>(seen.events.front()).description.find("B987654321"), std::string::npos);
    const auto weights = seen.weights();
    ASSERT_EQ(weights.size(), 2u);
    EXPECT_EQ(weights[0].status, WeightStatus::InMotion);
    EXPECT_DOUBLE_EQ(weights[1].grams, 20.0);
    EXPECT_TRUE(weights[1].stable);
    EXPECT_EQ(sim.zeroSeen, "Z");
    EXPECT_FALSE(scale->isOpen());
}

TEST(SerialScaleLink, MtSicsOverTcpReportsOfflineOnConnectionReset)
{
    TcpDevice tcp;
    auto scale = make("tcp:127.0.0.1:" + std::to_string(tcp.port()) + "?protocol=mt-sics&poll_ms=10");
    ASSERT_TRUE(scale);
    ASSERT_TRUE(scale->open());
    MtSicsSim sim{{"S S     1.250 kg", "S S     1.250 kg", "S D     1.300 kg"}, 0, {}, {}};
    const Seen seen = drive(
        *scale,
        [&] {
            tcp.acceptPending();
            if (tcp.fd() < 0) {
                return;
            }
            sim.step(tcp);
            if (sim.answered == 3) {
                tcp.close(true);
            }
        },
        [](const Seen&) { return false; });
    ASSERT_TRUE(seen.offline());
    EXPECT_NE(seen.offlineReason().find("127.0.0.1"), std::string::npos) << seen.offlineReason();
    const auto weights = seen.weights();
    ASSERT_EQ(weights.size(), 2u); // the repeat is not reported
    EXPECT_DOUBLE_EQ(weights[0].grams, 1250.0);
    EXPECT_EQ(weights[0].deviceUnit, "kg");
    EXPECT_EQ(weights[1].status, WeightStatus::InMotion);
}

TEST(SerialScaleLink, MtSicsOverTcpComesBackOnlineWhenReopenedAfterAReset)
{
    TcpDevice tcp;
    auto scale = make("tcp:127.0.0.1:" + std::to_string(tcp.port()) + "?protocol=mt-sics&poll_ms=10");
    ASSERT_TRUE(scale);
    for (int session = 0; session < 2; ++session) {
        ASSERT_TRUE(scale->open()) << "session " << session;
        MtSicsSim sim{{"S S     " + std::to_string(100 + session) + ".00 g"}, 0, {}, {}};
        const Seen seen = drive(
            *scale,
            [&] {
                tcp.acceptPending();
                if (tcp.fd() < 0) {
                    return;
                }
                sim.step(tcp);
                if (sim.answered == 1 && tcp.received().empty()) {
                    tcp.close(true); // the network scale reboots
                }
            },
            [](const Seen&) { return false; });
        ASSERT_TRUE(seen.offline()) << "session " << session;
        ASSERT_TRUE(std::holds_alternative<DeviceOnline>(seen.events.front()));
        ASSERT_EQ(seen.weights().size(), 1u);
        EXPECT_DOUBLE_EQ(seen.weights()[0].grams, 100.0 + session) << "a re-opened scale reports afresh";
    }
}

TEST(SerialScaleLink, SmaOverTcpReportsOfflineWhenThePeerCloses)
{
    TcpDevice tcp;
    auto scale = make("tcp:127.0.0.1:" + std::to_string(tcp.port()) + "?protocol=sma&poll_ms=10");
    ASSERT_TRUE(scale);
    ASSERT_TRUE(scale->open());
    int answered = 0;
    const Seen seen = drive(
        *scale,
        [&] {
            tcp.acceptPending();
            if (tcp.fd() < 0) {
                return;
            }
            const std::string got = tcp.received();
            if (got.find("\nW\r") != std::string::npos) {
                if (++answered > 2) {
                    tcp.close(false);
                    return;
                }
                tcp.send("\n 1G       2.500  kg\r");
            }
        },
        [](const Seen&) { return false; });
    ASSERT_TRUE(seen.offline());
    EXPECT_NE(seen.offlineReason().find("closed the connection"), std::string::npos) << seen.offlineReason();
    ASSERT_EQ(seen.weights().size(), 1u);
    EXPECT_DOUBLE_EQ(seen.weights()[0].grams, 2500.0);
}

TEST(SerialScannerLink, ScanThenOfflineWhenTheTtyHangsUp)
{
    PtyDevice pty;
    auto scanner = make("tty:" + pty.path() + "?protocol=serial-scanner&baud=115200");
    ASSERT_TRUE(scanner);
    ASSERT_TRUE(scanner->open());
    bool sent = false;
    const Seen seen = drive(
        *scanner,
        [&] {
            if (!sent) {
                pty.send("]E09780201379629\r]C0PART");
                sent = true;
            }
        },
        [&](const Seen& s) {
            if (s.count([](const DeviceEvent& e) { return std::holds_alternative<Scan>(e); }) == 1) {
                pty.hangUp();
            }
            return false;
        });
    ASSERT_TRUE(seen.offline());
    ASSERT_EQ(seen.count([](const DeviceEvent& e) { return std::holds_alternative<Scan>(e); }), 1u)
        << "the partial scan of a vanished scanner is dropped";
    const auto& scan = std::get<Scan>(seen.events[1]);
    EXPECT_EQ(scan.text, "9780201379629");
    EXPECT_EQ(scan.aimId, "]E0");
}

TEST(HidrawScaleLink, ZeroWritesOutputReportTwoAndHangUpIsOffline)
{
    PtyDevice pty; // stands in for /dev/hidrawN: same read()/write() contract
    auto scale = make("hidraw:" + pty.path());
    ASSERT_TRUE(scale);
    ASSERT_TRUE(scale->open());
    auto* control = scaleControl(*scale);
    ASSERT_NE(control, nullptr);
    ASSERT_TRUE(control->zero());
    EXPECT_EQ(pty.received(), std::string("\x02\x02", 2));
    pty.send(std::string("\x03\x04\x02\x00\x64\x00", 6)); // stale first report, dropped
    pty.send(std::string("\x03\x04\x02\x00\xC8\x00", 6)); // 200 g
    const Seen seen = drive(
        *scale, [] {},
        [&](const Seen& s) {
            if (s.weights().size() == 1) {
                pty.hangUp();
            }
            return false;
        });
    ASSERT_TRUE(seen.offline());
    ASSERT_EQ(seen.weights().size(), 1u);
    EXPECT_DOUBLE_EQ(seen.weights()[0].grams, 200.0);
}

TEST(SerialLinkOpen, ErrorsNameTheDeviceAndSayWhatToDo)
{
    auto missing = make("tty:/dev/retour-no-such-tty?protocol=mt-sics");
    ASSERT_TRUE(missing);
    const auto opened = missing->open();
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::NotFound);
    EXPECT_NE(opened.error().message.find("/dev/retour-no-such-tty"), std::string::npos);

    int port = 0;
    {
        TcpDevice closed; // take a free port, then stop listening on it
        port = closed.port();
    }
    auto refused = make("tcp:127.0.0.1:" + std::to_string(port) + "?protocol=nci&timeout_ms=500");
    ASSERT_TRUE(refused);
    const auto connected = refused->open();
    ASSERT_FALSE(connected);
    EXPECT_EQ(connected.error().code, ErrorCode::Disconnected);
    EXPECT_NE(connected.error().message.find("127.0.0.1"), std::string::npos);

    auto notTty = make("tty:/dev/null?protocol=sma");
    ASSERT_TRUE(notTty);
    const auto nullOpen = notTty->open();
    ASSERT_FALSE(nullOpen);
    EXPECT_EQ(nullOpen.error().code, ErrorCode::NotSupported) << nullOpen.error().message;
}

} // namespace
} // namespace retour::drivers
