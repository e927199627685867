#include "retour/station/gtin.h"

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

} // namespace
} // namespace retour::station
