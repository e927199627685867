#include "tests/support/net.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <netinet/in.h>
#include <random>
#include <stdexcept>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace retour::test {

namespace {

sockaddr_in loopback(const std::string& host, int port)
{
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
        throw std::runtime_error("not an IPv4 address: " + host);
    }
    return address;
}

// The kernel's ephemeral ports: bind(port 0) and outgoing connections get theirs from this range.
std::pair<int, int> ephemeralRange()
{
    std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
    int low = 32768;
    int high = 60999;
    if (!(in >> low >> high) || low <= 0 || high < low) {
        return {32768, 60999};
    }
    return {low, high};
}

bool bindable(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw std::runtime_error(std::string("freeTcpPort: socket: ") + std::strerror(errno));
    }
    const sockaddr_in address = loopback("127.0.0.1", port);
    const bool ok = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
}

} // namespace

// A port from the kernel's ephemeral range, freed again, can be taken by any socket before the
// test's server binds it: an outgoing connection of a test running beside it, or a server of
// another test bound to port 0 (then the broker cannot bind, and the port answers for the wrong
// server). Ports below the range are only ever taken by an explicit bind, so tests pick theirs
// there, at random, checked free by a bind; the ephemeral range is the fallback.
int freeTcpPort()
{
    const auto [low, high] = ephemeralRange();
    constexpr int kFirst = 10000;
    if (low - 1 - kFirst >= 1000) {
        std::mt19937 random(std::random_device{}() ^ static_cast<unsigned>(::getpid()));
        std::uniform_int_distribution<int> pick(kFirst, low - 1);
        for (int attempt = 0; attempt < 200; ++attempt) {
            const int port = pick(random);
            if (bindable(port)) {
                return port;
            }
        }
    }
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw std::runtime_error(std::string("freeTcpPort: socket: ") + std::strerror(errno));
    }
    sockaddr_in address = loopback("127.0.0.1", 0);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        const int saved = errno;
        ::close(fd);
        throw std::runtime_error(std::string("freeTcpPort: bind: ") + std::strerror(saved));
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

bool waitForTcpPort(const std::string& host, int port, std::chrono::milliseconds timeout)
{
    const sockaddr_in address = loopback(host, port);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd >= 0) {
            const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
            ::close(fd);
            if (ok) {
                return true;
            }
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

} // namespace retour::test
