#pragma once

#include "common/node_device.h"
#include "retour/drivers/protocol/keyboard_wedge.h"

#include <cstdint>
#include <vector>

namespace retour::drivers::detail {

// A keyboard-wedge barcode scanner read through evdev: evdev:/dev/input/…[?gs=…&terminator=enter|tab|none
// &idle_ms=80&aim=1]. The node is grabbed exclusively (EVIOCGRAB) so scans never reach the desktop,
// and struct input_event is read directly: libevdev's start-up ioctls fail under umockdev
// (docs/protocols/scanners.md §1, docs/protocols/testing-without-hardware.md §6).
//
// Thread contract: thread-bound (InputDevice).
class EvdevScanner final : public NodeInputDevice
{
public:
    EvdevScanner(DeviceUri uri, protocol::KeyboardWedgeOptions options);
    ~EvdevScanner() override;

    DeviceKind kind() const override { return DeviceKind::Scanner; }
    Result<void> open() override;
    void close() override;
    Clock::time_point nextDeadline() const override;
    std::vector<DeviceEvent> service(Clock::time_point now) override;

private:
    protocol::KeyboardWedgeDecoder decoder_;
    bool grabbed_ = false;
    std::vector<std::uint8_t> partial_; // bytes of an input_event cut by a short read
};

} // namespace retour::drivers::detail
