#pragma once

#include "common/unique_fd.h"
#include "retour/drivers/error.h"

#include <optional>
#include <string>
#include <string_view>

namespace retour::drivers::detail {

// A byte stream to a device: a tty (serial_port.h) or a TCP socket. Reads and writes never block
// for long; every way the device can go away (end of file, EIO, ENXIO, ENODEV, ECONNRESET, EPIPE)
// becomes a reason naming the device.
//
// Thread contract: thread-bound (owned by one device).
class StreamLink
{
public:
    StreamLink() = default;
    StreamLink(UniqueFd fd, bool socket, std::string label, std::string where);

    int fd() const { return fd_.get(); }
    bool isOpen() const { return static_cast<bool>(fd_); }
    void close() { fd_.reset(); }
    const std::string& where() const { return where_; }

    // Append everything readable now to `out`. Returns why the link is lost, if it is; the bytes read
    // before that are still appended.
    std::optional<std::string> readAvailable(std::string& out);

    // Write all of `bytes`, waiting up to 200 ms for room when the output buffer is full.
    Result<void> write(std::string_view bytes);

private:
    UniqueFd fd_;
    bool socket_ = false;
    std::string label_; // "scale tty:/dev/ttyUSB0?protocol=mt-sics"
    std::string where_; // "/dev/ttyUSB0", "192.0.2.10:4001"
};

} // namespace retour::drivers::detail
