// Scan latency of the serial scanner driver: from the last byte of a scan written to a pty (the
// scanner's side) to the Scan event out of InputDevice::service(), p50 and p99, against a raw read
// loop (poll + read until CR) on the same pty in the same run. Rounds alternate between the two so
// that machine load hits both alike. Prints ratios; asserts nothing about time (label "bench").
//
//   bench: serial scan latency p50 31.0 us (raw 24.1 us, ratio 1.29), p99 60.2 us (raw 52.3 us, ratio 1.15)

#include "retour/drivers/device.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <string>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <vector>

namespace {

using namespace retour::drivers;
using Micros = std::chrono::duration<double, std::micro>;

constexpr int kRounds = 6;
constexpr int kScansPerRound = 300;
const std::string kScan = "]E09780201379629\r";

bool waitReadable(int fd)
{
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 2000) == 1;
}

// One scan through the driver; the latency, or a negative value when no Scan came.
double throughDriver(InputDevice& device, int master)
{
    if (::write(master, kScan.data(), kScan.size()) != static_cast<ssize_t>(kScan.size())) {
        return -1;
    }
    const auto written = Clock::now();
    while (waitReadable(device.fd())) {
        for (const auto& event : device.service(Clock::now())) {
            if (std::holds_alternative<Scan>(event)) {
                return Micros(Clock::now() - written).count();
            }
        }
    }
    return -1;
}

// One scan through a plain read loop on the slave.
double throughRawLoop(int slave, int master)
{
    if (::write(master, kScan.data(), kScan.size()) != static_cast<ssize_t>(kScan.size())) {
        return -1;
    }
    const auto written = Clock::now();
    std::string got;
    char buffer[256];
    while (waitReadable(slave)) {
        const ssize_t n = ::read(slave, buffer, sizeof buffer);
        if (n <= 0) {
            return -1;
        }
        got.append(buffer, static_cast<std::size_t>(n));
        if (got.find('\r') != std::string::npos) {
            return Micros(Clock::now() - written).count();
        }
    }
    return -1;
}

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
    return values[index];
}

} // namespace

int main()
{
    int master = -1;
    int slave = -1;
    char name[64] = {};
    if (::openpty(&master, &slave, name, nullptr, nullptr) != 0) {
        std::perror("bench: openpty");
        return 1;
    }
    termios tio{};
    ::tcgetattr(slave, &tio);
    ::cfmakeraw(&tio);
    ::tcsetattr(slave, TCSANOW, &tio);

    auto uri = parseDeviceUri(std::string("tty:") + name + "?protocol=serial-scanner&baud=115200");
    auto device = uri ? makeInputDevice(*uri, DeviceContext{}) : std::unexpected(uri.error());
    if (!device) {
        std::fprintf(stderr, "bench: %s\n", device.error().message.c_str());
        return 1;
    }
    std::vector<double> driver;
    std::vector<double> raw;
    for (int round = 0; round < kRounds; ++round) {
        if (auto opened = (*device)->open(); !opened) {
            std::fprintf(stderr, "bench: %s\n", opened.error().message.c_str());
            return 1;
        }
        (*device)->service(Clock::now()); // DeviceOnline
        for (int i = 0; i < kScansPerRound; ++i) {
            const double us = throughDriver(**device, master);
            if (us < 0) {
                std::fprintf(stderr, "bench: the driver produced no scan\n");
                return 1;
            }
            driver.push_back(us);
        }
        (*device)->close();
        ::ioctl(slave, TIOCNXCL); // the driver's TIOCEXCL outlives its close while our fd is open
        for (int i = 0; i < kScansPerRound; ++i) {
            const double us = throughRawLoop(slave, master);
            if (us < 0) {
                std::fprintf(stderr, "bench: the raw loop read no scan\n");
                return 1;
            }
            raw.push_back(us);
        }
    }
    const double p50 = percentile(driver, 0.50);
    const double p99 = percentile(driver, 0.99);
    const double raw50 = percentile(raw, 0.50);
    const double raw99 = percentile(raw, 0.99);
    std::printf(
        "bench: serial scan latency p50 %.1f us (raw %.1f us, ratio %.2f), p99 %.1f us (raw %.1f us, ratio "
        "%.2f), %zu scans each\n",
        p50, raw50, p50 / raw50, p99, raw99, p99 / raw99, driver.size());
    ::close(slave);
    ::close(master);
    return 0;
}
