#pragma once

#include "retour/drivers/device.h"
#include "retour/drivers/protocol/serial_scanner.h"
#include "serial/serial_port.h"
#include "serial/stream_link.h"

#include <string>
#include <vector>

namespace retour::drivers::detail {

// A barcode scanner on a serial port or in USB CDC-ACM mode (docs/protocols/scanners.md §3):
//   tty:/dev/ttyACM0?protocol=serial-scanner&prefix=…&suffix=%0D&idle_ms=…&gs=…&aim=1&baud=…&frame=…
// Online as soon as the port is open (a scanner is silent until it scans). Framing, AIM ids, GS
// substitutes and GS1 in protocol/serial_scanner.h. A tty that hangs up or fails (EOF, EIO, ENXIO)
// reports DeviceOffline; a partial scan from it is dropped.
//
// Thread contract: thread-bound (InputDevice).
class SerialScanner final : public InputDevice
{
public:
    SerialScanner(DeviceUri uri, std::string path, SerialSettings line,
                  protocol::SerialScannerOptions options);
    ~SerialScanner() override;

    const DeviceUri& uri() const override { return uri_; }
    DeviceKind kind() const override { return DeviceKind::Scanner; }
    Result<void> open() override;
    void close() override;
    bool isOpen() const override { return link_.isOpen(); }
    int fd() const override { return link_.fd(); }
    Clock::time_point nextDeadline() const override;
    std::vector<DeviceEvent> service(Clock::time_point now) override;

    std::size_t droppedFrames() const { return framer_.dropped(); }

private:
    DeviceUri uri_;
    std::string path_;
    SerialSettings line_;
    protocol::SerialScannerFramer framer_;
    StreamLink link_;
    bool announce_ = false;
    std::string input_;
    std::vector<Scan> scans_;
};

} // namespace retour::drivers::detail
