#include "usb_probe.h"

#include <libusb.h>
#include <memory>

namespace retour::hwconfig {

namespace {

struct ContextDeleter
{
    void operator()(libusb_context* context) const { libusb_exit(context); }
};
struct ListDeleter
{
    void operator()(libusb_device** list) const { libusb_free_device_list(list, 1); }
};
struct HandleDeleter
{
    void operator()(libusb_device_handle* handle) const { libusb_close(handle); }
};

std::string stringDescriptor(libusb_device_handle* handle, std::uint8_t index)
{
    if (index == 0) {
        return {}; // the device has no such string
    }
    unsigned char text[256] = {};
    const int n = libusb_get_string_descriptor_ascii(handle, index, text, sizeof text);
    return n > 0 ? std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(n))
                 : std::string();
}

} // namespace

std::optional<UsbProbe> probeUsbDevice(int bus, int address, bool strings)
{
    libusb_context* raw = nullptr;
    if (libusb_init(&raw) != 0) {
        return std::nullopt;
    }
    const std::unique_ptr<libusb_context, ContextDeleter> context(raw);
    libusb_device** rawList = nullptr;
    const ssize_t count = libusb_get_device_list(context.get(), &rawList);
    if (count < 0) {
        return std::nullopt;
    }
    const std::unique_ptr<libusb_device*, ListDeleter> list(rawList);
    for (ssize_t i = 0; i < count; ++i) {
        libusb_device* device = rawList[i];
        if (libusb_get_bus_number(device) != bus || libusb_get_device_address(device) != address) {
            continue;
        }
        UsbProbe probe;
        libusb_config_descriptor* config = nullptr;
        if (libusb_get_active_config_descriptor(device, &config) == 0 ||
            libusb_get_config_descriptor(device, 0, &config) == 0) {
            for (int f = 0; f < config->bNumInterfaces; ++f) {
                for (int a = 0; a < config->interface[f].num_altsetting; ++a) {
                    probe.interfaceClasses.insert(config->interface[f].altsetting[a].bInterfaceClass);
                }
            }
            libusb_free_config_descriptor(config);
        }
        libusb_device_descriptor desc{};
        if (strings && libusb_get_device_descriptor(device, &desc) == 0 &&
            (desc.iManufacturer != 0 || desc.iProduct != 0 || desc.iSerialNumber != 0)) {
            libusb_device_handle* rawHandle = nullptr;
            if (const int rc = libusb_open(device, &rawHandle); rc != 0) {
                probe.problem = std::string("cannot open it to read its names: ") + libusb_error_name(rc);
            } else {
                const std::unique_ptr<libusb_device_handle, HandleDeleter> handle(rawHandle);
                probe.manufacturer = stringDescriptor(handle.get(), desc.iManufacturer);
                probe.product = stringDescriptor(handle.get(), desc.iProduct);
                probe.serial = stringDescriptor(handle.get(), desc.iSerialNumber);
            }
        }
        return probe;
    }
    return std::nullopt;
}

} // namespace retour::hwconfig
