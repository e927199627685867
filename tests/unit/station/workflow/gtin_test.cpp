#include "workflow/gtin.h"

#include <cstdint>
#include <gtest/gtest.h>

namespace retour::station {
namespace {

TEST(Gtin, ValidCheckDigitsAreAccepted)
{
    EXPECT_TRUE(isValidGtin("4006381333931"));  // EAN-13
    EXPECT_TRUE(isValidGtin("96385074"));       // EAN-8
    EXPECT_TRUE(isValidGtin("036000291452"));   // UPC-A
    EXPECT_TRUE(isValidGtin("10614141000415")); // GTIN-14
}

TEST(Gtin, WrongCheckDigitLengthOrCharactersAreRefused)
{
    EXPECT_FALSE(isValidGtin("4006381333932"));
    EXPECT_FALSE(isValidGtin("400638133393"));
    EXPECT_FALSE(isValidGtin("40063813339A1"));
    EXPECT_FALSE(isValidGtin(""));
    EXPECT_FALSE(isValidGtin("RMA-000101"));
}

TEST(Gtin, NormalisesToGtin14)
{
    EXPECT_EQ(normalizeGtin("4006381333931"), "04006381333931");
    EXPECT_EQ(normalizeGtin("96385074"), "00000096385074");
    EXPECT_FALSE(normalizeGtin("4006381333932").has_value());
}

TEST(Gtin, ParsesGs1ElementStringWithSerial)
{
    const auto item = parseGs1ElementString("0104006381333931"
                                            "17261231"
                                            "21SN-42\x1d"
                                            "10LOT7");
    ASSERT_TRUE(item.has_value());
    EXPECT_EQ(item->gtin, "04006381333931");
    EXPECT_EQ(item->serial, "SN-42");
    EXPECT_FALSE(parseGs1ElementString("4006381333931").has_value());
}

// SSCC 00 + 18 digits: 106141411234567897 has a valid check digit (GS1 GenSpecs example form).
constexpr const char* kSscc = "106141411234567897";

TEST(Gs1, SsccAloneAndWithOtherAis)
{
    const auto sscc = parseGs1(std::string("00") + kSscc);
    ASSERT_TRUE(sscc.has_value());
    EXPECT_EQ(sscc->sscc, kSscc);
    EXPECT_TRUE(sscc->gtin.empty());
    // Wrong SSCC check digit: not GS1.
    EXPECT_FALSE(parseGs1("00106141411234567890").has_value());
    // With a symbology identifier and a trailing AI 400 (order number).
    const auto withOrder = parseGs1(std::string("]C100") + kSscc + "400SO-1");
    ASSERT_TRUE(withOrder.has_value());
    EXPECT_EQ(withOrder->sscc, kSscc);
}

TEST(Gs1, GtinSerialBatchAndExpiryInEveryOrder)
{
    const auto item = parseGs1("]d201040063813339311726123110LOT-7\x1d"
                               "21SN-42");
    ASSERT_TRUE(item.has_value());
    EXPECT_EQ(item->gtin, "04006381333931");
    EXPECT_EQ(item->expiry, "261231");
    EXPECT_EQ(item->batch, "LOT-7");
    EXPECT_EQ(item->serial, "SN-42");
    // The batch ends at GS, the serial at the end: (10) before (21) is read apart.
    const auto batchLast = parseGs1("010400638133393121SN-9\x1d"
                                    "10L1");
    ASSERT_TRUE(batchLast.has_value());
    EXPECT_EQ(batchLast->serial, "SN-9");
    EXPECT_EQ(batchLast->batch, "L1");
}

TEST(Gs1, Fnc1FormsAndSymbologyIdentifiers)
{
    for (const std::string& text :
         {std::string("]C10104006381333931\x1d"
                      "21SN-1"),
          std::string("]Q30104006381333931\x1d"
                      "21SN-1\x1d"),
          std::string("\x1d"
                      "0104006381333931\x1d"
                      "21SN-1"),
          std::string("0104006381333931<GS>21SN-1"), std::string("(01)04006381333931(21)SN-1"),
          std::string("]d2(01)04006381333931(17)261231(21)SN-1")}) {
        const auto data = parseGs1(text);
        ASSERT_TRUE(data.has_value()) << text;
        EXPECT_EQ(data->gtin, "04006381333931") << text;
        EXPECT_EQ(data->serial, "SN-1") << text;
    }
}

TEST(Gs1, NotGs1WithoutAValidKey)
{
    EXPECT_FALSE(parseGs1("01-SERIAL-XYZ").has_value());    // a serial starting with 01
    EXPECT_FALSE(parseGs1("0104006381333932").has_value()); // bad GTIN check digit
    EXPECT_FALSE(parseGs1("RMA-000101").has_value());
    EXPECT_FALSE(parseGs1("").has_value());
    EXPECT_FALSE(parseGs1("]C1").has_value());
    EXPECT_FALSE(parseGs1("]d210LOT-1").has_value()); // GS1 symbol without SSCC or GTIN
    // Unknown AI: the walk stops, what was read is kept.
    const auto partial = parseGs1("0104006381333931"
                                  "99INTERNAL\x1d"
                                  "21SN-1");
    ASSERT_TRUE(partial.has_value());
    EXPECT_EQ(partial->gtin, "04006381333931");
    EXPECT_EQ(partial->serial, "SN-1"); // 99 is variable length, ends at GS
    const auto stop = parseGs1("010400638133393123XYZ");
    ASSERT_TRUE(stop.has_value());
    EXPECT_TRUE(stop->serial.empty());
    EXPECT_EQ(stripSymbologyIdentifier("]C0RMA-1"), "RMA-1");
    EXPECT_EQ(stripSymbologyIdentifier("RMA-1"), "RMA-1");
}

// Scanner garbage never crashes the parser and whatever it returns is a checked key: random
// strings over the characters of element strings (digits, GS, brackets, AIM prefixes).
TEST(Gs1, GarbageNeverCrashesAndKeysAreAlwaysValid)
{
    const std::string alphabet = "0123456789()]Cd1Q3<GS>\x1d"
                                 "AZ-";
    std::uint32_t state = 12345;
    const auto next = [&] {
        state = state * 1664525u + 1013904223u;
        return state >> 8;
    };
    for (int i = 0; i < 20000; ++i) {
        std::string text = i % 3 == 0 ? "01" : i % 3 == 1 ? "]d2" : "";
        const std::size_t length = next() % 48;
        for (std::size_t j = 0; j < length; ++j) {
            text += alphabet[next() % alphabet.size()];
        }
        const auto data = parseGs1(text);
        if (data) {
            EXPECT_TRUE(!data->sscc.empty() || !data->gtin.empty()) << text;
            EXPECT_TRUE(data->gtin.empty() || isValidGtin(data->gtin)) << text;
            EXPECT_TRUE(data->sscc.empty() ||
                        (data->sscc.size() == 18 &&
                         gs1CheckDigit(data->sscc.substr(0, 17)) == data->sscc.back() - '0'))
                << text;
        }
    }
}

} // namespace
} // namespace retour::station
