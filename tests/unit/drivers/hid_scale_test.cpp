#include "retour/drivers/protocol/hid_scale.h"

#include <array>
#include <cmath>
#include <gtest/gtest.h>
#include <vector>

namespace retour::drivers::protocol {
namespace {

Result<Weight> parse(std::vector<std::uint8_t> bytes)
{
    return parseHidScaleReport(bytes);
}

TEST(HidScale, StableAtZeroIsAValidZero)
{
    const auto w = parse(
        {0x03, 0x02, 0x0B, 0xFF, 0x00, 0x00}); // real Dymo M10 capture (docs/protocols/hid-pos-scale.md §2)
    ASSERT_TRUE(w) << w.error().message;
    EXPECT_EQ(w->status, WeightStatus::Stable);
    EXPECT_TRUE(w->stable);
    EXPECT_EQ(w->grams, 0.0);
    EXPECT_EQ(w->deviceUnit, "oz");
}

TEST(HidScale, StableOuncesWithExponentMinusOne)
{
    const auto w = parse({0x03, 0x04, 0x0B, 0xFF, 0x1E, 0x00});
    ASSERT_TRUE(w);
    EXPECT_EQ(w->status, WeightStatus::Stable);
    EXPECT_TRUE(w->stable);
    EXPECT_DOUBLE_EQ(w->deviceValue, 3.0);
    EXPECT_DOUBLE_EQ(w->grams, 3.0 * 28.349523125);
}

TEST(HidScale, LittleEndianWeight)
{
    const auto w = parse({0x03, 0x04, 0x0B, 0xFF, 0x34, 0x19}); // 0x1934 = 6452 → 645.2 oz
    ASSERT_TRUE(w);
    EXPECT_DOUBLE_EQ(w->deviceValue, 645.2);
}

TEST(HidScale, GramsUseExponentZero)
{
    const auto w = parse({0x03, 0x04, 0x02, 0x00, 0x14, 0x00});
    ASSERT_TRUE(w);
    EXPECT_DOUBLE_EQ(w->grams, 20.0);
    EXPECT_EQ(w->deviceUnit, "g");
}

TEST(HidScale, SignedExponents)
{
    auto w = parse({0x03, 0x04, 0x03, 0xFE, 0xD2, 0x04}); // 1234 × 10^-2 kg
    ASSERT_TRUE(w);
    EXPECT_DOUBLE_EQ(w->deviceValue, 12.34);
    EXPECT_DOUBLE_EQ(w->grams, 12340.0);
    w = parse({0x03, 0x04, 0x02, 0x01, 0x05, 0x00}); // 5 × 10^1 g
    ASSERT_TRUE(w);
    EXPECT_DOUBLE_EQ(w->grams, 50.0);
    w = parse({0x03, 0x04, 0x02, 0x80, 0x01, 0x00}); // 10^-128: tiny, not a crash
    ASSERT_TRUE(w);
    EXPECT_GE(w->grams, 0.0);
    EXPECT_LT(w->grams, 1e-100);
}

TEST(HidScale, InMotion)
{
    const auto w = parse({0x03, 0x03, 0x0B, 0xFF, 0x14, 0x00});
    ASSERT_TRUE(w);
    EXPECT_EQ(w->status, WeightStatus::InMotion);
    EXPECT_FALSE(w->stable);
    EXPECT_DOUBLE_EQ(w->deviceValue, 2.0);
}

TEST(HidScale, UnderZeroIsNegative)
{
    const auto w = parse({0x03, 0x05, 0x02, 0x00, 0x14, 0x00});
    ASSERT_TRUE(w);
    EXPECT_EQ(w->status, WeightStatus::UnderZero);
    EXPECT_FALSE(w->stable);
    EXPECT_DOUBLE_EQ(w->grams, -20.0);
}

TEST(HidScale, ErrorStatuses)
{
    const std::pair<std::uint8_t, WeightStatus> table[] = {
        {0x01, WeightStatus::Fault},
        {0x06, WeightStatus::Overload},
        {0x07, WeightStatus::NeedsCalibration},
        {0x08, WeightStatus::NeedsZero},
    };
    for (const auto& [code, status] : table) {
        const auto w = parse({0x03, code, 0x02, 0x00, 0x00, 0x00});
        ASSERT_TRUE(w) << int(code);
        EXPECT_EQ(w->status, status) << int(code);
        EXPECT_FALSE(w->stable) << int(code);
    }
    // An error status needs no unit.
    const auto fault = parse({0x03, 0x01, 0x00, 0x00, 0x00, 0x00});
    ASSERT_TRUE(fault);
    EXPECT_EQ(fault->status, WeightStatus::Fault);
}

TEST(HidScale, EveryUnitInGrams)
{
    struct Case
    {
        std::uint8_t code;
        const char* symbol;
        double grams; // for a value of 1
    };
    const Case cases[] = {
        {1, "mg", 0.001},          {2, "g", 1.0},           {3, "kg", 1000.0},        {4, "ct", 0.2},
        {5, "tael", 37.799364167}, {6, "gr", 0.06479891},   {7, "dwt", 1.55517384},   {8, "t", 1.0e6},
        {9, "ton", 907184.74},     {10, "ozt", 31.1034768}, {11, "oz", 28.349523125}, {12, "lb", 453.59237},
    };
    for (const auto& c : cases) {
        const auto w = parse({0x03, 0x04, c.code, 0x00, 0x01, 0x00});
        ASSERT_TRUE(w) << int(c.code);
        EXPECT_EQ(w->deviceUnit, c.symbol);
        EXPECT_DOUBLE_EQ(w->deviceValue, 1.0);
        EXPECT_DOUBLE_EQ(w->grams, c.grams) << c.symbol;
    }
    // Cross-checks: 16 oz = 1 lb, 480 grains = 1 troy ounce, 24 grains = 1 pennyweight.
    EXPECT_NEAR(16 * gramsPerUnit(HidScaleUnit::Ounce), gramsPerUnit(HidScaleUnit::Pound), 1e-9);
    EXPECT_NEAR(480 * gramsPerUnit(HidScaleUnit::Grain), gramsPerUnit(HidScaleUnit::TroyOunce), 1e-9);
    EXPECT_NEAR(24 * gramsPerUnit(HidScaleUnit::Grain), gramsPerUnit(HidScaleUnit::Pennyweight), 1e-9);
    EXPECT_NEAR(2000 * gramsPerUnit(HidScaleUnit::Pound), gramsPerUnit(HidScaleUnit::AvoirTon), 1e-6);
}

TEST(HidScale, ReportIdFourIsAccepted)
{
    const auto w = parse({0x04, 0x04, 0x0C, 0xFF, 0x0F, 0x00}); // 1.5 lb
    ASSERT_TRUE(w);
    EXPECT_DOUBLE_EQ(w->grams, 1.5 * 453.59237);
}

TEST(HidScale, LongerReportsUseTheFirstSixBytes)
{
    const auto w = parse({0x03, 0x04, 0x02, 0x00, 0x14, 0x00, 0xAA, 0xBB});
    ASSERT_TRUE(w);
    EXPECT_DOUBLE_EQ(w->grams, 20.0);
}

TEST(HidScale, GarbageIsATypedError)
{
    const std::vector<std::vector<std::uint8_t>> garbage = {
        {},
        {0x03},
        {0x03, 0x04}, // the 2-byte reports between data reports (docs/protocols/hid-pos-scale.md §6)
        {0x03, 0x04, 0x0B, 0xFF, 0x1E},       // one byte short
        {0x05, 0x04, 0x0B, 0xFF, 0x1E, 0x00}, // weight-limit report id
        {0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
        {0x03, 0x09, 0x02, 0x00, 0x00, 0x00}, // status 9
        {0x03, 0x00, 0x02, 0x00, 0x00, 0x00}, // status 0
        {0x03, 0x04, 0x00, 0x00, 0x14, 0x00}, // unit 0 with a weight
        {0x03, 0x04, 0x0D, 0x00, 0x14, 0x00}, // unit 13
        {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF},
    };
    for (const auto& bytes : garbage) {
        const auto w = parseHidScaleReport(bytes);
        ASSERT_FALSE(w) << "accepted " << bytes.size() << " bytes";
        EXPECT_EQ(w.error().code, ErrorCode::Protocol);
        EXPECT_NE(w.error().message.find("HID scale report"), std::string::npos);
    }
}

TEST(HidScale, ErrorMessageShowsTheBytes)
{
    const auto w = parse({0x03, 0x04});
    ASSERT_FALSE(w);
    EXPECT_NE(w.error().message.find("[03 04]"), std::string::npos) << w.error().message;
    EXPECT_NE(w.error().message.find("too short"), std::string::npos) << w.error().message;
}

TEST(HidScale, EveryByteValueIsSafe)
{
    // Exhaustive over status and unit with random-ish weight bytes: never a crash, never NaN.
    for (int status = 0; status < 256; ++status) {
        for (int unit = 0; unit < 256; ++unit) {
            const std::array<std::uint8_t, 6> report = {0x03,
                                                        static_cast<std::uint8_t>(status),
                                                        static_cast<std::uint8_t>(unit),
                                                        static_cast<std::uint8_t>(status ^ unit),
                                                        0xFF,
                                                        0xFF};
            const auto w = parseHidScaleReport(report);
            if (w) {
                EXPECT_FALSE(std::isnan(w->grams));
            }
        }
    }
}

TEST(WeightStatusNames, All)
{
    EXPECT_STREQ(toString(WeightStatus::Stable), "stable");
    EXPECT_STREQ(toString(WeightStatus::InMotion), "in-motion");
    EXPECT_STREQ(toString(WeightStatus::UnderZero), "under-zero");
    EXPECT_STREQ(toString(WeightStatus::Overload), "overload");
    EXPECT_STREQ(toString(WeightStatus::NeedsZero), "needs-zero");
    EXPECT_STREQ(toString(WeightStatus::NeedsCalibration), "needs-calibration");
    EXPECT_STREQ(toString(WeightStatus::Fault), "fault");
}

} // namespace
} // namespace retour::drivers::protocol
