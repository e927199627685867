#include "discovery.h"

#include "retour/drivers/protocol/hid_descriptor.h"
#include "usb_probe.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <system_error>

namespace retour::hwconfig {

namespace fs = std::filesystem;

namespace {

std::string readAttribute(const fs::path& file)
{
    std::ifstream in(file);
    std::string value;
    std::getline(in, value);
    while (!value.empty() && (value.back() == '\n' || value.back() == ' ' || value.back() == '\r'))
        value.pop_back();
    return value;
}

std::vector<std::uint8_t> readBinary(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

unsigned hexValue(const std::string& text)
{
    try {
        return static_cast<unsigned>(std::stoul(text, nullptr, 16));
    } catch (...) {
        return 0;
    }
}

std::string hex4(unsigned value)
{
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "%04x", value & 0xffffu);
    return buffer;
}

std::string hex2(unsigned value)
{
    char buffer[4];
    std::snprintf(buffer, sizeof buffer, "%02x", value & 0xffu);
    return buffer;
}

std::vector<fs::path> listDir(const fs::path& dir)
{
    std::vector<fs::path> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        out.push_back(it->path());
    std::sort(out.begin(), out.end());
    return out;
}

void applyCatalogue(FoundDevice& device, const Catalogue& catalogue, unsigned vendor, unsigned product)
{
    if (const auto* entry = catalogue.find(vendor, product)) {
        device.kind = entry->kind;
        device.driver = entry->driver;
        device.name = entry->name;
        device.quirks = entry->quirks;
        device.matchedBy = "catalogue";
    }
}

// USB devices: /sys/bus/usb/devices/<busport> with idVendor/idProduct, interfaces <busport>:<c>.<i>.
void discoverUsb(const Catalogue& catalogue, std::vector<FoundDevice>& out)
{
    for (const auto& dev : listDir("/sys/bus/usb/devices")) {
        if (!fs::exists(dev / "idVendor"))
            continue;
        const unsigned vendor = hexValue(readAttribute(dev / "idVendor"));
        const unsigned product = hexValue(readAttribute(dev / "idProduct"));
        if (readAttribute(dev / "bDeviceClass") == "09")
            continue; // hubs
        FoundDevice device;
        device.uri = "usb:" + hex4(vendor) + ":" + hex4(product);
        const std::string serial = readAttribute(dev / "serial");
        std::string usbProblem;
        if (!serial.empty())
            device.uri += "?serial=" + serial;
        device.name = readAttribute(dev / "manufacturer");
        const std::string productName = readAttribute(dev / "product");
        device.name += (device.name.empty() ? "" : " ") + productName;
        device.kind = "unknown";
        device.matchedBy = "subsystem";

        std::set<std::string> classes;
        for (const auto& child : listDir(dev)) {
            if (fs::exists(child / "bInterfaceClass"))
                classes.insert(readAttribute(child / "bInterfaceClass"));
        }
        // sysfs without interface directories (no driver bound yet) or without the name strings
        // (not read by the kernel, or not readable): ask libusb, which reads the descriptors and
        // can send GET_DESCRIPTOR for the strings.
        const bool noStrings = readAttribute(dev / "manufacturer").empty() && productName.empty();
        if (classes.empty() || noStrings) {
            const int bus = static_cast<int>(std::strtol(readAttribute(dev / "busnum").c_str(), nullptr, 10));
            const int address =
                static_cast<int>(std::strtol(readAttribute(dev / "devnum").c_str(), nullptr, 10));
            if (const auto probe = probeUsbDevice(bus, address, noStrings)) {
                for (const int c : probe->interfaceClasses)
                    classes.insert(hex2(static_cast<unsigned>(c)));
                if (noStrings) {
                    device.name = probe->manufacturer;
                    device.name +=
                        (device.name.empty() || probe->product.empty() ? "" : " ") + probe->product;
                    if (serial.empty() && !probe->serial.empty())
                        device.uri += "?serial=" + probe->serial;
                }
                usbProblem = probe->problem;
            }
        }
        if (classes.count("07")) {
            device.kind = "printer";
            device.driver = "zpl-usb";
            device.matchedBy = "descriptor";
            device.note = "USB printer class 7; ZPL assumed, check the model speaks ZPL";
        } else if (classes.count("03")) {
            device.kind = "hid";
            device.note = "HID device: see its hidraw entry for what it is";
        }
        if (!usbProblem.empty())
            device.note += (device.note.empty() ? "" : "; ") + usbProblem;
        applyCatalogue(device, catalogue, vendor, product);
        out.push_back(std::move(device));
    }
}

// hidraw nodes: the report descriptor's usage page tells a scale (0x8D) from a scanner (0x8C).
void discoverHidraw(const Catalogue& catalogue, std::vector<FoundDevice>& out)
{
    for (const auto& node : listDir("/sys/class/hidraw")) {
        FoundDevice device;
        device.uri = "hidraw:/dev/" + node.filename().string();
        device.kind = "unknown";
        device.matchedBy = "subsystem";
        // HID_ID=0003:00000922:00008003 (bus:vendor:product) in the parent hid device's uevent.
        std::ifstream uevent(node / "device" / "uevent");
        unsigned vendor = 0, product = 0;
        for (std::string line; std::getline(uevent, line);) {
            if (line.rfind("HID_ID=", 0) == 0 && line.size() >= 7 + 22) {
                vendor = hexValue(line.substr(7 + 5, 8));
                product = hexValue(line.substr(7 + 14, 8));
            } else if (line.rfind("HID_NAME=", 0) == 0) {
                device.name = line.substr(9);
            }
        }
        if (auto hid = classifyHidDescriptor(readBinary(node / "device" / "report_descriptor"));
            !hid.kind.empty()) {
            device.kind = std::move(hid.kind);
            device.driver = std::move(hid.driver);
            device.matchedBy = "descriptor";
        }
        if (vendor != 0) {
            FoundDevice fromCatalogue = device;
            applyCatalogue(fromCatalogue, catalogue, vendor, product);
            if (fromCatalogue.matchedBy == "catalogue")
                device = fromCatalogue;
            device.note = "USB " + hex4(vendor) + ":" + hex4(product);
        }
        out.push_back(std::move(device));
    }
}

// Keyboard-like input devices: a wedge scanner is a keyboard. udev's by-id links name them.
void discoverInput(const Catalogue& catalogue, std::vector<FoundDevice>& out)
{
    for (const auto& link : listDir("/dev/input/by-id")) {
        const std::string name = link.filename().string();
        if (name.size() < 10 || name.compare(name.size() - 10, 10, "-event-kbd") != 0)
            continue;
        FoundDevice device;
        device.uri = "evdev:" + link.string();
        device.kind = "scanner";
        device.driver = "keyboard-wedge";
        device.matchedBy = "subsystem";
        device.name = name.substr(0, name.size() - 10);
        device.note = "a keyboard: a barcode scanner in keyboard mode, or a real keyboard";
        // The by-id link points at ../eventN. read_symlink rather than canonical(): umockdev's
        // preloaded realpath() overruns the buffer glibc allocates when given none.
        std::error_code ec;
        const fs::path event = fs::read_symlink(link, ec);
        if (!ec) {
            const fs::path id = fs::path("/sys/class/input") / event.filename() / "device" / "id";
            const unsigned vendor = hexValue(readAttribute(id / "vendor"));
            const unsigned product = hexValue(readAttribute(id / "product"));
            if (vendor != 0)
                applyCatalogue(device, catalogue, vendor, product);
        }
        out.push_back(std::move(device));
    }
}

void discoverSerial(std::vector<FoundDevice>& out)
{
    std::vector<fs::path> nodes = listDir("/dev/serial/by-id");
    if (nodes.empty()) {
        for (const auto& tty : listDir("/sys/class/tty")) {
            const std::string name = tty.filename().string();
            if (name.rfind("ttyUSB", 0) == 0 || name.rfind("ttyACM", 0) == 0)
                nodes.push_back(fs::path("/dev") / name);
        }
    }
    for (const auto& node : nodes) {
        FoundDevice device;
        device.uri = "tty:" + node.string();
        device.kind = "unknown";
        device.matchedBy = "subsystem";
        device.name = node.filename().string();
        device.note = "serial device: add ?protocol=mt-sics|sma|nci (scale) or serial-scanner";
        out.push_back(std::move(device));
    }
}

void discoverVideo(std::vector<FoundDevice>& out)
{
    for (const auto& node : listDir("/sys/class/video4linux")) {
        FoundDevice device;
        device.uri = "v4l2:/dev/" + node.filename().string();
        device.kind = "camera";
        device.driver = "v4l2";
        device.matchedBy = "subsystem";
        device.name = readAttribute(node / "name");
        out.push_back(std::move(device));
    }
}

} // namespace

HidClass classifyHidDescriptor(std::span<const std::uint8_t> descriptor)
{
    const auto page = drivers::protocol::hidTopLevelUsagePage(descriptor);
    if (page == drivers::protocol::kHidUsagePageScale)
        return {"scale", "hid-pos-scale"};
    if (page == drivers::protocol::kHidUsagePageBarcodeScanner)
        return {"scanner", "hid-pos-scanner"};
    return {};
}

std::vector<FoundDevice> discoverDevices(const Catalogue& catalogue)
{
    std::vector<FoundDevice> out;
    discoverUsb(catalogue, out);
    discoverHidraw(catalogue, out);
    discoverInput(catalogue, out);
    discoverSerial(out);
    discoverVideo(out);
    return out;
}

} // namespace retour::hwconfig
