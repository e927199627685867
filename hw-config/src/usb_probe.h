#pragma once

#include <optional>
#include <set>
#include <string>

namespace retour::hwconfig {

// What libusb can tell about a USB device that sysfs did not: the interface classes of its active
// configuration (from the descriptors libusb reads) and, when `strings` is set, its manufacturer,
// product and serial-number string descriptors (GET_DESCRIPTOR requests: the device is opened).
struct UsbProbe
{
    std::set<int> interfaceClasses; // bInterfaceClass of every altsetting (7 printer, 3 HID, …)
    std::string manufacturer;       // "" when the device has none or did not answer
    std::string product;
    std::string serial;
    std::string problem; // why the strings could not be read ("" when they were, or not asked)
};

// The device at `bus`:`address` (sysfs busnum / devnum), or nullopt when libusb cannot see it.
// Reentrant (a libusb context per call); never throws.
std::optional<UsbProbe> probeUsbDevice(int bus, int address, bool strings);

} // namespace retour::hwconfig
