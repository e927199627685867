#include "retour/drivers/protocol/hid_descriptor.h"

#include <cstddef>

namespace retour::drivers::protocol {

namespace {

// Short item prefix: bTag (bits 7-4), bType (bits 3-2: 0 main, 1 global, 2 local), bSize (bits 1-0:
// 0, 1, 2 or 4 data bytes). HID 1.11 §6.2.2.2.
constexpr std::uint8_t kLongItem = 0xFE;
constexpr std::uint8_t kUsagePage = 0x04;  // global, tag 0
constexpr std::uint8_t kUsage = 0x08;      // local, tag 0
constexpr std::uint8_t kCollection = 0xA0; // main, tag 10

// An item's unsigned data, little-endian; a zero-size item has the value 0 (HID 1.11 §6.2.2.4).
std::uint32_t itemData(std::span<const std::uint8_t> data)
{
    std::uint32_t value = 0;
    for (std::size_t b = 0; b < data.size(); ++b) {
        value |= static_cast<std::uint32_t>(data[b]) << (8 * b);
    }
    return value;
}

} // namespace

std::optional<std::uint16_t> hidTopLevelUsagePage(std::span<const std::uint8_t> descriptor)
{
    std::optional<std::uint16_t> page;
    std::size_t i = 0;
    while (i < descriptor.size()) {
        const std::uint8_t prefix = descriptor[i];
        if (prefix == kLongItem) { // 0xFE, data size, long tag, data: carries no usage
            if (i + 1 >= descriptor.size()) {
                return page;
            }
            i += 3 + static_cast<std::size_t>(descriptor[i + 1]);
            continue;
        }
        const std::size_t size = (prefix & 0x03) == 3 ? 4 : (prefix & 0x03);
        if (i + 1 + size > descriptor.size()) {
            return page;
        }
        const std::uint32_t value = itemData(descriptor.subspan(i + 1, size));
        switch (prefix & 0xFC) {
        case kUsagePage:
            page = static_cast<std::uint16_t>(value);
            break;
        case kUsage:
            // A 4-byte usage is an extended usage: its page is the high 16 bits (HID 1.11 §6.2.2.8).
            return size == 4 ? static_cast<std::uint16_t>(value >> 16) : page;
        case kCollection:
            return page;
        default:
            break;
        }
        i += 1 + size;
    }
    return page;
}

} // namespace retour::drivers::protocol
