#include "retour/drivers/protocol/hid_scale.h"

#include <cmath>
#include <cstdio>
#include <iterator>

namespace retour::drivers::protocol {

namespace {

constexpr std::size_t kReportSize = 6;

std::string hexBytes(std::span<const std::uint8_t> bytes)
{
    std::string out;
    for (std::size_t i = 0; i < bytes.size() && i < 16; ++i) {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%s%02x", i == 0 ? "" : " ", bytes[i]);
        out += buf;
    }
    if (bytes.size() > 16) {
        out += " …";
    }
    return out;
}

Error reportError(std::span<const std::uint8_t> report, const std::string& what)
{
    return Error{ErrorCode::Protocol, "HID scale report [" + hexBytes(report) + "]: " + what};
}

// 10^n for the exponents scales use (0xFF, 0xFE, …): a table, not pow(), which dominates the parse.
double powerOfTen(int n)
{
    constexpr double kPowers[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    return n < static_cast<int>(std::size(kPowers)) ? kPowers[n] : std::pow(10.0, n);
}

bool isKnownUnit(std::uint8_t code)
{
    return code >= 1 && code <= 12;
}

} // namespace

// Conversion factors: exact SI definitions where they exist (avoirdupois pound = 453.59237 g,
// grain = 1/7000 lb, troy ounce = 480 grains, pennyweight = 24 grains, carat = 200 mg).
double gramsPerUnit(HidScaleUnit unit)
{
    switch (unit) {
    case HidScaleUnit::Milligram:
        return 0.001;
    case HidScaleUnit::Gram:
        return 1.0;
    case HidScaleUnit::Kilogram:
        return 1000.0;
    case HidScaleUnit::Carat:
        return 0.2;
    case HidScaleUnit::Tael:
        return 37.799364167; // Hong Kong tael (the HID POS table does not say which tael)
    case HidScaleUnit::Grain:
        return 0.06479891;
    case HidScaleUnit::Pennyweight:
        return 1.55517384;
    case HidScaleUnit::MetricTon:
        return 1.0e6;
    case HidScaleUnit::AvoirTon:
        return 907184.74; // short ton, 2000 avoirdupois pounds
    case HidScaleUnit::TroyOunce:
        return 31.1034768;
    case HidScaleUnit::Ounce:
        return 28.349523125;
    case HidScaleUnit::Pound:
        return 453.59237;
    }
    return 0.0;
}

const char* unitSymbol(HidScaleUnit unit)
{
    switch (unit) {
    case HidScaleUnit::Milligram:
        return "mg";
    case HidScaleUnit::Gram:
        return "g";
    case HidScaleUnit::Kilogram:
        return "kg";
    case HidScaleUnit::Carat:
        return "ct";
    case HidScaleUnit::Tael:
        return "tael";
    case HidScaleUnit::Grain:
        return "gr";
    case HidScaleUnit::Pennyweight:
        return "dwt";
    case HidScaleUnit::MetricTon:
        return "t";
    case HidScaleUnit::AvoirTon:
        return "ton";
    case HidScaleUnit::TroyOunce:
        return "ozt";
    case HidScaleUnit::Ounce:
        return "oz";
    case HidScaleUnit::Pound:
        return "lb";
    }
    return "";
}

Result<Weight> parseHidScaleReport(std::span<const std::uint8_t> report)
{
    if (report.size() < kReportSize) {
        return std::unexpected(reportError(report, "too short (" + std::to_string(report.size()) +
                                                       " bytes, a data report has 6)"));
    }
    const std::uint8_t id = report[0];
    if (id != 0x03 && id != 0x04) {
        return std::unexpected(
            reportError(report, "report id " + std::to_string(id) + " is not a scale data report (3 or 4)"));
    }
    const std::uint8_t statusCode = report[1];
    const std::uint8_t unitCode = report[2];
    const auto exponent = static_cast<std::int8_t>(report[3]);
    const unsigned raw = static_cast<unsigned>(report[4]) | (static_cast<unsigned>(report[5]) << 8);

    Weight weight;
    bool errorStatus = false;
    switch (statusCode) {
    case 0x01:
        weight.status = WeightStatus::Fault;
        errorStatus = true;
        break;
    case 0x02:
        weight.status = WeightStatus::Stable; // stable at centre of zero: a valid reading of 0
        weight.stable = true;
        break;
    case 0x03:
        weight.status = WeightStatus::InMotion;
        break;
    case 0x04:
        weight.status = WeightStatus::Stable;
        weight.stable = true;
        break;
    case 0x05:
        weight.status = WeightStatus::UnderZero; // the weight field is unsigned: the sign is here
        break;
    case 0x06:
        weight.status = WeightStatus::Overload;
        errorStatus = true;
        break;
    case 0x07:
        weight.status = WeightStatus::NeedsCalibration;
        errorStatus = true;
        break;
    case 0x08:
        weight.status = WeightStatus::NeedsZero;
        errorStatus = true;
        break;
    default:
        return std::unexpected(
            reportError(report, "unknown status code " + std::to_string(statusCode) + " (1..8 are defined)"));
    }

    if (!isKnownUnit(unitCode)) {
        if (errorStatus) {
            // A scale in an error state need not name a unit; the status is what matters.
            return weight;
        }
        return std::unexpected(
            reportError(report, "unknown unit code " + std::to_string(unitCode) + " (1..12 are defined)"));
    }
    const auto unit = static_cast<HidScaleUnit>(unitCode);
    weight.deviceUnit = unitSymbol(unit);
    if (statusCode == 0x02) {
        return weight; // 0 in the device unit
    }
    // Divide for negative exponents: 30 / 10 is exactly 3, 30 * 0.1 is not.
    double value = exponent < 0 ? static_cast<double>(raw) / powerOfTen(-exponent)
                                : static_cast<double>(raw) * powerOfTen(exponent);
    if (weight.status == WeightStatus::UnderZero) {
        value = -value;
    }
    weight.deviceValue = value;
    weight.grams = value * gramsPerUnit(unit);
    return weight;
}

} // namespace retour::drivers::protocol
