// The real ZPL-over-TCP driver against a loopback listener that plays a Zebra on port 9100: it
// records the bytes of every connection and answers ~HS (and, when scripted, ~HQES) with a scripted
// status (devices.md §4.2-4.4). A printer that leaves ~HQES unanswered is asked ~HS alone afterwards.

#include "retour/drivers/device.h"

#include <arpa/inet.h>
#include <atomic>
#include <gtest/gtest.h>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace retour::drivers {
namespace {

using namespace std::chrono_literals;

const std::string kReady = "\x02"
                           "030,0,0,1218,000,0,0,0,000,0,0,0\x03\r\n"
                           "\x02"
                           "001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n"
                           "\x02"
                           "1234,0\x03\r\n";
const std::string kPaperOut = "\x02"
                              "030,1,1,1218,000,0,0,0,000,0,0,0\x03\r\n"
                              "\x02"
                              "001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n"
                              "\x02"
                              "1234,0\x03\r\n";
const std::string kHqesReady = "\x02\r\n\r\n  PRINTER STATUS\r\n    ERRORS:         0 00000000 00000000\r\n"
                               "    WARNINGS:       0 00000000 00000000\r\n\x03\r\n";
const std::string kHqesCutter = "\x02\r\n\r\n  PRINTER STATUS\r\n    ERRORS:         1 00000000 00000008\r\n"
                                "    WARNINGS:       0 00000000 00000000\r\n\x03\r\n";
const std::string kHeadOpen = "\x02"
                              "030,0,0,1218,000,0,0,0,000,0,0,0\x03\r\n"
                              "\x02"
                              "001,0,1,0,1,2,6,0,00000000,1,000\x03\r\n"
                              "\x02"
                              "1234,0\x03\r\n";

// A fake printer on 127.0.0.1:<free port>. Each accepted connection takes the next behaviour.
class FakeZebra
{
public:
    enum class Mode
    {
        Answer, // answer ~HS with `reply`, then record everything until the client closes
        Close,  // close at once
        Silent, // never answer; record until the client closes
    };
    struct Behaviour
    {
        Mode mode;
        std::string reply;
        std::string hqes{}; // the ~HQES answer; empty: ~HQES is ignored (older firmware)
    };

    explicit FakeZebra(std::vector<Behaviour> script) : script_(std::move(script))
    {
        listen_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        EXPECT_EQ(::bind(listen_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
        EXPECT_EQ(::listen(listen_, 8), 0);
        socklen_t len = sizeof addr;
        ::getsockname(listen_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { run(); });
    }

    ~FakeZebra()
    {
        stop_ = true;
        thread_.join();
        ::close(listen_);
    }

    int port() const { return port_; }
    std::string uri(int timeoutMs = 3000) const
    {
        return "tcp:127.0.0.1:" + std::to_string(port_) +
               "?protocol=zpl&timeout_ms=" + std::to_string(timeoutMs);
    }

    // The bytes received on each finished connection, in order.
    std::vector<std::string> received()
    {
        std::lock_guard lock(mutex_);
        return received_;
    }

    // Waits until `n` connections are finished (the listener records after the client's close).
    std::vector<std::string> waitForConnections(std::size_t n)
    {
        const auto giveUp = std::chrono::steady_clock::now() + 10s;
        while (std::chrono::steady_clock::now() < giveUp) {
            {
                std::lock_guard lock(mutex_);
                if (received_.size() >= n) {
                    return received_;
                }
            }
            std::this_thread::sleep_for(5ms);
        }
        return received();
    }

private:
    bool readable(int fd, int ms)
    {
        pollfd p{fd, POLLIN, 0};
        return ::poll(&p, 1, ms) > 0;
    }

    void run()
    {
        std::size_t index = 0;
        while (!stop_) {
            if (!readable(listen_, 20)) {
                continue;
            }
            const int fd = ::accept4(listen_, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) {
                continue;
            }
            const Behaviour b = index < script_.size() ? script_[index] : Behaviour{Mode::Close, ""};
            ++index;
            std::string bytes;
            if (b.mode != Mode::Close) {
                bool answered = false;
                bool answeredHqes = false;
                while (!stop_) {
                    if (!readable(fd, 20)) {
                        continue;
                    }
                    char chunk[65536];
                    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
                    if (n <= 0) {
                        break;
                    }
                    bytes.append(chunk, static_cast<std::size_t>(n));
                    if (!answered && bytes.find("~HS") != std::string::npos && b.mode != Mode::Silent) {
                        answered = true;
                        ::send(fd, b.reply.data(), b.reply.size(), MSG_NOSIGNAL);
                    }
                    if (!answeredHqes && bytes.find("~HQES") != std::string::npos && !b.hqes.empty()) {
                        answeredHqes = true;
                        ::send(fd, b.hqes.data(), b.hqes.size(), MSG_NOSIGNAL);
                    }
                }
            }
            ::close(fd);
            std::lock_guard lock(mutex_);
            received_.push_back(bytes);
        }
    }

    std::vector<Behaviour> script_;
    int listen_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
    std::mutex mutex_;
    std::vector<std::string> received_;
};

std::unique_ptr<LabelPrinter> makePrinter(const std::string& text)
{
    auto uri = parseDeviceUri(text);
    EXPECT_TRUE(uri) << (uri ? "" : uri.error().message);
    auto printer = makeLabelPrinter(*uri, DeviceContext{});
    EXPECT_TRUE(printer) << (printer ? "" : printer.error().message);
    return printer ? std::move(*printer) : nullptr;
}

const LabelJob kJob{"item-0001-label", "^XA^CI28^PW812^LL1218^FO40,40^A0N,56,56^FDRETURN RECEIVED^FS^XZ"};

TEST(ZplTcpPrinter, StatusReady)
{
    FakeZebra zebra({{FakeZebra::Mode::Answer, kReady, kHqesReady}});
    auto printer = makePrinter(zebra.uri());
    const auto status = printer->status();
    ASSERT_TRUE(status) << status.error().message;
    EXPECT_TRUE(status->ready);
    EXPECT_FALSE(status->paperOut);
    EXPECT_EQ(zebra.waitForConnections(1).at(0), "~HS~HQES");
}

TEST(ZplTcpPrinter, ReadyThenPaperOut)
{
    FakeZebra zebra(
        {{FakeZebra::Mode::Answer, kReady, kHqesReady}, {FakeZebra::Mode::Answer, kPaperOut, kHqesReady}});
    auto printer = makePrinter(zebra.uri());

    const auto printed = printer->print(kJob);
    ASSERT_TRUE(printed) << printed.error().message;

    const LabelJob second{"item-0002-label", "^XA^FDsecond^FS^XZ"};
    const auto refused = printer->print(second);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::Refused);
    EXPECT_NE(refused.error().message.find("paper out"), std::string::npos) << refused.error().message;
    EXPECT_NE(refused.error().message.find("item-0002-label"), std::string::npos) << refused.error().message;

    const auto received = zebra.waitForConnections(2);
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[0], "~HS~HQES" + kJob.zpl); // the job bytes arrive exactly as given
    EXPECT_EQ(received[1], "~HS~HQES");            // nothing sent to a printer out of paper
}

TEST(ZplTcpPrinter, HeadOpenIsRefused)
{
    FakeZebra zebra({{FakeZebra::Mode::Answer, kHeadOpen}});
    auto printer = makePrinter(zebra.uri());
    const auto refused = printer->print(kJob);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::Refused);
    EXPECT_NE(refused.error().message.find("head open"), std::string::npos);
    EXPECT_EQ(zebra.waitForConnections(1).at(0), "~HS~HQES"); // ~HQES unanswered: ~HS decides
}

TEST(ZplTcpPrinter, SameJobIdIsPrintedOnce)
{
    FakeZebra zebra({{FakeZebra::Mode::Answer, kReady}, {FakeZebra::Mode::Answer, kReady}});
    auto printer = makePrinter(zebra.uri());
    ASSERT_TRUE(printer->print(kJob));
    ASSERT_TRUE(printer->print(kJob)); // a retry: success, nothing sent
    const LabelJob other{"item-0003-label", kJob.zpl};
    ASSERT_TRUE(printer->print(other)); // same content, other id: printed
    const auto received = zebra.waitForConnections(2);
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[0], "~HS~HQES" + kJob.zpl);
    EXPECT_EQ(received[1], "~HS" + kJob.zpl); // ~HQES went unanswered once: not asked again
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(zebra.received().size(), 2u);
}

TEST(ZplTcpPrinter, ReprintIsSentAgain)
{
    FakeZebra zebra(
        {{FakeZebra::Mode::Answer, kReady, kHqesReady}, {FakeZebra::Mode::Answer, kReady, kHqesReady}});
    auto printer = makePrinter(zebra.uri());
    ASSERT_TRUE(printer->print(kJob));
    LabelJob again = kJob;
    again.reprint = true;
    ASSERT_TRUE(printer->print(again));
    const auto received = zebra.waitForConnections(2);
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[1], "~HS~HQES" + kJob.zpl);
}

TEST(ZplTcpPrinter, ExtendedStatusFaultIsRefused)
{
    // ~HS looks ready; ~HQES knows the cutter is jammed.
    FakeZebra zebra({{FakeZebra::Mode::Answer, kReady, kHqesCutter}});
    auto printer = makePrinter(zebra.uri());
    const auto refused = printer->print(kJob);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::Refused);
    EXPECT_NE(refused.error().message.find("cutter fault"), std::string::npos) << refused.error().message;
    EXPECT_EQ(zebra.waitForConnections(1).at(0), "~HS~HQES");
}

TEST(ZplTcpPrinter, LargeJobIsSentWhole)
{
    FakeZebra zebra({{FakeZebra::Mode::Answer, kReady, kHqesReady}});
    auto printer = makePrinter(zebra.uri());
    std::string zpl = "^XA^FO0,0^GFA,";
    while (zpl.size() < 8 * 1024 * 1024) {
        zpl += "FFFF80018001800180018001800180018001800180018001800180018001FFFF";
    }
    zpl += "^FS^XZ";
    ASSERT_TRUE(printer->print(LabelJob{"big", zpl}));
    const auto received = zebra.waitForConnections(1);
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].size(), 8 + zpl.size());
    EXPECT_TRUE(received[0] == "~HS~HQES" + zpl);
}

TEST(ZplTcpPrinter, ListenerThatClosesIsDisconnected)
{
    FakeZebra zebra({{FakeZebra::Mode::Close, ""}, {FakeZebra::Mode::Close, ""}});
    auto printer = makePrinter(zebra.uri());
    const auto printed = printer->print(kJob);
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().code, ErrorCode::Disconnected) << printed.error().message;
    EXPECT_NE(printed.error().message.find(zebra.uri()), std::string::npos) << printed.error().message;
    const auto status = printer->status();
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, ErrorCode::Disconnected) << status.error().message;
}

TEST(ZplTcpPrinter, SilentListenerTimesOutWithinTheDeadline)
{
    FakeZebra zebra({{FakeZebra::Mode::Silent, ""}});
    auto printer = makePrinter(zebra.uri(300));
    const auto start = std::chrono::steady_clock::now();
    const auto printed = printer->print(kJob);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().code, ErrorCode::Timeout) << printed.error().message;
    EXPECT_NE(printed.error().message.find("~HS"), std::string::npos) << printed.error().message;
    EXPECT_GE(elapsed, 290ms);
    EXPECT_LT(elapsed, 2500ms);                          // the status deadline, plus the bounded close
    EXPECT_EQ(zebra.waitForConnections(1).at(0), "~HS"); // the job was not sent
}

TEST(ZplTcpPrinter, GarbageStatusIsAProtocolError)
{
    FakeZebra zebra({{FakeZebra::Mode::Answer, "\x02hello\x03\x02world\x03\x02!\x03"}});
    auto printer = makePrinter(zebra.uri());
    const auto printed = printer->print(kJob);
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().code, ErrorCode::Protocol) << printed.error().message;
    EXPECT_EQ(zebra.waitForConnections(1).at(0), "~HS");
}

TEST(ZplTcpPrinter, NobodyListeningIsDisconnected)
{
    int port = 0;
    {
        FakeZebra gone({});
        port = gone.port();
    } // the port is closed again
    auto printer = makePrinter("tcp:127.0.0.1:" + std::to_string(port) + "?protocol=zpl");
    const auto printed = printer->print(kJob);
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().code, ErrorCode::Disconnected) << printed.error().message;
    EXPECT_NE(printed.error().message.find("ECONNREFUSED"), std::string::npos) << printed.error().message;
}

} // namespace
} // namespace retour::drivers
