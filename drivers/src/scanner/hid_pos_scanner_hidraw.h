#pragma once

#include "common/node_device.h"
#include "retour/drivers/protocol/hid_pos_scanner.h"

#include <cstdint>
#include <optional>
#include <string>

namespace retour::drivers::detail {

// The top-level HID usage page of a hidraw node (/dev/hidrawN), from the report descriptor sysfs
// keeps for its hid device (/sys/class/hidraw/hidrawN/device/report_descriptor), else from the
// HIDIOCGRDESC ioctl on the node; nullopt when neither can be read. Reads only.
std::optional<std::uint16_t> hidrawUsagePage(const std::string& devnode);

// A USB HID POS barcode scanner (usage page 0x8C) read through hidraw: hidraw:/dev/hidrawN
// (docs/protocols/scanners.md §2). One read() is one input report (hidraw semantics); reports of a barcode
// are joined by their continuation bit; reports that are not scanned data are skipped and counted. A barcode
// left unfinished for more than kPartialTimeout is dropped. ENODEV, EIO or end of file reports the scanner
// offline.
//
// Thread contract: thread-bound (InputDevice).
class HidrawPosScanner final : public NodeInputDevice
{
public:
    static constexpr std::chrono::milliseconds kPartialTimeout{1000};

    explicit HidrawPosScanner(DeviceUri uri);
    ~HidrawPosScanner() override;

    DeviceKind kind() const override { return DeviceKind::Scanner; }
    Result<void> open() override;
    void close() override;
    Clock::time_point nextDeadline() const override;
    std::vector<DeviceEvent> service(Clock::time_point now) override;

    // Reports skipped since open() (other report ids, garbage), and why the last one was.
    std::size_t skippedReports() const { return skipped_; }
    const std::string& lastSkipReason() const { return lastSkip_; }

private:
    protocol::HidPosScanAssembler assembler_;
    Clock::time_point lastReport_{};
    std::size_t skipped_ = 0;
    std::string lastSkip_;
};

} // namespace retour::drivers::detail
