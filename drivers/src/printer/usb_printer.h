#pragma once

#include "printer/zpl_link.h"
#include "retour/drivers/device.h"
#include "retour/drivers/protocol/usb_printer.h"

#include <chrono>
#include <optional>
#include <string>

struct libusb_context;
struct libusb_device_handle;

namespace retour::drivers::detail {

// A ZPL printer on the USB printer class through libusb: usb:VID:PID[?serial=…&timeout_ms=3000]
// (docs/protocols/zpl.md §3, as PAPPL's device-usb.c does it). Opened on first use and kept open:
//   - the interface with class 7, subclass 1, protocol 2 (bidirectional) or 1, with a bulk OUT
//     endpoint (and bulk IN for protocol 2);
//   - usblp detached only if it is bound (kernel_driver_active), the interface claimed;
//   - GET_DEVICE_ID read once (MFG/CMD/MDL; a printer whose CMD does not name ZPL is refused);
//   - status: GET_PORT_STATUS, plus ~HS (and ~HQES) over bulk OUT/IN on bidirectional printers;
//   - jobs on bulk OUT, resumed after partial transfers, within timeout_ms.
// Control requests that the device (or an emulation) does not answer are tolerated: the id is
// then unknown and the status comes from ~HS alone. A lost device (LIBUSB_ERROR_NO_DEVICE) is
// closed and re-opened by the next call.
//
// Thread contract: not thread-safe; use from one thread at a time.
class UsbPrinter final : public LabelPrinter
{
public:
    UsbPrinter(DeviceUri uri, unsigned vendor, unsigned product, std::optional<std::string> serial,
               std::chrono::milliseconds timeout);
    ~UsbPrinter() override;
    UsbPrinter(const UsbPrinter&) = delete;
    UsbPrinter& operator=(const UsbPrinter&) = delete;

    const DeviceUri& uri() const override { return uri_; }
    Result<PrinterStatus> status() override;
    Result<void> print(const LabelJob& job) override;

    // What GET_DEVICE_ID said, once open (empty when the printer did not answer it).
    const protocol::Ieee1284DeviceId& deviceId() const { return deviceId_; }

private:
    class BulkLink;

    Result<void> ensureOpen();
    void close();
    Result<PrinterStatus> queryStatus();
    std::optional<protocol::PortStatus> portStatus();
    Error usbError(int rc, const std::string& what) const;
    template <class T> Result<T> closeOnLoss(Result<T> result);

    DeviceUri uri_;
    unsigned vendor_;
    unsigned product_;
    std::optional<std::string> serial_;
    std::chrono::milliseconds timeout_;
    std::string label_;

    libusb_context* context_ = nullptr;
    libusb_device_handle* handle_ = nullptr;
    int interface_ = -1;
    int altsetting_ = 0;
    unsigned char outEndpoint_ = 0;
    unsigned char inEndpoint_ = 0; // 0: unidirectional
    bool detached_ = false;
    protocol::Ieee1284DeviceId deviceId_;
    PrintedJobs printed_;
    HqesSupport hqes_ = HqesSupport::Unknown;
};

} // namespace retour::drivers::detail
