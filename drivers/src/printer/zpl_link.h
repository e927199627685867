#pragma once

#include "retour/drivers/device.h"

#include <chrono>
#include <functional>
#include <set>
#include <string>
#include <string_view>

namespace retour::drivers::detail {

// A byte link to a ZPL printer with a deadline on every call: a TCP socket, the bulk pipes of a
// USB printer-class interface, or a usblp node.
//
// Thread contract: not thread-safe; one user at a time.
class ZplLink
{
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    virtual ~ZplLink() = default;
    // Write all bytes, resuming partial writes, by the deadline.
    virtual Result<void> sendAll(std::string_view bytes, TimePoint deadline) = 0;
    // Read and append until done(buffer) holds or the deadline passes (Timeout). NotSupported when
    // the link cannot read (a unidirectional printer).
    virtual Result<void> readUntil(std::string& buffer, const std::function<bool(std::string_view)>& done,
                                   TimePoint deadline) = 0;
    // Discard what has already arrived, without waiting.
    virtual void drainPending() = 0;
    virtual const std::string& label() const = 0;
};

// Whether a printer answers ~HQES; learnt on the first query and kept for the printer's life.
enum class HqesSupport
{
    Unknown,
    Yes,
    No
};

// Ask a ZPL printer for its state (docs/protocols/zpl.md §2, §4): ~HS (paper out, paused, buffer full,
// head open, ribbon out), then ~HQES unless the printer is known not to answer it, merged in (cutter
// fault, paper jam …). A ~HQES that is not answered within hqesTimeout marks it unsupported and
// does not fail the query.
Result<PrinterStatus> queryZplStatus(ZplLink& link, std::chrono::milliseconds timeout, HqesSupport& hqes,
                                     std::chrono::milliseconds hqesTimeout = std::chrono::milliseconds{1500});

// The refusal for a job the printer cannot print: ErrorCode::Refused naming the reason.
Error refusal(const std::string& label, const LabelJob& job, const PrinterStatus& status);

// Print `job` on a ZPL printer whose state was just asked (`status`): a failed query is returned, a
// printer that is not ready refuses the job (refusal()), a ready one is sent the job's bytes through
// `link` within `timeout`, an error naming the job. The caller checks PrintedJobs::alreadyPrinted
// before asking the state, and remembers the job when this succeeds.
Result<void> printWhenReady(ZplLink& link, const LabelJob& job, const Result<PrinterStatus>& status,
                            std::chrono::milliseconds timeout);

// Job ids a printer object has printed: a retry (after a reconnect, a lost reply) of a printed id is
// not sent again unless the job asks for a reprint. Empty ids are not idempotency keys.
class PrintedJobs
{
public:
    bool alreadyPrinted(const LabelJob& job) const
    {
        return !job.reprint && !job.id.empty() && ids_.contains(job.id);
    }
    void remember(const LabelJob& job)
    {
        if (!job.id.empty()) {
            ids_.insert(job.id);
        }
    }

private:
    std::set<std::string> ids_;
};

} // namespace retour::drivers::detail
