#pragma once

#include "common/unique_fd.h"
#include "retour/drivers/device.h"

#include <cerrno>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace retour::drivers::detail {

// What to add to the message of a device node that failed to open, by the failure's ErrorCode.
struct OpenHints
{
    std::string_view notFound;
    std::string_view permission;
    std::string_view busy;
};

// open(2) `path` with `flags` | O_CLOEXEC. A failure is errnoError(errno, label + ": open " + path)
// followed by the hint for its code; errno is left as open(2) set it. Reentrant.
Result<UniqueFd> openNode(const std::string& path, int flags, const std::string& label,
                          const OpenHints& hints);

// How reading a non-blocking node stopped: nothing more to read now, end of file, or read(2) failed
// with `err`.
struct ReadEnd
{
    enum class Kind
    {
        WouldBlock,
        EndOfFile,
        Failed,
    };
    Kind kind = Kind::WouldBlock;
    int err = 0;

    bool lost() const { return kind != Kind::WouldBlock; }
};

// read(2) `fd` into `buffer` until it would block, reaches end of file or fails, handing the bytes
// of every read to onBytes(std::span<const std::uint8_t>) in order; EINTR is retried. One read()
// is one report on hidraw, so `buffer` bounds what one call hands over. Reentrant.
template <class OnBytes> ReadEnd readAvailable(int fd, std::span<std::uint8_t> buffer, OnBytes&& onBytes)
{
    while (true) {
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n > 0) {
            onBytes(std::span<const std::uint8_t>(buffer.data(), static_cast<std::size_t>(n)));
            continue;
        }
        if (n == 0) {
            return {ReadEnd::Kind::EndOfFile, 0};
        }
        const int err = errno;
        if (err == EINTR) {
            continue;
        }
        if (err == EAGAIN || err == EWOULDBLOCK) {
            return {};
        }
        return {ReadEnd::Kind::Failed, err};
    }
}

// Why a scanner's node was lost, for DeviceOffline: "scanner <uri>: end of input on <path>",
// "scanner <uri> was unplugged (ENODEV on read)" (EIO alike), or the read error. Reentrant.
std::string scannerLost(const DeviceUri& uri, const ReadEnd& end);

// An input device read from one device node (an evdev or hidraw node): its URI, the node's
// descriptor, and the DeviceOnline owed since it was opened.
//
// Thread contract: thread-bound (InputDevice).
class NodeInputDevice : public InputDevice
{
public:
    const DeviceUri& uri() const override { return uri_; }
    bool isOpen() const override { return static_cast<bool>(fd_); }
    int fd() const override { return fd_.get(); }

protected:
    explicit NodeInputDevice(DeviceUri uri) : uri_(std::move(uri)) {}

    // Add the DeviceOnline owed since open(), if it is still owed.
    void announceOnline(std::vector<DeviceEvent>& events);

    DeviceUri uri_;
    UniqueFd fd_;
    bool announce_ = false; // DeviceOnline not yet reported
    std::string description_;
};

} // namespace retour::drivers::detail
