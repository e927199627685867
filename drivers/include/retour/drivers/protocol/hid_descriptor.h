#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace retour::drivers::protocol {

// HID usage pages that name bench devices (HID POS usage tables).
inline constexpr std::uint16_t kHidUsagePageBarcodeScanner = 0x8C;
inline constexpr std::uint16_t kHidUsagePageScale = 0x8D;

// The top-level usage page of a HID report descriptor: the first Usage Page global item (HID 1.11
// §6.2.2.7, prefix 0x05 with one data byte or 0x06 with two); nullopt when there is none or the
// descriptor is cut. Long items are skipped. Pure; never throws.
std::optional<std::uint16_t> hidTopLevelUsagePage(std::span<const std::uint8_t> descriptor);

} // namespace retour::drivers::protocol
