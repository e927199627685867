#include "scale/hidraw_scale.h"

#include "retour/drivers/protocol/hid_scale.h"

#include <array>
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <linux/hidraw.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

namespace retour::drivers::detail {

namespace {

constexpr std::size_t kReportSize = 6;
constexpr std::array<unsigned char, 2> kZeroReport = {0x02, 0x02}; // report 2, bit 1 Zero Scale

bool sameReading(const Weight& a, const Weight& b)
{
    return a.status == b.status && a.stable == b.stable && a.deviceValue == b.deviceValue &&
           a.deviceUnit == b.deviceUnit && a.grams == b.grams;
}

constexpr OpenHints kOpenHints{" (is the scale plugged in and switched on?)",
                               " (give the station user access to hidraw with a udev rule)", ""};

} // namespace

HidrawScale::HidrawScale(DeviceUri uri, protocol::StableWeightOptions stable)
    : NodeInputDevice(std::move(uri)), policy_(stable)
{}

HidrawScale::~HidrawScale()
{
    close();
}

Result<void> HidrawScale::open()
{
    if (fd_) {
        return {};
    }
    const std::string& path = uri_.target;
    const std::string label = "scale " + uri_.text;
    auto opened = openNode(path, O_RDWR | O_NONBLOCK | O_NOCTTY, label, kOpenHints);
    writable_ = opened.has_value();
    if (!opened && (errno == EACCES || errno == EROFS)) {
        opened = openNode(path, O_RDONLY | O_NONBLOCK | O_NOCTTY, label, kOpenHints); // reading is enough
    }
    if (!opened) {
        return std::unexpected(opened.error());
    }
    UniqueFd fd = std::move(*opened);
    hidraw_devinfo info{};
    if (::ioctl(fd.get(), HIDIOCGRAWINFO, &info) == 0) {
        char id[16];
        std::snprintf(id, sizeof id, "%04x:%04x", static_cast<unsigned>(info.vendor) & 0xFFFFu,
                      static_cast<unsigned>(info.product) & 0xFFFFu);
        description_ = "HID POS scale " + std::string(id) + " on " + path;
    } else {
        description_ = "HID POS scale on " + path;
    }
    // An emulated node (umockdev) is a pty: make it pass report bytes untouched (0x03, 0x0D, …).
    if (::isatty(fd.get()) == 1) {
        termios tio{};
        if (::tcgetattr(fd.get(), &tio) == 0) {
            ::cfmakeraw(&tio);
            tio.c_cc[VMIN] = 1;
            tio.c_cc[VTIME] = 0;
            ::tcsetattr(fd.get(), TCSANOW, &tio);
        }
    }
    fd_ = std::move(fd);
    announce_ = true;
    staleDropped_ = false;
    last_.reset();
    policy_.reset();
    skipped_ = 0;
    lastSkip_.clear();
    return {};
}

void HidrawScale::close()
{
    fd_.reset();
    announce_ = false;
}

Clock::time_point HidrawScale::nextDeadline() const
{
    return announce_ ? Clock::time_point{} : Clock::time_point::max();
}

Result<void> HidrawScale::zero()
{
    if (!fd_) {
        return std::unexpected(Error{ErrorCode::Disconnected, "scale " + uri_.text + ": not open"});
    }
    if (!writable_) {
        return std::unexpected(
            Error{ErrorCode::Permission, "scale " + uri_.text + ": " + uri_.target +
                                             " is open read-only; zeroing needs write access"});
    }
    const ssize_t n = ::write(fd_.get(), kZeroReport.data(), kZeroReport.size());
    if (n == static_cast<ssize_t>(kZeroReport.size())) {
        return {};
    }
    if (n < 0) {
        Error error = errnoError(errno, "scale " + uri_.text + ": write Zero Scale output report");
        if (errno == EPIPE || errno == EINVAL || errno == ENOSYS) {
            error.code = ErrorCode::NotSupported;
            error.message += " (this scale has no output report)";
        }
        return std::unexpected(error);
    }
    return std::unexpected(Error{ErrorCode::Io, "scale " + uri_.text + ": short write of the zero report"});
}

std::vector<DeviceEvent> HidrawScale::service(Clock::time_point /*now*/)
{
    std::vector<DeviceEvent> events;
    if (!fd_) {
        return events;
    }
    announceOnline(events);
    std::array<std::uint8_t, kReportSize> report{};
    const ReadEnd end = readAvailable(fd_.get(), report, [&](std::span<const std::uint8_t> bytes) {
        if (!staleDropped_) {
            staleDropped_ = true; // the first report after open is stale (docs/protocols/hid-pos-scale.md §4)
            return;
        }
        auto weight = protocol::parseHidScaleReport(bytes);
        if (!weight) {
            ++skipped_;
            lastSkip_ = weight.error().message;
            return;
        }
        Weight reading = policy_.apply(std::move(*weight));
        if (last_ && sameReading(*last_, reading)) {
            return;
        }
        last_ = reading;
        events.emplace_back(std::move(reading));
    });
    if (end.lost()) {
        std::string offline;
        if (end.kind == ReadEnd::Kind::EndOfFile) {
            offline = "scale " + uri_.text + ": end of file on " + uri_.target;
        } else if (end.err == ENODEV || end.err == EIO || end.err == ENXIO) {
            offline = errnoError(end.err, "scale " + uri_.text + " was unplugged or powered off").message;
        } else {
            offline = errnoError(end.err, "scale " + uri_.text + ": read " + uri_.target).message;
        }
        close();
        events.emplace_back(DeviceOffline{std::move(offline)});
    }
    return events;
}

} // namespace retour::drivers::detail
