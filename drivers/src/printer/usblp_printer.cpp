#include "printer/usblp_printer.h"

#include <cerrno>
#include <fcntl.h>
#include <linux/lp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace retour::drivers::detail {

namespace {

using Clock = std::chrono::steady_clock;

class IoctlLpStatus final : public LpStatusSource
{
public:
    std::optional<std::uint8_t> read(int fd) override
    {
        int status = 0;
        if (::ioctl(fd, LPGETSTATUS, &status) != 0) {
            return std::nullopt;
        }
        return static_cast<std::uint8_t>(status & 0xFF);
    }
};

// poll() one fd until `events` or the deadline; revents, 0 on timeout, -1 with errno.
int waitFor(int fd, short events, Clock::time_point deadline)
{
    while (true) {
        pollfd p{fd, events, 0};
        const int n = ::poll(&p, 1, pollTimeoutMs(deadline, Clock::now()));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        return n <= 0 ? n : p.revents;
    }
}

bool lost(int err)
{
    return err == ENODEV || err == EIO || err == ENXIO;
}

} // namespace

std::unique_ptr<LpStatusSource> makeIoctlLpStatus()
{
    return std::make_unique<IoctlLpStatus>();
}

// The usblp node as a ZplLink.
class UsblpPrinter::NodeLink final : public ZplLink
{
public:
    explicit NodeLink(UsblpPrinter& printer) : p_(printer) {}

    Result<void> sendAll(std::string_view bytes, TimePoint deadline) override
    {
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            const ssize_t n = ::write(p_.fd_.get(), bytes.data() + sent, bytes.size() - sent);
            if (n > 0) {
                sent += static_cast<std::size_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) {
                continue;
            }
            const std::string progress =
                " after " + std::to_string(sent) + " of " + std::to_string(bytes.size()) + " bytes";
            if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                Error error = errnoError(errno, p_.label_ + ": write" + progress);
                if (lost(errno)) {
                    error.code = ErrorCode::Disconnected;
                }
                return std::unexpected(error);
            }
            const int revents = waitFor(p_.fd_.get(), POLLOUT, deadline);
            if (revents < 0) {
                return std::unexpected(errnoError(errno, p_.label_ + ": poll while writing"));
            }
            if (revents == 0) {
                return std::unexpected(Error{ErrorCode::Timeout, p_.label_ +
                                                                     ": the printer stopped taking data" +
                                                                     progress + " (paper out or paused?)"});
            }
        }
        return {};
    }

    Result<void> readUntil(std::string& buffer, const std::function<bool(std::string_view)>& done,
                           TimePoint deadline) override
    {
        if (!p_.bidirectional_) {
            return std::unexpected(Error{ErrorCode::NotSupported, p_.label_ + ": bidi=0, no replies"});
        }
        char chunk[512];
        while (!done(buffer)) {
            const ssize_t n = ::read(p_.fd_.get(), chunk, sizeof chunk);
            if (n > 0) {
                buffer.append(chunk, static_cast<std::size_t>(n));
                continue;
            }
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                Error error = errnoError(errno, p_.label_ + ": read");
                if (lost(errno)) {
                    error.code = ErrorCode::Disconnected;
                }
                return std::unexpected(error);
            }
            // n == 0: usblp returns 0 while the printer has nothing to say; wait and ask again.
            const int revents =
                waitFor(p_.fd_.get(), POLLIN,
                        n == 0 ? std::min(deadline, Clock::now() + std::chrono::milliseconds{20}) : deadline);
            if (revents < 0) {
                return std::unexpected(errnoError(errno, p_.label_ + ": poll while reading"));
            }
            if (Clock::now() >= deadline) {
                return std::unexpected(Error{ErrorCode::Timeout, p_.label_ + ": no complete reply (got " +
                                                                     std::to_string(buffer.size()) +
                                                                     " bytes)"});
            }
        }
        return {};
    }

    void drainPending() override
    {
        if (!p_.bidirectional_) {
            return;
        }
        char chunk[512];
        while (::read(p_.fd_.get(), chunk, sizeof chunk) > 0) {
        }
    }

    const std::string& label() const override { return p_.label_; }

private:
    UsblpPrinter& p_;
};

UsblpPrinter::UsblpPrinter(DeviceUri uri, bool bidirectional, std::chrono::milliseconds timeout,
                           std::unique_ptr<LpStatusSource> statusSource)
    : uri_(std::move(uri)), bidirectional_(bidirectional), timeout_(timeout),
      statusSource_(std::move(statusSource)), label_("printer " + uri_.text)
{}

UsblpPrinter::~UsblpPrinter() = default;

Result<void> UsblpPrinter::ensureOpen()
{
    if (fd_) {
        return {};
    }
    const std::string& path = uri_.target;
    UniqueFd fd(::open(path.c_str(), (bidirectional_ ? O_RDWR : O_WRONLY) | O_NONBLOCK | O_CLOEXEC));
    if (!fd) {
        Error error = errnoError(errno, label_ + ": open " + path);
        if (error.code == ErrorCode::NotFound || errno == ENODEV) {
            error.code = ErrorCode::NotFound;
            error.message += " (is the printer plugged in and switched on?)";
        } else if (error.code == ErrorCode::Permission) {
            error.message += " (add the station user to group 'lp')";
        }
        return std::unexpected(error);
    }
    fd_ = std::move(fd);
    return {};
}

template <class T> Result<T> UsblpPrinter::closeOnLoss(Result<T> result)
{
    if (!result && result.error().code == ErrorCode::Disconnected) {
        fd_.reset();
    }
    return result;
}

Result<PrinterStatus> UsblpPrinter::status()
{
    if (auto opened = ensureOpen(); !opened) {
        return std::unexpected(opened.error());
    }
    const auto byte = statusSource_ ? statusSource_->read(fd_.get()) : std::nullopt;
    if (!bidirectional_) {
        if (!byte) {
            return std::unexpected(
                Error{ErrorCode::NotSupported, label_ + ": bidi=0 and no LPGETSTATUS: the printer's state "
                                                        "cannot be known"});
        }
        return protocol::toPrinterStatus(protocol::parsePortStatus(*byte));
    }
    NodeLink link(*this);
    auto status = queryZplStatus(link, timeout_, hqes_);
    if (status && byte) {
        protocol::mergePortStatus(*status, protocol::parsePortStatus(*byte));
    }
    return closeOnLoss(std::move(status));
}

Result<void> UsblpPrinter::print(const LabelJob& job)
{
    if (printed_.alreadyPrinted(job)) {
        return {}; // already printed by this printer: a retry must not give a second label
    }
    const auto current = status();
    NodeLink link(*this);
    if (auto printed = printWhenReady(link, job, current, timeout_); !printed) {
        return closeOnLoss(std::move(printed));
    }
    printed_.remember(job);
    return {};
}

} // namespace retour::drivers::detail
