#pragma once

#include "common/unique_fd.h"
#include "printer/zpl_link.h"
#include "retour/drivers/device.h"
#include "retour/drivers/protocol/usb_printer.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace retour::drivers::detail {

// Where the usblp port status byte comes from: ioctl(LPGETSTATUS) on a real node. An interface
// because umockdev does not emulate that ioctl (docs/protocols/testing-without-hardware.md §7), so tests give
// their own.
class LpStatusSource
{
public:
    virtual ~LpStatusSource() = default;
    // The status byte (linux/lp.h bits), or nullopt when the node cannot tell.
    virtual std::optional<std::uint8_t> read(int fd) = 0;
};

// ioctl(fd, LPGETSTATUS): ENOTTY/EINVAL (not a usblp node, emulation) → nullopt.
std::unique_ptr<LpStatusSource> makeIoctlLpStatus();

// A ZPL printer through the kernel's usblp driver: usblp:/dev/usb/lp0[?bidi=1&timeout_ms=3000]
// (docs/protocols/zpl.md §3). The node is opened non-blocking on first use and kept open; write() sends ZPL
// with a deadline (usblp would block forever on paper out); on a bidirectional printer (bidi=1)
// ~HS/~HQES replies are read back; the LPGETSTATUS byte is folded in when available. ENODEV or
// EIO closes the node so the next call re-opens it.
//
// Thread contract: not thread-safe; use from one thread at a time.
class UsblpPrinter final : public LabelPrinter
{
public:
    UsblpPrinter(DeviceUri uri, bool bidirectional, std::chrono::milliseconds timeout,
                 std::unique_ptr<LpStatusSource> statusSource);
    ~UsblpPrinter() override;

    const DeviceUri& uri() const override { return uri_; }
    Result<PrinterStatus> status() override;
    Result<void> print(const LabelJob& job) override;

private:
    class NodeLink;

    Result<void> ensureOpen();
    template <class T> Result<T> closeOnLoss(Result<T> result);

    DeviceUri uri_;
    bool bidirectional_;
    std::chrono::milliseconds timeout_;
    std::unique_ptr<LpStatusSource> statusSource_;
    std::string label_;
    UniqueFd fd_;
    PrintedJobs printed_;
    HqesSupport hqes_ = HqesSupport::Unknown;
};

} // namespace retour::drivers::detail
