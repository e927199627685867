#include "serial/serial_port.h"

#include "common/node_device.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

namespace retour::drivers::detail {

namespace {

struct Speed
{
    int baud;
    speed_t code;
};
constexpr std::array<Speed, 13> kSpeeds = {{
    {1200, B1200},
    {2400, B2400},
    {4800, B4800},
    {9600, B9600},
    {19200, B19200},
    {38400, B38400},
    {57600, B57600},
    {115200, B115200},
    {230400, B230400},
    {460800, B460800},
    {500000, B500000},
    {921600, B921600},
    {1000000, B1000000},
}};

Error uriError(const DeviceUri& uri, const std::string& what)
{
    return Error{ErrorCode::InvalidUri, "device URI '" + uri.text + "': " + what};
}

std::string speedList()
{
    std::string out;
    for (const auto& s : kSpeeds) {
        out += out.empty() ? "" : ", ";
        out += std::to_string(s.baud);
    }
    return out;
}

constexpr OpenHints kOpenHints{
    " (is the device plugged in? use its /dev/serial/by-id/ name)",
    " (give the station user access: group 'dialout' or a udev rule)",
    " (another program has the port open: ModemManager? see docs/protocols/serial-scales.md §5)"};

} // namespace

Result<SerialSettings> parseSerialSettings(const DeviceUri& uri, SerialSettings defaults)
{
    SerialSettings settings = defaults;
    if (const auto baud = uri.param("baud")) {
        auto value = uri.intParam("baud", settings.baud);
        if (!value) {
            return std::unexpected(value.error());
        }
        const auto* it =
            std::find_if(kSpeeds.begin(), kSpeeds.end(), [&](const Speed& s) { return s.baud == *value; });
        if (it == kSpeeds.end()) {
            return std::unexpected(
                uriError(uri, "baud=" + *baud + " is not a supported speed (" + speedList() + ")"));
        }
        settings.baud = it->baud;
    }
    if (const auto frame = uri.param("frame")) {
        const std::string& f = *frame;
        const bool ok =
            f.size() == 3 && f[0] >= '5' && f[0] <= '8' &&
            (f[1] == 'N' || f[1] == 'E' || f[1] == 'O' || f[1] == 'n' || f[1] == 'e' || f[1] == 'o') &&
            (f[2] == '1' || f[2] == '2');
        if (!ok) {
            return std::unexpected(
                uriError(uri, "frame=" + f + ": write data bits, parity and stop bits, e.g. 8N1 or 7E1"));
        }
        settings.dataBits = f[0] - '0';
        settings.parity = static_cast<char>(f[1] & ~0x20); // upper case
        settings.stopBits = f[2] - '0';
    }
    if (const auto flow = uri.param("flow")) {
        if (*flow == "none") {
            settings.flow = SerialSettings::Flow::None;
        } else if (*flow == "rtscts") {
            settings.flow = SerialSettings::Flow::RtsCts;
        } else if (*flow == "xonxoff") {
            settings.flow = SerialSettings::Flow::XonXoff;
        } else {
            return std::unexpected(uriError(uri, "flow=" + *flow + ": use none, rtscts or xonxoff"));
        }
    }
    return settings;
}

Result<UniqueFd> openSerialPort(const std::string& path, const SerialSettings& settings,
                                const std::string& label)
{
    auto opened = openNode(path, O_RDWR | O_NOCTTY | O_NONBLOCK, label, kOpenHints);
    if (!opened) {
        return std::unexpected(opened.error());
    }
    UniqueFd fd = std::move(*opened);
    if (::ioctl(fd.get(), TIOCEXCL) != 0 && errno != ENOTTY) {
        return std::unexpected(errnoError(errno, label + ": TIOCEXCL on " + path));
    }
    termios tio{};
    if (::tcgetattr(fd.get(), &tio) != 0) {
        Error error = errnoError(errno, label + ": tcgetattr on " + path);
        if (error.code == ErrorCode::NotSupported) {
            error.message += " (not a serial port)";
        }
        return std::unexpected(error);
    }
    ::cfmakeraw(&tio);
    const auto* speed =
        std::find_if(kSpeeds.begin(), kSpeeds.end(), [&](const Speed& s) { return s.baud == settings.baud; });
    if (speed == kSpeeds.end() || ::cfsetispeed(&tio, speed->code) != 0 ||
        ::cfsetospeed(&tio, speed->code) != 0) {
        return std::unexpected(
            Error{ErrorCode::NotSupported,
                  label + ": " + path + ": speed " + std::to_string(settings.baud) + " is not supported"});
    }
    tio.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);
    switch (settings.dataBits) {
    case 5:
        tio.c_cflag |= CS5;
        break;
    case 6:
        tio.c_cflag |= CS6;
        break;
    case 7:
        tio.c_cflag |= CS7;
        break;
    default:
        tio.c_cflag |= CS8;
        break;
    }
    if (settings.parity != 'N') {
        tio.c_cflag |= PARENB;
        if (settings.parity == 'O') {
            tio.c_cflag |= PARODD;
        }
        tio.c_iflag |= INPCK; // check it; a bad byte arrives as-is and the parser rejects the line
    }
    if (settings.stopBits == 2) {
        tio.c_cflag |= CSTOPB;
    }
    if (settings.flow == SerialSettings::Flow::RtsCts) {
        tio.c_cflag |= CRTSCTS;
    } else if (settings.flow == SerialSettings::Flow::XonXoff) {
        tio.c_iflag |= IXON | IXOFF;
    }
    tio.c_cflag |= CLOCAL | CREAD;
    // VMIN 1 with O_NONBLOCK: an empty port reads EAGAIN and a hung-up one reads 0 (end of file).
    // VMIN 0 would read 0 in both cases, and an unplugged adapter would look like silence.
    tio.c_cc[VMIN] = 1;
    tio.c_cc[VTIME] = 0;
    if (::tcsetattr(fd.get(), TCSANOW, &tio) != 0) {
        return std::unexpected(errnoError(errno, label + ": tcsetattr on " + path));
    }
    ::tcflush(fd.get(), TCIOFLUSH); // answers to a previous session's commands are stale
    return fd;
}

Result<UniqueFd> connectTcp(const std::string& host, int port, int timeoutMs, const std::string& label)
{
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    const std::string service = std::to_string(port);
    if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &list); rc != 0) {
        return std::unexpected(
            Error{ErrorCode::NotFound, label + ": cannot resolve '" + host + "': " + ::gai_strerror(rc)});
    }
    Error last{ErrorCode::Disconnected, label + ": no address for " + host};
    for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
        UniqueFd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol));
        if (!fd) {
            last = errnoError(errno, label + ": socket");
            continue;
        }
        int err = 0;
        if (::connect(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0) {
            err = errno;
            if (err == EINPROGRESS) {
                pollfd p{fd.get(), POLLOUT, 0};
                const int ready = ::poll(&p, 1, pollTimeoutMs(deadline, Clock::now()));
                if (ready == 0) {
                    last = Error{ErrorCode::Timeout, label + ": connect to " + host + ":" + service +
                                                         ": no answer within " + std::to_string(timeoutMs) +
                                                         " ms"};
                    continue;
                }
                socklen_t len = sizeof err;
                if (ready < 0 || ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) {
                    err = errno;
                }
            }
        }
        if (err != 0) {
            last = errnoError(err, label + ": connect to " + host + ":" + service);
            continue;
        }
        const int one = 1;
        ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        ::freeaddrinfo(list);
        return fd;
    }
    ::freeaddrinfo(list);
    return std::unexpected(last);
}

} // namespace retour::drivers::detail
