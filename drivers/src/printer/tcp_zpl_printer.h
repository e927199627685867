#pragma once

#include "printer/zpl_link.h"
#include "retour/drivers/device.h"

#include <chrono>
#include <string>

namespace retour::drivers::detail {

// A ZPL II printer on raw TCP (port 9100): tcp:HOST:PORT?protocol=zpl[&timeout_ms=3000].
// Each status() or print() uses its own connection: connect, ~HS (and ~HQES where the printer
// answers it), and for print() send the job on the same connection. Deadlines: timeout_ms per connect, per
// status reply and per job write (docs/protocols/zpl.md §3, §4).
//
// Thread contract: not thread-safe; use from one thread at a time.
class TcpZplPrinter final : public LabelPrinter
{
public:
    // `uri` must be a parsed tcp: URI with protocol=zpl; the factory checks the parameters.
    TcpZplPrinter(DeviceUri uri, std::string host, int port, std::chrono::milliseconds timeout);

    const DeviceUri& uri() const override { return uri_; }
    Result<PrinterStatus> status() override;
    // A job whose id this object has already printed is not sent again (success, nothing sent)
    // unless job.reprint. An empty id is no idempotency key: such a job is always sent.
    Result<void> print(const LabelJob& job) override;

private:
    DeviceUri uri_;
    std::string host_;
    int port_;
    std::chrono::milliseconds timeout_;
    std::string label_;
    PrintedJobs printed_;
    HqesSupport hqes_ = HqesSupport::Unknown;
};

} // namespace retour::drivers::detail
