#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace retour::drivers::protocol {

// Weight units as serial scales spell them (MT-SICS "g", "kg", "lb", "oz", "ozt", "ct", "dwt", "GN";
// SMA " lb"; NCI "LB"; docs/protocols/serial-scales.md). Pure and reentrant.

// Grams in one unit named by `symbol` (case-insensitive, surrounding spaces ignored); nullopt when
// the unit is not known.
std::optional<double> gramsPerUnitSymbol(std::string_view symbol);

// The unit as Weight::deviceUnit carries it: lower-case, spaces removed ("LB" → "lb", "GN" → "gr").
std::string canonicalUnitSymbol(std::string_view symbol);

} // namespace retour::drivers::protocol
