#include "printer/zpl_link.h"

#include "retour/drivers/protocol/zpl_extended_status.h"
#include "retour/drivers/protocol/zpl_status.h"

#include <algorithm>

namespace retour::drivers::detail {

namespace {

using Clock = std::chrono::steady_clock;

} // namespace

Result<PrinterStatus> queryZplStatus(ZplLink& link, std::chrono::milliseconds timeout, HqesSupport& hqes,
                                     std::chrono::milliseconds hqesTimeout)
{
    link.drainPending();
    if (auto sent = link.sendAll(protocol::kZplHostStatusQuery, Clock::now() + timeout); !sent) {
        return std::unexpected(sent.error());
    }
    std::string reply;
    auto read = link.readUntil(
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
        error.message = link.label() + ": " + error.message;
        return std::unexpected(error);
    }
    if (hqes == HqesSupport::No) {
        return status;
    }
    link.drainPending(); // the CR LF after the third ETX
    if (auto sent = link.sendAll(protocol::kZplExtendedStatusQuery, Clock::now() + timeout); !sent) {
        return std::unexpected(sent.error());
    }
    std::string extended;
    auto got = link.readUntil(extended, protocol::zplExtendedStatusComplete,
                              Clock::now() + std::min(timeout, hqesTimeout));
    if (!got) {
        if (got.error().code == ErrorCode::Timeout || got.error().code == ErrorCode::NotSupported) {
            hqes = HqesSupport::No; // older firmware: ~HS alone
            return status;
        }
        return std::unexpected(got.error());
    }
    auto parsed = protocol::parseZplExtendedStatus(extended);
    if (!parsed) {
        hqes = HqesSupport::No;
        return status;
    }
    hqes = HqesSupport::Yes;
    protocol::mergeExtendedStatus(*status, *parsed);
    return status;
}

Error refusal(const std::string& label, const LabelJob& job, const PrinterStatus& status)
{
    return Error{ErrorCode::Refused, label + " refuses job '" + job.id + "': " + status.detail +
                                         " (fix the printer, then retry)"};
}

Result<void> printWhenReady(ZplLink& link, const LabelJob& job, const Result<PrinterStatus>& status,
                            std::chrono::milliseconds timeout)
{
    if (!status) {
        return std::unexpected(status.error());
    }
    if (!status->ready) {
        return std::unexpected(refusal(link.label(), job, *status));
    }
    if (auto sent = link.sendAll(job.zpl, std::chrono::steady_clock::now() + timeout); !sent) {
        Error error = sent.error();
        error.message += " (sending job '" + job.id + "')";
        return std::unexpected(error);
    }
    return {};
}

} // namespace retour::drivers::detail
