#include "retour/drivers/device.h"
#include "retour/drivers/protocol/hid_descriptor.h"
#include "scanner/hid_pos_scanner_hidraw.h"

#include <libusb.h>

namespace retour::drivers {

namespace {

DeviceKind probeUsb(const DeviceUri& uri)
{
    const auto id = uri.usbId();
    if (!id) {
        return DeviceKind::Unknown;
    }
    libusb_context* context = nullptr;
    if (libusb_init(&context) != 0) {
        return DeviceKind::Unknown;
    }
    DeviceKind kind = DeviceKind::Unknown;
    libusb_device** list = nullptr;
    const ssize_t count = libusb_get_device_list(context, &list);
    for (ssize_t i = 0; i < count && kind == DeviceKind::Unknown; ++i) {
        libusb_device_descriptor desc{};
        if (libusb_get_device_descriptor(list[i], &desc) != 0 || desc.idVendor != id->vendor ||
            desc.idProduct != id->product) {
            continue;
        }
        libusb_config_descriptor* config = nullptr;
        if (libusb_get_active_config_descriptor(list[i], &config) != 0 &&
            libusb_get_config_descriptor(list[i], 0, &config) != 0) {
            continue;
        }
        bool printer = false;
        bool hid = false;
        for (int f = 0; f < config->bNumInterfaces; ++f) {
            const libusb_interface& itf = config->interface[f];
            for (int a = 0; a < itf.num_altsetting; ++a) {
                printer = printer || itf.altsetting[a].bInterfaceClass == LIBUSB_CLASS_PRINTER;
                hid = hid || itf.altsetting[a].bInterfaceClass == LIBUSB_CLASS_HID;
            }
        }
        libusb_free_config_descriptor(config);
        // The HID devices driven through libusb are scales (usage page 0x8D); HID POS scanners are
        // read through hidraw.
        kind = printer ? DeviceKind::Printer : hid ? DeviceKind::Scale : DeviceKind::Unknown;
    }
    if (count >= 0) {
        libusb_free_device_list(list, 1);
    }
    libusb_exit(context);
    return kind;
}

} // namespace

DeviceKind probeDeviceKind(const DeviceUri& uri)
{
    const DeviceKind stated = kindOf(uri);
    if (stated != DeviceKind::Unknown) {
        return stated;
    }
    if (uri.scheme == "usb") {
        return probeUsb(uri);
    }
    if (uri.scheme == "hidraw") {
        const auto page = detail::hidrawUsagePage(uri.target);
        if (page == protocol::kHidUsagePageBarcodeScanner) {
            return DeviceKind::Scanner;
        }
        if (page == protocol::kHidUsagePageScale) {
            return DeviceKind::Scale;
        }
        return DeviceKind::Unknown;
    }
    if (uri.scheme == "evdev") {
        return DeviceKind::Scanner;
    }
    return DeviceKind::Unknown;
}

} // namespace retour::drivers
