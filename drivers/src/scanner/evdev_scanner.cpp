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

std::string openHint(ErrorCode code)
{
    switch (code) {
    case ErrorCode::NotFound:
        return " (is the scanner plugged in? check the path in the device profile)";
    case ErrorCode::Permission:
        return " (give the station user access: group 'input' or a udev rule)";
    default:
        return "";
    }
}

} // namespace

EvdevScanner::EvdevScanner(DeviceUri uri, protocol::KeyboardWedgeOptions options)
    : uri_(std::move(uri)), decoder_(std::move(options))
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
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (!fd) {
        Error error = errnoError(errno, "scanner " + uri_.text + ": open " + path);
        error.message += openHint(error.code);
        return std::unexpected(error);
    }
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
    if (announce_) {
        events.emplace_back(DeviceOnline{description_});
        announce_ = false;
    }

    std::string offline;
    std::array<unsigned char, 64 * sizeof(input_event)> buffer{};
    while (true) {
        const ssize_t n = ::read(fd_.get(), buffer.data(), buffer.size());
        if (n > 0) {
            partial_.insert(partial_.end(), buffer.begin(), buffer.begin() + n);
            continue;
        }
        if (n == 0) {
            offline = "scanner " + uri_.text + ": end of input on " + uri_.target;
            break;
        }
        const int err = errno;
        if (err == EINTR) {
            continue;
        }
        if (err == EAGAIN || err == EWOULDBLOCK) {
            break;
        }
        if (err == ENODEV) {
            offline = "scanner " + uri_.text + " was unplugged (ENODEV on read)";
        } else {
            offline = errnoError(err, "scanner " + uri_.text + ": read").message;
        }
        break;
    }

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

    if (!offline.empty()) {
        close(); // a partial scan from a vanished device is not trusted
        events.emplace_back(DeviceOffline{offline});
        return events;
    }
    if (auto scan = decoder_.expire(now)) {
        events.emplace_back(std::move(*scan));
    }
    return events;
}

} // namespace retour::drivers::detail
