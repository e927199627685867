#include "retour/drivers/protocol/gs1.h"
#include "retour/drivers/protocol/keyboard_wedge.h"

#include <gtest/gtest.h>

namespace retour::drivers::protocol {
namespace {

std::string gs1Text(const std::vector<Gs1Element>& elements)
{
    std::string out;
    for (const auto& e : elements) {
        out += "(" + e.ai + ")" + e.value;
    }
    return out;
}

TEST(Gs1CheckDigit, MatchesTheWorkedExamples)
{
    EXPECT_EQ(gs1CheckDigit("400638133393"), '1');
    EXPECT_EQ(gs1CheckDigit("0952123454321"), '3');
    EXPECT_EQ(gs1CheckDigit("10614141123456789"), '7');
    EXPECT_EQ(gs1CheckDigit("9501234"), '6');
    EXPECT_FALSE(gs1CheckDigit(""));
    EXPECT_FALSE(gs1CheckDigit("12a4"));
}

TEST(Gs1ElementString, ParsesFixedAndVariableElements)
{
    const auto parsed = parseGs1ElementString("0109521234543213\x1d"
                                              "10LOT-7b\x1d"
                                              "21SN12345");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(gs1Text(*parsed), "(01)09521234543213(10)LOT-7b(21)SN12345");
}

TEST(Gs1ElementString, PredefinedLengthNeedsNoSeparator)
{
    const auto parsed = parseGs1ElementString("0109521234543213"
                                              "17251231"
                                              "3103000500"
                                              "10AB");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(gs1Text(*parsed), "(01)09521234543213(17)251231(3103)000500(10)AB");
}

TEST(Gs1ElementString, SsccAndLeadingGsAndReturnToAis)
{
    const auto parsed = parseGs1ElementString("\x1d"
                                              "00106141411234567897"
                                              "4318NL-1012\x1d"
                                              "4321"
                                              "1");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(gs1Text(*parsed), "(00)106141411234567897(4318)NL-1012(4321)1");
}

TEST(Gs1ElementString, WrongCheckDigitIsMalformed)
{
    const auto parsed = parseGs1ElementString("0109521234543214");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, ErrorCode::Protocol);
    EXPECT_NE(parsed.error().message.find("AI (01) check digit is 4, expected 3"), std::string::npos)
        << parsed.error().message;
    EXPECT_FALSE(parseGs1ElementString("00106141411234567890"));
}

TEST(Gs1ElementString, MalformedInputsAreRefusedNotGuessed)
{
    EXPECT_FALSE(parseGs1ElementString(""));               // nothing
    EXPECT_FALSE(parseGs1ElementString("\x1d"));           // FNC1 only
    EXPECT_FALSE(parseGs1ElementString("01095212345432")); // GTIN cut short
    EXPECT_FALSE(parseGs1ElementString("0109521234543213\x1d\x1d"
                                       "10A"));                       // empty element
    EXPECT_FALSE(parseGs1ElementString("99"));                        // variable AI without data
    EXPECT_FALSE(parseGs1ElementString("2312345"));                   // unknown AI 23x
    EXPECT_FALSE(parseGs1ElementString("10" + std::string(21, 'A'))); // lot longer than 20: missing GS
    EXPECT_FALSE(parseGs1ElementString("17251331"));                  // month 13
    EXPECT_FALSE(parseGs1ElementString("10AB CD"));                   // space outside set 82
    EXPECT_FALSE(parseGs1ElementString("0109521234A43213"));          // letter in a numeric field
    EXPECT_FALSE(parseGs1ElementString("ABC"));                       // no AI at all
}

TEST(Gs1ElementString, VariableElementMayEndWithTrailingGs)
{
    const auto parsed = parseGs1ElementString("21ABC\x1d");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(gs1Text(*parsed), "(21)ABC");
}

TEST(Gs1AiTable, LengthsAndFamilies)
{
    const auto sscc = gs1AiFormat("00");
    ASSERT_TRUE(sscc);
    EXPECT_EQ(sscc->aiLength, 2u);
    EXPECT_EQ(sscc->minLength, 18u);
    EXPECT_EQ(sscc->checkedLength, 18u);
    const auto weight = gs1AiFormat("3102");
    ASSERT_TRUE(weight);
    EXPECT_EQ(weight->aiLength, 4u);
    EXPECT_EQ(weight->maxLength, 6u);
    const auto itip = gs1AiFormat("8006");
    ASSERT_TRUE(itip);
    EXPECT_EQ(itip->checkedLength, 14u);
    EXPECT_FALSE(gs1AiFormat("23"));
    EXPECT_TRUE(gs1PredefinedLength("01"));
    EXPECT_TRUE(gs1PredefinedLength("3103"));
    EXPECT_FALSE(gs1PredefinedLength("10"));
    EXPECT_FALSE(gs1PredefinedLength("8006"));
}

TEST(Gs1Lenient, SplitsLikeTheStrictParserWhereItAccepts)
{
    for (const std::string_view text : {std::string_view("0109521234543213\x1d"
                                                         "10LOT-7b\x1d"
                                                         "21SN12345"),
                                        std::string_view("0109521234543213"
                                                         "17251231"
                                                         "3103000500"
                                                         "10AB"),
                                        std::string_view("\x1d"
                                                         "00106141411234567897"
                                                         "4318NL-1012\x1d"
                                                         "4321"
                                                         "1")}) {
        const auto strict = parseGs1ElementString(text);
        ASSERT_TRUE(strict) << strict.error().message;
        EXPECT_EQ(gs1Text(readGs1Elements(text)), gs1Text(*strict));
    }
}

TEST(Gs1Lenient, ReadsWhatTheStrictParserRefusesUpToTheFirstUnknownAi)
{
    // A wrong check digit is read, not checked.
    EXPECT_EQ(gs1Text(readGs1Elements("0109521234543214")), "(01)09521234543214");
    EXPECT_FALSE(parseGs1ElementString("0109521234543214"));
    // Doubled and trailing GS are skipped; an unknown AI ends the walk, what came before is kept.
    EXPECT_EQ(gs1Text(readGs1Elements("0109521234543213\x1d\x1d"
                                      "21SN-1\x1d"
                                      "23XYZ\x1d"
                                      "10LOT")),
              "(01)09521234543213(21)SN-1");
    // A fixed-length field cut short ends it too.
    EXPECT_EQ(gs1Text(readGs1Elements("21A\x1d"
                                      "01123")),
              "(21)A");
    EXPECT_TRUE(readGs1Elements("").empty());
    EXPECT_TRUE(readGs1Elements("RMA-000101").empty());
}

TEST(AnnotateGs1, AimAnnouncedGs1IsParsedOrReportedMalformed)
{
    Scan good;
    good.aimId = "]C1";
    good.text = "0109521234543213\x1d"
                "21X";
    annotateGs1(good);
    EXPECT_EQ(gs1Text(good.gs1), "(01)09521234543213(21)X");
    EXPECT_TRUE(good.gs1Error.empty());

    Scan bad;
    bad.aimId = "]d2";
    bad.text = "0109521234543219";
    annotateGs1(bad);
    EXPECT_TRUE(bad.gs1.empty());
    EXPECT_NE(bad.gs1Error.find("check digit"), std::string::npos);
}

TEST(AnnotateGs1, PlainCodesAreLeftAlone)
{
    Scan ean;
    ean.aimId = "]E0";
    ean.text = "4006381333931";
    annotateGs1(ean);
    EXPECT_TRUE(ean.gs1.empty());
    EXPECT_TRUE(ean.gs1Error.empty());

    Scan rma; // no AIM id, no GS: never taken for GS1 even though "10" is an AI
    rma.text = "10ABC";
    annotateGs1(rma);
    EXPECT_TRUE(rma.gs1.empty());

    Scan noAim; // no AIM id but GS-separated and clean: GS1
    noAim.text = "0109521234543213\x1d"
                 "10AB";
    annotateGs1(noAim);
    EXPECT_EQ(noAim.gs1.size(), 2u);

    Scan noAimBad; // no AIM id, GS inside, not GS1: left alone, no error claimed
    noAimBad.text = "HELLO\x1dWORLD";
    annotateGs1(noAimBad);
    EXPECT_TRUE(noAimBad.gs1.empty());
    EXPECT_TRUE(noAimBad.gs1Error.empty());
}

TEST(AnnotateGs1, WedgeScansCarryTheirAis)
{
    KeyboardWedgeOptions options;
    options.gsSubstitute = "<GS>";
    const Scan scan = makeScan("]Q30109521234543213<GS>21ABC", options);
    EXPECT_EQ(gs1Text(scan.gs1), "(01)09521234543213(21)ABC");
}

} // namespace
} // namespace retour::drivers::protocol
