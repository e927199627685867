#include "printer/tcp_connection.h"

#include <cerrno>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace retour::drivers::detail {

namespace {

using Clock = std::chrono::steady_clock;

// poll() one fd until `events` or the deadline; EINTR restarts with the remaining time.
// Returns revents, 0 on timeout, -1 with errno on failure.
int waitFor(int fd, short events, TcpConnection::TimePoint deadline)
{
    while (true) {
        pollfd p{fd, events, 0};
        const int n = ::poll(&p, 1, pollTimeoutMs(deadline, Clock::now()));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return n;
        }
        return p.revents;
    }
}

long msLeft(TcpConnection::TimePoint start, TcpConnection::TimePoint deadline)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - start).count();
}

} // namespace

Result<TcpConnection> TcpConnection::connect(const std::string& host, int port, TimePoint deadline,
                                             std::string label)
{
    const auto start = Clock::now();
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
    if (rc != 0) {
        const int err = rc == EAI_SYSTEM ? errno : 0;
        std::string message = label + ": cannot resolve host '" + host + "': " + ::gai_strerror(rc);
        if (err != 0) {
            return std::unexpected(errnoError(err, message));
        }
        return std::unexpected(Error{ErrorCode::NotFound, message + " (check the printer's address)"});
    }

    Error last{ErrorCode::Disconnected, label + ": no address to connect to"};
    for (const addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
        UniqueFd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol));
        if (!fd) {
            last = errnoError(errno, label + ": socket");
            continue;
        }
        if (::connect(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0) {
            if (errno != EINPROGRESS) {
                last = errnoError(errno, label + ": connect (is the printer on and reachable?)");
                continue;
            }
            const int revents = waitFor(fd.get(), POLLOUT, deadline);
            if (revents < 0) {
                last = errnoError(errno, label + ": poll while connecting");
                continue;
            }
            if (revents == 0) {
                last = Error{ErrorCode::Timeout, label + ": no connection within " +
                                                     std::to_string(msLeft(start, deadline)) +
                                                     " ms (is the printer on and reachable?)"};
                break; // the deadline is shared: no time left for other addresses
            }
            int soError = 0;
            socklen_t len = sizeof soError;
            if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &soError, &len) != 0) {
                soError = errno;
            }
            if (soError != 0) {
                last = errnoError(soError, label + ": connect (is the printer on and reachable?)");
                continue;
            }
        }
        const int one = 1;
        // Nagle would hold back the short ~HS query and the tail of a job.
        ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        ::freeaddrinfo(found);
        return TcpConnection(std::move(fd), std::move(label));
    }
    ::freeaddrinfo(found);
    return std::unexpected(last);
}

Result<void> TcpConnection::sendAll(std::string_view bytes, TimePoint deadline)
{
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(fd_.get(), bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            return std::unexpected(errnoError(errno, label_ + ": send after " + std::to_string(sent) +
                                                         " of " + std::to_string(bytes.size()) + " bytes"));
        }
        const int revents = waitFor(fd_.get(), POLLOUT, deadline);
        if (revents < 0) {
            return std::unexpected(errnoError(errno, label_ + ": poll while sending"));
        }
        if (revents == 0) {
            return std::unexpected(Error{ErrorCode::Timeout, label_ +
                                                                 ": the printer stopped taking data after " +
                                                                 std::to_string(sent) + " of " +
                                                                 std::to_string(bytes.size()) + " bytes"});
        }
    }
    return {};
}

Result<void> TcpConnection::readUntil(std::string& buffer, const std::function<bool(std::string_view)>& done,
                                      TimePoint deadline)
{
    const auto start = Clock::now();
    char chunk[512];
    while (!done(buffer)) {
        const ssize_t n = ::recv(fd_.get(), chunk, sizeof chunk, 0);
        if (n > 0) {
            buffer.append(chunk, static_cast<std::size_t>(n));
            continue;
        }
        if (n == 0) {
            return std::unexpected(
                Error{ErrorCode::Disconnected, label_ + ": the printer closed the connection after " +
                                                   std::to_string(buffer.size()) + " bytes of its reply"});
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            return std::unexpected(errnoError(errno, label_ + ": recv"));
        }
        const int revents = waitFor(fd_.get(), POLLIN, deadline);
        if (revents < 0) {
            return std::unexpected(errnoError(errno, label_ + ": poll while reading"));
        }
        if (revents == 0) {
            return std::unexpected(Error{ErrorCode::Timeout, label_ + ": no complete reply within " +
                                                                 std::to_string(msLeft(start, deadline)) +
                                                                 " ms (got " + std::to_string(buffer.size()) +
                                                                 " bytes)"});
        }
    }
    return {};
}

void TcpConnection::drainPending()
{
    char chunk[512];
    while (::recv(fd_.get(), chunk, sizeof chunk, MSG_DONTWAIT) > 0) {
    }
}

void TcpConnection::finish(TimePoint deadline)
{
    ::shutdown(fd_.get(), SHUT_WR);
    char chunk[512];
    while (true) {
        const ssize_t n = ::recv(fd_.get(), chunk, sizeof chunk, 0);
        if (n > 0 || (n < 0 && errno == EINTR)) {
            continue;
        }
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            return;
        }
        if (waitFor(fd_.get(), POLLIN, deadline) <= 0) {
            return;
        }
    }
}

} // namespace retour::drivers::detail
