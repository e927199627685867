#include "common/node_device.h"

#include <fcntl.h>

namespace retour::drivers::detail {

Result<UniqueFd> openNode(const std::string& path, int flags, const std::string& label,
                          const OpenHints& hints)
{
    UniqueFd fd(::open(path.c_str(), flags | O_CLOEXEC));
    if (fd) {
        return fd;
    }
    const int err = errno;
    Error error = errnoError(err, label + ": open " + path);
    switch (error.code) {
    case ErrorCode::NotFound:
        error.message += hints.notFound;
        break;
    case ErrorCode::Permission:
        error.message += hints.permission;
        break;
    case ErrorCode::Busy:
        error.message += hints.busy;
        break;
    default:
        break;
    }
    errno = err;
    return std::unexpected(std::move(error));
}

std::string scannerLost(const DeviceUri& uri, const ReadEnd& end)
{
    if (end.kind == ReadEnd::Kind::EndOfFile) {
        return "scanner " + uri.text + ": end of input on " + uri.target;
    }
    if (end.err == ENODEV || end.err == EIO) {
        return "scanner " + uri.text + " was unplugged (" + (end.err == EIO ? "EIO" : "ENODEV") + " on read)";
    }
    return errnoError(end.err, "scanner " + uri.text + ": read").message;
}

void NodeInputDevice::announceOnline(std::vector<DeviceEvent>& events)
{
    if (announce_) {
        events.emplace_back(DeviceOnline{description_});
        announce_ = false;
    }
}

} // namespace retour::drivers::detail
