#include "serial/stream_link.h"

#include <array>
#include <cerrno>
#include <chrono>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace retour::drivers::detail {

namespace {

constexpr int kWriteWaitMs = 200;

} // namespace

StreamLink::StreamLink(UniqueFd fd, bool socket, std::string label, std::string where)
    : fd_(std::move(fd)), socket_(socket), label_(std::move(label)), where_(std::move(where))
{}

std::optional<std::string> StreamLink::readAvailable(std::string& out)
{
    std::array<char, 4096> buffer{};
    while (fd_) {
        const ssize_t n = ::read(fd_.get(), buffer.data(), buffer.size());
        if (n > 0) {
            out.append(buffer.data(), static_cast<std::size_t>(n));
            continue;
        }
        if (n == 0) {
            return label_ + ": " + where_ + (socket_ ? " closed the connection" : " hung up (end of file)");
        }
        const int err = errno;
        if (err == EINTR) {
            continue;
        }
        if (err == EAGAIN || err == EWOULDBLOCK) {
            return std::nullopt;
        }
        if (err == EIO || err == ENXIO || err == ENODEV) {
            return errnoError(err, label_ + ": " + where_ + " went away (unplugged or powered off?)").message;
        }
        return errnoError(err, label_ + ": read from " + where_).message;
    }
    return label_ + ": not open";
}

Result<void> StreamLink::write(std::string_view bytes)
{
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::milliseconds(kWriteWaitMs);
    std::size_t done = 0;
    while (done < bytes.size()) {
        if (!fd_) {
            return std::unexpected(Error{ErrorCode::Disconnected, label_ + ": not open"});
        }
        const ssize_t n = socket_ ? ::send(fd_.get(), bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL)
                                  : ::write(fd_.get(), bytes.data() + done, bytes.size() - done);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
            continue;
        }
        const int err = n < 0 ? errno : EAGAIN;
        if (err == EINTR) {
            continue;
        }
        if (err == EAGAIN || err == EWOULDBLOCK) {
            pollfd p{fd_.get(), POLLOUT, 0};
            if (::poll(&p, 1, pollTimeoutMs(deadline, Clock::now())) <= 0) {
                return std::unexpected(
                    Error{ErrorCode::Timeout,
                          label_ + ": " + where_ + " does not take output (" + std::to_string(done) + " of " +
                              std::to_string(bytes.size()) + " bytes written; flow control?)"});
            }
            continue;
        }
        return std::unexpected(errnoError(err, label_ + ": write to " + where_));
    }
    return {};
}

} // namespace retour::drivers::detail
