#pragma once

#include "catalogue.h"

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace retour::hwconfig {

// A device found on this machine and the driver it would get.
struct FoundDevice
{
    std::string uri;       // how to name it in a device profile
    std::string kind;      // "scale", "scanner", "printer", "camera", "unknown"
    std::string driver;    // driver that would handle it, "" when the technician must choose
    std::string name;      // model name from the catalogue or the device's own strings
    std::string matchedBy; // "catalogue", "descriptor", "subsystem"
    std::vector<std::string> quirks;
    std::string note; // what the technician should do, if anything
};

// Walk sysfs and /dev for USB, input (keyboard), hidraw, serial and video devices and match each
// against the catalogue, falling back on descriptors (HID usage page 0x8D scale, 0x8C scanner, USB
// interface class 7 printer). Reads only; reentrant. Works under umockdev, whose testbed replaces
// /sys and /dev.
std::vector<FoundDevice> discoverDevices(const Catalogue& catalogue);

// What discovery makes of a HID report descriptor: kind "scale" with driver "hid-pos-scale" (usage
// page 0x8D), "scanner" with "hid-pos-scanner" (0x8C), or both empty. The page is read by the
// drivers' parser (retour/drivers/protocol/hid_descriptor.h), the same answer the drivers give.
// Pure and reentrant.
struct HidClass
{
    std::string kind;
    std::string driver;
};
HidClass classifyHidDescriptor(std::span<const std::uint8_t> descriptor);

} // namespace retour::hwconfig
