#pragma once

#include "retour/drivers/error.h"
#include "retour/drivers/events.h"

#include <cstdint>
#include <span>

namespace retour::drivers::protocol {

// USB HID POS scale data report (usage page 0x8D; docs/protocols/hid-pos-scale.md §2):
//   byte 0 report id (3, or 4 on some scales), 1 status (1..8), 2 unit (1..12), 3 signed power-of-ten
//   exponent, 4-5 weight, unsigned little-endian.

enum class HidScaleUnit : std::uint8_t
{
    Milligram = 1,
    Gram = 2,
    Kilogram = 3,
    Carat = 4,
    Tael = 5,
    Grain = 6,
    Pennyweight = 7,
    MetricTon = 8,
    AvoirTon = 9,
    TroyOunce = 10,
    Ounce = 11,
    Pound = 12,
};

// Grams in one unit, and the unit's short name ("oz"). Reentrant.
double gramsPerUnit(HidScaleUnit unit);
const char* unitSymbol(HidScaleUnit unit);

// Parse one input report (report id included, as libusb and hidraw deliver it). Extra bytes after
// the sixth are ignored. Short reports, other report ids and unknown status or unit codes give a
// Protocol error naming the bytes; never throws. Status 2 (stable at centre of zero) is a valid 0 g;
// status 5 (under zero) gives negative grams. Reentrant.
Result<Weight> parseHidScaleReport(std::span<const std::uint8_t> report);

} // namespace retour::drivers::protocol
