#include "scanner/hid_pos_scanner_hidraw.h"

#include "retour/drivers/protocol/hid_descriptor.h"

#include <array>
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <linux/hidraw.h>
#include <span>
#include <sys/ioctl.h>
#include <unistd.h>
#include <vector>

namespace retour::drivers::detail {

std::optional<std::uint16_t> hidrawUsagePage(const std::string& devnode)
{
    const std::string name = std::filesystem::path(devnode).filename().string();
    std::ifstream in("/sys/class/hidraw/" + name + "/device/report_descriptor", std::ios::binary);
    if (in) {
        const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in),
                                              std::istreambuf_iterator<char>()};
        if (auto page = protocol::hidTopLevelUsagePage(bytes)) {
            return page;
        }
    }
    UniqueFd fd(::open(devnode.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (!fd) {
        return std::nullopt;
    }
    int size = 0;
    if (::ioctl(fd.get(), HIDIOCGRDESCSIZE, &size) != 0 || size <= 0 || size > HID_MAX_DESCRIPTOR_SIZE) {
        return std::nullopt;
    }
    hidraw_report_descriptor descriptor{};
    descriptor.size = static_cast<__u32>(size);
    if (::ioctl(fd.get(), HIDIOCGRDESC, &descriptor) != 0) {
        return std::nullopt;
    }
    return protocol::hidTopLevelUsagePage(std::span<const std::uint8_t>(descriptor.value, descriptor.size));
}

HidrawPosScanner::HidrawPosScanner(DeviceUri uri) : NodeInputDevice(std::move(uri)) {}

HidrawPosScanner::~HidrawPosScanner()
{
    close();
}

Result<void> HidrawPosScanner::open()
{
    if (fd_) {
        return {};
    }
    const std::string& path = uri_.target;
    auto fd = openNode(path, O_RDONLY | O_NONBLOCK, "scanner " + uri_.text,
                       {" (is the scanner plugged in and in HID POS mode?)",
                        " (give the station user access to the hidraw node with a udev rule)", ""});
    if (!fd) {
        return std::unexpected(fd.error());
    }
    if (const auto page = hidrawUsagePage(path); page && *page != protocol::kHidUsagePageBarcodeScanner) {
        char text[8];
        std::snprintf(text, sizeof text, "0x%02X", *page);
        return std::unexpected(Error{ErrorCode::NotSupported, "scanner " + uri_.text + ": " + path +
                                                                  " has HID usage page " + text +
                                                                  ", not 0x8C (barcode scanner)"});
    }
    fd_ = std::move(*fd);
    description_ = "HID POS scanner on " + path;
    announce_ = true;
    assembler_.reset();
    skipped_ = 0;
    lastSkip_.clear();
    return {};
}

void HidrawPosScanner::close()
{
    fd_.reset();
    assembler_.reset();
    announce_ = false;
}

Clock::time_point HidrawPosScanner::nextDeadline() const
{
    if (announce_) {
        return Clock::time_point{};
    }
    if (fd_ && assembler_.pending()) {
        return lastReport_ + kPartialTimeout;
    }
    return Clock::time_point::max();
}

std::vector<DeviceEvent> HidrawPosScanner::service(Clock::time_point now)
{
    std::vector<DeviceEvent> events;
    if (!fd_) {
        return events;
    }
    announceOnline(events);
    std::array<std::uint8_t, 256> buffer{};
    const ReadEnd end = readAvailable(fd_.get(), buffer, [&](std::span<const std::uint8_t> report) {
        lastReport_ = now;
        auto result = assembler_.feed(report);
        if (!result) {
            ++skipped_;
            lastSkip_ = result.error().message;
        } else if (*result) {
            events.emplace_back(std::move(**result));
        }
    });
    if (end.lost()) {
        close(); // a partial barcode from a vanished scanner is not trusted
        events.emplace_back(DeviceOffline{scannerLost(uri_, end)});
        return events;
    }
    if (assembler_.pending() && now >= lastReport_ + kPartialTimeout) {
        ++skipped_;
        lastSkip_ =
            "scanner " + uri_.text + ": barcode left unfinished (continuation bit set, no more reports)";
        assembler_.reset();
    }
    return events;
}

} // namespace retour::drivers::detail
