#include "printer/tcp_zpl_printer.h"

#include "printer/tcp_connection.h"

namespace retour::drivers::detail {

namespace {

using Clock = std::chrono::steady_clock;

// How long to wait for the printer to close after our FIN before closing anyway.
constexpr std::chrono::milliseconds kLingerMax{1000};

} // namespace

TcpZplPrinter::TcpZplPrinter(DeviceUri uri, std::string host, int port, std::chrono::milliseconds timeout)
    : uri_(std::move(uri)), host_(std::move(host)), port_(port), timeout_(timeout),
      label_("printer " + uri_.text)
{}

Result<PrinterStatus> TcpZplPrinter::status()
{
    auto connection = TcpConnection::connect(host_, port_, Clock::now() + timeout_, label_);
    if (!connection) {
        return std::unexpected(connection.error());
    }
    auto status = queryZplStatus(*connection, timeout_, hqes_);
    connection->drainPending();
    connection->finish(Clock::now() + std::min(timeout_, kLingerMax));
    return status;
}

Result<void> TcpZplPrinter::print(const LabelJob& job)
{
    if (printed_.alreadyPrinted(job)) {
        return {}; // already printed by this printer: a retry must not give a second label
    }
    auto connection = TcpConnection::connect(host_, port_, Clock::now() + timeout_, label_);
    if (!connection) {
        return std::unexpected(connection.error());
    }
    const auto status = queryZplStatus(*connection, timeout_, hqes_);
    // The CR LF after the last ETX may still be unread; unread data would turn close() into a reset.
    connection->drainPending();
    if (auto printed = printWhenReady(*connection, job, status, timeout_); !printed) {
        return printed;
    }
    connection->finish(Clock::now() + std::min(timeout_, kLingerMax));
    printed_.remember(job);
    return {};
}

} // namespace retour::drivers::detail
