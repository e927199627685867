#include "scanner/evdev_scanner.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/input.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace retour::drivers::detail {

namespace {

constexpr OpenHints kOpenHints{" (is the scanner plugged in? check the path in the device profile)",
                               " (give the station user access: group 'input' or a udev rule)", ""};

} // namespace

EvdevScanner::EvdevScanner(DeviceUri uri, protocol::KeyboardWedgeOptions options)
    : NodeInputDevice(std::move(uri)), decoder_(std::move(options))
{}

EvdevScanner::~EvdevScanner()
{
    close();
}

Result<void> EvdevScanner::open()
{
    if (fd_) {
        return {};
    }
    const std::string& path = uri_.target;
    auto opened = openNode(path, O_RDONLY | O_NONBLOCK, "scanner " + uri_.text, kOpenHints);
    if (!opened) {
        return std::unexpected(opened.error());
    }
    UniqueFd fd = std::move(*opened);
    // Exclusive grab: the scan must not also be typed into whatever window has the focus.
    if (::ioctl(fd.get(), EVIOCGRAB, 1) != 0) {
        const int err = errno;
        if (err == EBUSY) {
            return std::unexpected(Error{ErrorCode::Busy, "scanner " + uri_.text + ": " + path +
                                                              " is grabbed by another program (EVIOCGRAB: "
                                                              "EBUSY); stop it and retry"});
        }
        Error error = errnoError(err, "scanner " + uri_.text + ": EVIOCGRAB on " + path);
        if (err == ENOTTY || err == EINVAL) {
            error.code = ErrorCode::NotSupported;
            error.message += " (not an evdev input node: use /dev/input/event* or its by-id link)";
        }
        return std::unexpected(error);
    }
    std::array<char, 256> name{};
    // EVIOCGNAME may be unavailable (umockdev without a recorded .ioctl): then the path describes it.
    if (::ioctl(fd.get(), EVIOCGNAME(name.size() - 1), name.data()) > 0 && name[0] != '\0') {
        description_ = std::string(name.data()) + " on " + path;
    } else {
        description_ = "keyboard-wedge scanner on " + path;
    }
    fd_ = std::move(fd);
    grabbed_ = true;
    announce_ = true;
    decoder_.reset();
    partial_.clear();
    return {};
}

void EvdevScanner::close()
{
    if (!fd_) {
        return;
    }
    if (grabbed_) {
        ::ioctl(fd_.get(), EVIOCGRAB, 0); // the kernel releases on close too; this is explicit
        grabbed_ = false;
    }
    fd_.reset();
    decoder_.reset();
    partial_.clear();
    announce_ = false;
}

Clock::time_point EvdevScanner::nextDeadline() const
{
    if (announce_) {
        return Clock::time_point{}; // already due: report DeviceOnline
    }
    if (!fd_) {
        return Clock::time_point::max();
    }
    return decoder_.deadline();
}

std::vector<DeviceEvent> EvdevScanner::service(Clock::time_point now)
{
    std::vector<DeviceEvent> events;
    if (!fd_) {
        return events;
    }
    announceOnline(events);

    std::array<std::uint8_t, 64 * sizeof(input_event)> buffer{};
    const ReadEnd end = readAvailable(fd_.get(), buffer, [this](std::span<const std::uint8_t> bytes) {
        partial_.insert(partial_.end(), bytes.begin(), bytes.end());
    });

    std::size_t used = 0;
    while (partial_.size() - used >= sizeof(input_event)) {
        input_event ev{};
        std::memcpy(&ev, partial_.data() + used, sizeof ev);
        used += sizeof ev;
        if (auto scan = decoder_.feed(protocol::KeyEvent{ev.type, ev.code, ev.value}, now)) {
            events.emplace_back(std::move(*scan));
        }
    }
    partial_.erase(partial_.begin(), partial_.begin() + static_cast<std::ptrdiff_t>(used));

    if (end.lost()) {
        close(); // a partial scan from a vanished device is not trusted
        events.emplace_back(DeviceOffline{scannerLost(uri_, end)});
        return events;
    }
    if (auto scan = decoder_.expire(now)) {
        events.emplace_back(std::move(*scan));
    }
    return events;
}

} // namespace retour::drivers::detail
