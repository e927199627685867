#pragma once

#include "common/unique_fd.h"
#include "retour/drivers/device.h"
#include "retour/drivers/protocol/keyboard_wedge.h"

#include <string>
#include <vector>

namespace retour::drivers::detail {

// A keyboard-wedge barcode scanner read through evdev: evdev:/dev/input/…[?gs=…&terminator=enter|tab|none
// &idle_ms=80&aim=1]. The node is grabbed exclusively (EVIOCGRAB) so scans never reach the desktop,
// and struct input_event is read directly: libevdev's start-up ioctls fail under umockdev
// (docs/protocols/scanners.md §1, docs/protocols/testing-without-hardware.md §6).
//
// Thread contract: thread-bound (InputDevice).
class EvdevScanner final : public InputDevice
{
public:
    EvdevScanner(DeviceUri uri, protocol::KeyboardWedgeOptions options);
    ~EvdevScanner() override;

    const DeviceUri& uri() const override { return uri_; }
    DeviceKind kind() const override { return DeviceKind::Scanner; }
    Result<void> open() override;
    void close() override;
    bool isOpen() const override { return static_cast<bool>(fd_); }
    int fd() const override { return fd_.get(); }
    Clock::time_point nextDeadline() const override;
    std::vector<DeviceEvent> service(Clock::time_point now) override;

private:
    DeviceUri uri_;
    protocol::KeyboardWedgeDecoder decoder_;
    UniqueFd fd_;
    bool grabbed_ = false;
    bool announce_ = false; // DeviceOnline not yet reported
    std::string description_;
    std::vector<unsigned char> partial_; // bytes of an input_event cut by a short read
};

} // namespace retour::drivers::detail
