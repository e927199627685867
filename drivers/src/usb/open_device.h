#pragma once

#include "retour/drivers/error.h"

#include <functional>
#include <libusb.h>
#include <optional>
#include <string>

namespace retour::drivers::detail {

// The ErrorCode a libusb error maps to (ACCESS → Permission, NO_DEVICE → Disconnected, …).
ErrorCode codeForLibusb(int rc);

// The outcome of looking for one USB device by VID:PID (and serial number).
struct UsbOpened
{
    libusb_device_handle* handle = nullptr; // the device opened, or nullptr; libusb_get_device() gives it
    int openError = 0;                      // the last libusb_open() failure of a matching device
    bool rejected = false;                  // a device with this VID:PID was turned down by `accept`
};

// Opens the first device of `context` with `vendor`:`product` whose serial-number string
// descriptor equals `serial` (any serial when nullopt). `accept`, when given, is asked first about
// each device with that VID:PID (before it is opened), e.g. to check its interfaces. The caller
// owns the handle (libusb_close). An error only when the device list cannot be read.
//
// Thread contract: reentrant; `context` is used as libusb allows (one call at a time per handle).
Result<UsbOpened> openUsbDevice(libusb_context* context, unsigned vendor, unsigned product,
                                const std::optional<std::string>& serial,
                                const std::function<bool(libusb_device*)>& accept = {});

} // namespace retour::drivers::detail
