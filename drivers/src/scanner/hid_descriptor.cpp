#include "retour/drivers/protocol/hid_descriptor.h"

#include <cstddef>

namespace retour::drivers::protocol {

std::optional<std::uint16_t> hidTopLevelUsagePage(std::span<const std::uint8_t> descriptor)
{
    std::size_t i = 0;
    while (i < descriptor.size()) {
        const std::uint8_t prefix = descriptor[i];
        if (prefix == 0xFE) { // long item: 0xFE, data size, tag, data
            if (i + 1 >= descriptor.size()) {
                return std::nullopt;
            }
            i += 3 + static_cast<std::size_t>(descriptor[i + 1]);
            continue;
        }
        const std::size_t size = (prefix & 0x03) == 3 ? 4 : (prefix & 0x03);
        if (i + 1 + size > descriptor.size()) {
            return std::nullopt;
        }
        if ((prefix & 0xFC) == 0x04) { // global item, tag 0: Usage Page
            if (size == 0) {
                return std::nullopt;
            }
            std::uint16_t page = descriptor[i + 1];
            if (size >= 2) {
                page = static_cast<std::uint16_t>(page | (descriptor[i + 2] << 8));
            }
            return page;
        }
        i += 1 + size;
    }
    return std::nullopt;
}

} // namespace retour::drivers::protocol
