#include "retour/drivers/protocol/nci.h"
#include "retour/drivers/protocol/sma.h"

#include <gtest/gtest.h>

namespace retour::drivers::protocol {
namespace {

std::string smaFrame(char status, char mode, char motion, const std::string& field,
                     const std::string& unit = " lb")
{
    std::string value(10 - std::min<std::size_t>(10, field.size()), ' ');
    return std::string(1, status) + "1" + mode + motion + " " + value + field + unit;
}

TEST(Sma, ParsesTheStandardReply)
{
    const auto reply = parseSmaFrame(smaFrame(' ', 'G', ' ', "12.345"));
    ASSERT_TRUE(reply) << reply.error().message;
    ASSERT_EQ(reply->kind, SmaReply::Kind::Reading);
    EXPECT_EQ(reply->reading.mode, 'G');
    EXPECT_FALSE(reply->reading.motion);
    EXPECT_DOUBLE_EQ(*reply->reading.value, 12.345);
    EXPECT_EQ(reply->reading.unit, "lb");
    const auto w = smaWeight(reply->reading);
    ASSERT_TRUE(w);
    EXPECT_EQ(w->status, WeightStatus::Stable);
    EXPECT_NEAR(w->grams, 12.345 * 453.59237, 1e-9);
}

TEST(Sma, MapsEveryStatus)
{
    const auto status = [](char s, char motion, const std::string& field) {
        return smaWeight(parseSmaFrame(smaFrame(s, 'N', motion, field))->reading);
    };
    EXPECT_EQ(status('Z', ' ', "0.000")->status, WeightStatus::Stable);
    EXPECT_EQ(status(' ', 'M', "1.000")->status, WeightStatus::InMotion);
    EXPECT_EQ(status('O', ' ', "----------")->status, WeightStatus::Overload);
    EXPECT_EQ(status('U', ' ', "----------")->status, WeightStatus::UnderZero);
    EXPECT_EQ(status(' ', ' ', "-0.010")->status, WeightStatus::UnderZero);
    EXPECT_EQ(status('E', ' ', "0.000")->status, WeightStatus::NeedsZero);
    EXPECT_EQ(status('I', ' ', "0.000")->status, WeightStatus::NeedsZero);
    EXPECT_EQ(status('T', ' ', "0.000")->status, WeightStatus::Fault);
    EXPECT_FALSE(status(' ', ' ', "----------")) << "ok status with dashes has no weight";
    EXPECT_FALSE(smaWeight(parseSmaFrame(smaFrame(' ', 'T', ' ', "1.0"))->reading)) << "tare is not a weight";
    const auto high = parseSmaFrame(smaFrame(' ', 'g', ' ', "1.2345"));
    ASSERT_TRUE(high);
    EXPECT_TRUE(high->reading.highResolution);
    EXPECT_EQ(high->reading.mode, 'G');
}

TEST(Sma, SkipsEchoBeforeTheHeaderAndKnowsOtherReplies)
{
    const auto echoed = parseSmaFrame("W\x20\x20" + smaFrame(' ', 'G', ' ', "3.000", " kg"));
    ASSERT_TRUE(echoed) << echoed.error().message;
    EXPECT_DOUBLE_EQ(*echoed->reading.value, 3.0);
    EXPECT_EQ(parseSmaFrame("?")->kind, SmaReply::Kind::Unknown);
    EXPECT_EQ(parseSmaFrame("SMA:2/1.0")->kind, SmaReply::Kind::Text);
    EXPECT_FALSE(parseSmaFrame("hello"));
    EXPECT_FALSE(parseSmaFrame(smaFrame(' ', 'G', ' ', "1.0", "")));
    EXPECT_FALSE(parseSmaFrame(smaFrame(' ', 'G', ' ', "1.x0")));
}

TEST(Sma, ParserResynchronisesOnLfEscAndOverlongFrames)
{
    const std::string good = "\n" + smaFrame(' ', 'G', ' ', "1.000") + "\r";
    const std::string stream = "junk\r\n 1G  partial\x1b" + good + "\n" + std::string(200, 'Q') + "\r" + good;
    for (std::size_t cut = 0; cut <= stream.size(); cut += 7) {
        SmaParser parser;
        auto out = parser.feed(stream.substr(0, cut));
        auto rest = parser.feed(stream.substr(cut));
        out.insert(out.end(), rest.begin(), rest.end());
        std::size_t readings = 0;
        for (const auto& r : out) {
            readings += r && r->kind == SmaReply::Kind::Reading ? 1 : 0;
        }
        EXPECT_EQ(readings, 2u) << "cut at " << cut;
    }
    EXPECT_EQ(smaCommand("W"), "\nW\r");
}

TEST(Nci, ParsesWeightAndStatus)
{
    const auto reply = parseNciFrame("\n0002.50LB\r\n00\r");
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(reply->kind, NciReply::Kind::Weight);
    EXPECT_DOUBLE_EQ(*reply->value, 2.5);
    EXPECT_EQ(reply->unit, "lb");
    const auto w = nciWeight(*reply);
    ASSERT_TRUE(w);
    EXPECT_EQ(w->status, WeightStatus::Stable);
    EXPECT_NEAR(w->grams, 2.5 * 453.59237, 1e-9);
}

TEST(Nci, StatusBitsMapToEveryState)
{
    const auto status = [](const std::string& bytes) {
        return nciWeight(*parseNciFrame("\n0001.00KG\r\n" + bytes + "\r"))->status;
    };
    EXPECT_EQ(status("00"), WeightStatus::Stable);
    EXPECT_EQ(status("20"), WeightStatus::Stable); // at zero: a valid reading
    EXPECT_EQ(status("10"), WeightStatus::InMotion);
    EXPECT_EQ(status("01"), WeightStatus::UnderZero);
    EXPECT_EQ(status("02"), WeightStatus::Overload);
    EXPECT_EQ(status("40"), WeightStatus::Fault); // RAM
    EXPECT_EQ(status("80"), WeightStatus::Fault); // EEPROM ('8' = 0x38)
    EXPECT_EQ(status("04"), WeightStatus::Fault); // ROM
    EXPECT_EQ(status("08"), WeightStatus::NeedsCalibration);
    EXPECT_EQ(status("008"), WeightStatus::NeedsZero); // initial zero error, byte 3
    EXPECT_EQ(status("S00"), WeightStatus::Stable);    // SCP-02
    EXPECT_EQ(status(std::string("\xb0\xb0", 2)), WeightStatus::Stable) << "parity bit ignored";
}

TEST(Nci, OtherReplyShapes)
{
    const auto lbOz = parseNciFrame("\n 2lb  8.0oz\r\n00\r");
    ASSERT_TRUE(lbOz);
    EXPECT_DOUBLE_EQ(*lbOz->value, 2.5);
    const auto statusOnly = parseNciFrame("\n20\r");
    ASSERT_TRUE(statusOnly);
    EXPECT_EQ(statusOnly->kind, NciReply::Kind::Status);
    EXPECT_FALSE(nciWeight(*statusOnly));
    EXPECT_EQ(parseNciFrame("\n?\r")->kind, NciReply::Kind::Unknown);
    EXPECT_FALSE(nciWeight(*parseNciFrame("\n?\r")));
    const auto over = parseNciFrame("\n^^^^^^\r\n02\r");
    ASSERT_TRUE(over);
    EXPECT_EQ(nciWeight(*over)->status, WeightStatus::Overload);
    EXPECT_FALSE(parseNciFrame("no lf"));
    EXPECT_FALSE(parseNciFrame("\n0001.00LB\r\nAB\r"));
    EXPECT_FALSE(parseNciFrame("\n12.3.4LB\r\n00\r"));
    EXPECT_FALSE(parseNciFrame("\nLB\r\n00\r"));
    EXPECT_EQ(nciCommand('W'), "W\r");
}

TEST(Nci, ParserSplitsAtEtxAtEveryCut)
{
    const std::string stream =
        std::string("~~\n0001.00LB\r\n00\r\x03") + std::string(300, 'x') + "\x03\n0002.00LB\r\n10\r\x03";
    for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
        NciParser parser;
        auto out = parser.feed(stream.substr(0, cut));
        auto rest = parser.feed(stream.substr(cut));
        out.insert(out.end(), rest.begin(), rest.end());
        ASSERT_EQ(out.size(), 3u) << "cut at " << cut;
        ASSERT_TRUE(out[0]);
        EXPECT_FALSE(out[1]) << "overlong frame";
        ASSERT_TRUE(out[2]);
        EXPECT_TRUE(out[2]->status.motion);
    }
}

} // namespace
} // namespace retour::drivers::protocol
