#include "usb/open_device.h"

namespace retour::drivers::detail {

ErrorCode codeForLibusb(int rc)
{
    switch (rc) {
    case LIBUSB_ERROR_ACCESS:
        return ErrorCode::Permission;
    case LIBUSB_ERROR_NO_DEVICE:
        return ErrorCode::Disconnected;
    case LIBUSB_ERROR_NOT_FOUND:
        return ErrorCode::NotFound;
    case LIBUSB_ERROR_BUSY:
        return ErrorCode::Busy;
    case LIBUSB_ERROR_TIMEOUT:
        return ErrorCode::Timeout;
    case LIBUSB_ERROR_NOT_SUPPORTED:
        return ErrorCode::NotSupported;
    default:
        return ErrorCode::Io;
    }
}

namespace {

// Whether the opened device's serial-number string descriptor is `serial`.
bool hasSerial(libusb_device_handle* handle, const libusb_device_descriptor& desc, const std::string& serial)
{
    if (desc.iSerialNumber == 0) {
        return false;
    }
    unsigned char text[256] = {};
    const int n = libusb_get_string_descriptor_ascii(handle, desc.iSerialNumber, text, sizeof text);
    return n >= 0 && std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(n)) == serial;
}

} // namespace

Result<UsbOpened> openUsbDevice(libusb_context* context, unsigned vendor, unsigned product,
                                const std::optional<std::string>& serial,
                                const std::function<bool(libusb_device*)>& accept)
{
    libusb_device** list = nullptr;
    const ssize_t count = libusb_get_device_list(context, &list);
    if (count < 0) {
        const int rc = static_cast<int>(count);
        return std::unexpected(
            Error{codeForLibusb(rc), std::string("listing USB devices: ") + libusb_error_name(rc)});
    }
    UsbOpened opened;
    for (ssize_t i = 0; i < count && opened.handle == nullptr; ++i) {
        libusb_device_descriptor desc{};
        if (libusb_get_device_descriptor(list[i], &desc) != 0 || desc.idVendor != vendor ||
            desc.idProduct != product) {
            continue;
        }
        if (accept && !accept(list[i])) {
            opened.rejected = true;
            continue;
        }
        libusb_device_handle* handle = nullptr;
        if (const int rc = libusb_open(list[i], &handle); rc != 0) {
            opened.openError = rc;
            continue;
        }
        if (serial && !hasSerial(handle, desc, *serial)) {
            libusb_close(handle);
            continue;
        }
        opened.handle = handle;
    }
    // The handle keeps its own reference to the device: the list can go.
    libusb_free_device_list(list, 1);
    return opened;
}

} // namespace retour::drivers::detail
