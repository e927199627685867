#include "retour/drivers/protocol/weight_units.h"

#include "retour/drivers/protocol/hid_scale.h"

#include <array>
#include <cctype>

namespace retour::drivers::protocol {

namespace {

struct UnitName
{
    std::string_view symbol;
    HidScaleUnit unit;
};

// One conversion table for the whole driver layer: the HID POS one (hid_scale.h), named the ways
// serial scales write the units.
constexpr std::array<UnitName, 16> kUnits = {{
    {"mg", HidScaleUnit::Milligram},
    {"g", HidScaleUnit::Gram},
    {"kg", HidScaleUnit::Kilogram},
    {"ct", HidScaleUnit::Carat},
    {"tael", HidScaleUnit::Tael},
    {"tl", HidScaleUnit::Tael},
    {"gr", HidScaleUnit::Grain},
    {"gn", HidScaleUnit::Grain},
    {"dwt", HidScaleUnit::Pennyweight},
    {"t", HidScaleUnit::MetricTon},
    {"ton", HidScaleUnit::AvoirTon},
    {"ozt", HidScaleUnit::TroyOunce},
    {"oz", HidScaleUnit::Ounce},
    {"lb", HidScaleUnit::Pound},
    {"lbs", HidScaleUnit::Pound},
    {"#", HidScaleUnit::Pound},
}};

} // namespace

std::string canonicalUnitSymbol(std::string_view symbol)
{
    std::string out;
    for (const char c : symbol) {
        if (c != ' ') {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    if (out == "gn") {
        return "gr";
    }
    if (out == "lbs" || out == "#") {
        return "lb";
    }
    if (out == "tl") {
        return "tael";
    }
    return out;
}

std::optional<double> gramsPerUnitSymbol(std::string_view symbol)
{
    const std::string canonical = canonicalUnitSymbol(symbol);
    for (const auto& entry : kUnits) {
        if (entry.symbol == canonical) {
            return gramsPerUnit(entry.unit);
        }
    }
    return std::nullopt;
}

} // namespace retour::drivers::protocol
