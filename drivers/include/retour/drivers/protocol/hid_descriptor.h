#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace retour::drivers::protocol {

// HID usage pages that name bench devices (HID POS usage tables).
inline constexpr std::uint16_t kHidUsagePageBarcodeScanner = 0x8C;
inline constexpr std::uint16_t kHidUsagePageScale = 0x8D;

// The top-level usage page of a HID report descriptor: the Usage Page in effect at its first Usage
// or Collection item, the one that names the device (HID 1.11 §6.2.2.7, §6.2.2.8). A Usage Page
// item replaces the one before it; a zero-size one means page 0; a 4-byte Usage carries its own
// page. When the descriptor ends (or is cut) before a Usage or Collection, the last Usage Page
// seen; nullopt when there is none. Long items are skipped. This is the one answer, for the
// drivers and hw-config alike, to "is this HID device a scale (0x8D) or a scanner (0x8C)?"
// (docs/protocols/hid-pos-scale.md §5). Pure and reentrant; never throws on any input.
std::optional<std::uint16_t> hidTopLevelUsagePage(std::span<const std::uint8_t> descriptor);

} // namespace retour::drivers::protocol
