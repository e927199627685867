#pragma once

#include "retour/drivers/device_uri.h"
#include "retour/drivers/error.h"
#include "retour/drivers/events.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace retour::drivers {

class SimWorld;

using Clock = std::chrono::steady_clock;

// An input device (scanner or scale) that the owner's event loop services.
//
// Thread contract: thread-bound. All calls come from the thread that owns the device (the station
// loop). An implementation may run a private reader thread (libusb interrupt transfers); its output
// then reaches the owner only through fd() becoming readable.
//
// Life cycle: open() → service()… → DeviceOffline (the device closed itself) → open() again, with
// the owner's back-off. A device never throws and never blocks in service().
class InputDevice
{
public:
    virtual ~InputDevice() = default;

    virtual const DeviceUri& uri() const = 0;
    virtual DeviceKind kind() const = 0;

    // Open (or re-open after DeviceOffline). On success the next service() reports DeviceOnline.
    virtual Result<void> open() = 0;
    virtual void close() = 0;
    virtual bool isOpen() const = 0;

    // Readable (POLLIN) when service() has input to process; -1 when closed or when the device is
    // driven only by deadlines.
    virtual int fd() const = 0;

    // The earliest time service() must be called even if fd() is not readable (idle-gap framing,
    // simulated devices, polling); Clock::time_point::max() when there is none.
    virtual Clock::time_point nextDeadline() const { return Clock::time_point::max(); }

    // Process pending input and due deadlines; returns the events produced, in order. When the
    // device is lost, the last event is DeviceOffline and the device is closed.
    virtual std::vector<DeviceEvent> service(Clock::time_point now) = 0;
};

// A ZPL label job. id is the caller's idempotency key (stored with the item it labels).
struct LabelJob
{
    std::string id;
    std::string zpl;
    // Send it even if this printer has already printed a job with this id (the operator asked for a
    // reprint). Without it, a retry after a reconnect never gives a second label.
    bool reprint = false;
};

// A label printer. Calls block for at most the deadlines given in the URI (timeout_ms=, default
// 3000 ms per connect, write and status reply).
//
// Thread contract: not thread-safe; use from one thread at a time (the station's printer worker).
class LabelPrinter
{
public:
    virtual ~LabelPrinter() = default;

    virtual const DeviceUri& uri() const = 0;

    // Ask the printer for its state (~HS for ZPL printers).
    virtual Result<PrinterStatus> status() = 0;

    // Check the status, then send the job. A printer that cannot print (paper out, head open,
    // paused, unreachable) refuses the job with ErrorCode::Refused or Disconnected and the reason;
    // nothing is sent in that case.
    virtual Result<void> print(const LabelJob& job) = 0;
};

// Options and shared state for opening devices.
struct DeviceContext
{
    SimWorld* sim = nullptr; // needed for sim: URIs; owned by the caller
};

// The kind of device a URI names: kindOf(uri) when the URI says it; otherwise recognised from the
// device's descriptors: usb: a printer-class (7) interface → Printer, a HID interface → Scale;
// hidraw: usage page 0x8C → Scanner, 0x8D → Scale. Unknown when the device cannot be looked at.
// Reads descriptors only (sysfs, libusb); never opens the device for I/O.
DeviceKind probeDeviceKind(const DeviceUri& uri);

// Create the driver for an input-device URI (scanner or scale): evdev:, usb:, sim:scanner, sim:scale.
// The device is created closed; call open().
Result<std::unique_ptr<InputDevice>> makeInputDevice(const DeviceUri& uri, const DeviceContext& context);

// Create the driver for a printer URI: tcp:HOST:PORT?protocol=zpl, usb:VID:PID (USB printer class),
// usblp:/dev/usb/lpN, sim:printer?out=DIR.
Result<std::unique_ptr<LabelPrinter>> makeLabelPrinter(const DeviceUri& uri, const DeviceContext& context);

} // namespace retour::drivers
