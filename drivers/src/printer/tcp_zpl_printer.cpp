#include "printer/tcp_zpl_printer.h"

#include "printer/tcp_connection.h"
#include "retour/drivers/protocol/zpl_status.h"

namespace retour::drivers::detail {

namespace {

using Clock = std::chrono::steady_clock;

// How long to wait for the printer to close after our FIN before closing anyway.
constexpr std::chrono::milliseconds kLingerMax{1000};

Result<PrinterStatus> queryStatus(TcpConnection& connection, std::chrono::milliseconds timeout)
{
    if (auto sent = connection.sendAll(protocol::kZplHostStatusQuery, Clock::now() + timeout); !sent) {
        return std::unexpected(sent.error());
    }
    std::string reply;
    auto read = connection.readUntil(
        reply, [](std::string_view bytes) { return protocol::countZplStatusStrings(bytes) >= 3; },
        Clock::now() + timeout);
    if (!read) {
        Error error = read.error();
        error.message += " (waiting for the ~HS reply)";
        return std::unexpected(error);
    }
    auto status = protocol::parseZplHostStatus(reply);
    if (!status) {
        Error error = status.error();
        error.message = connection.label() + ": " + error.message;
        return std::unexpected(error);
    }
    return status;
}

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
    auto status = queryStatus(*connection, timeout_);
    connection->drainPending();
    connection->finish(Clock::now() + std::min(timeout_, kLingerMax));
    return status;
}

Result<void> TcpZplPrinter::print(const LabelJob& job)
{
    if (!job.id.empty() && printed_.contains(job.id)) {
        return {}; // already printed by this printer: a retry must not give a second label
    }
    auto connection = TcpConnection::connect(host_, port_, Clock::now() + timeout_, label_);
    if (!connection) {
        return std::unexpected(connection.error());
    }
    auto status = queryStatus(*connection, timeout_);
    if (!status) {
        return std::unexpected(status.error());
    }
    if (!status->ready) {
        return std::unexpected(Error{ErrorCode::Refused, label_ + " refuses job '" + job.id +
                                                             "': " + status->detail +
                                                             " (fix the printer, then retry)"});
    }
    // The CR LF after the last ETX may still be unread; unread data would turn close() into a reset.
    connection->drainPending();
    if (auto sent = connection->sendAll(job.zpl, Clock::now() + timeout_); !sent) {
        Error error = sent.error();
        error.message += " (sending job '" + job.id + "')";
        return std::unexpected(error);
    }
    connection->finish(Clock::now() + std::min(timeout_, kLingerMax));
    if (!job.id.empty()) {
        printed_.insert(job.id);
    }
    return {};
}

} // namespace retour::drivers::detail
