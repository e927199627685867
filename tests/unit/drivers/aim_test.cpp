#include "retour/drivers/protocol/aim.h"

#include <gtest/gtest.h>

namespace retour::drivers::protocol {
namespace {

TEST(Aim, SplitsKnownPrefix)
{
    const auto split = splitAimPrefix("]E04006381333931");
    ASSERT_TRUE(split);
    EXPECT_EQ(split->aimId, "]E0");
    EXPECT_EQ(split->symbology, "EAN-13");
    EXPECT_EQ(split->data, "4006381333931");
}

TEST(Aim, NoPrefix)
{
    EXPECT_FALSE(splitAimPrefix("RMA-000101"));
    EXPECT_FALSE(splitAimPrefix("]C"));
    EXPECT_FALSE(splitAimPrefix("]1C0"));
    EXPECT_FALSE(splitAimPrefix("]C-"));
    EXPECT_FALSE(splitAimPrefix(""));
}

TEST(Aim, UnknownIdKeepsTheIdWithoutName)
{
    const auto split = splitAimPrefix("]H1data");
    ASSERT_TRUE(split);
    EXPECT_EQ(split->aimId, "]H1");
    EXPECT_EQ(split->symbology, "");
    EXPECT_EQ(split->data, "data");
}

TEST(Aim, SymbologyTable)
{
    const std::pair<const char*, const char*> table[] = {
        {"]A0", "Code 39"},
        {"]C0", "Code 128"},
        {"]C1", "GS1-128"},
        {"]C2", "Code 128"},
        {"]E0", "EAN-13"},
        {"]E3", "EAN-13 with add-on"},
        {"]E4", "EAN-8"},
        {"]e0", "GS1 DataBar"},
        {"]F0", "Codabar"},
        {"]G0", "Code 93"},
        {"]I1", "ITF"},
        {"]L2", "PDF417"},
        {"]d1", "Data Matrix"},
        {"]d2", "GS1 DataMatrix"},
        {"]d5", "GS1 DataMatrix"},
        {"]Q1", "QR"},
        {"]Q3", "GS1 QR"},
        {"]z0", "Aztec"},
        {"]z1", "GS1 Aztec"},
        {"]U0", "MaxiCode"},
        {"]X0", "Other"},
    };
    for (const auto& [id, name] : table) {
        EXPECT_EQ(aimSymbology(id), name) << id;
    }
    EXPECT_EQ(aimSymbology("C1"), "");
}

TEST(Aim, Gs1Ids)
{
    for (const char* id : {"]C1", "]d2", "]Q3", "]e0"}) {
        EXPECT_TRUE(aimIsGs1(id)) << id;
    }
    for (const char* id : {"]C0", "]d1", "]Q1", "]E0"}) {
        EXPECT_FALSE(aimIsGs1(id)) << id;
    }
}

} // namespace
} // namespace retour::drivers::protocol
