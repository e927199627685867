#pragma once

#include "common/node_device.h"
#include "retour/drivers/protocol/weight_policy.h"
#include "retour/drivers/scale_control.h"

#include <optional>
#include <string>

namespace retour::drivers::detail {

// A USB HID POS scale read through hidraw: hidraw:/dev/hidrawN[?stable=…] (docs/protocols/hid-pos-scale.md
// §5). No kernel driver is detached: hid-generic keeps the device and hidraw hands out its reports. Each
// read() asks for exactly one 6-byte data report: real hidraw returns one report per read, and an
// emulated node (umockdev script, docs/protocols/testing-without-hardware.md §5) is a byte stream where a
// larger read would join reports. The first report after open is stale and dropped, as on the libusb path
// (docs/protocols/hid-pos-scale.md §4); reports that are not scale data are skipped and counted. Readings go
// through the stable-weight policy and are reported when they change. zero() writes output report 2 with bit
// 1 (Zero Scale) set (docs/protocols/hid-pos-scale.md §2); a node opened read-only cannot zero. ENODEV, EIO
// or end of file reports the scale offline.
//
// Thread contract: thread-bound (InputDevice).
class HidrawScale final : public NodeInputDevice, public ScaleControl
{
public:
    HidrawScale(DeviceUri uri, protocol::StableWeightOptions stable);
    ~HidrawScale() override;

    DeviceKind kind() const override { return DeviceKind::Scale; }
    Result<void> open() override;
    void close() override;
    Clock::time_point nextDeadline() const override;
    std::vector<DeviceEvent> service(Clock::time_point now) override;

    Result<void> zero() override;

    std::size_t skippedReports() const { return skipped_; }
    const std::string& lastSkipReason() const { return lastSkip_; }

private:
    protocol::StableWeightPolicy policy_;
    bool writable_ = false;
    bool staleDropped_ = false;
    std::optional<Weight> last_;
    std::size_t skipped_ = 0;
    std::string lastSkip_;
};

} // namespace retour::drivers::detail
