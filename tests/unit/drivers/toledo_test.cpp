// Toledo 8213 demand and continuous output (protocol/toledo.h, docs/protocols/serial-scales.md §4): frames,
// status bits, checksum, split frames and garbage, and the Weight each reply means.
#include "retour/drivers/protocol/toledo.h"

#include <gtest/gtest.h>

namespace retour::drivers::protocol {
namespace {

constexpr char kStx = 0x02;

std::string demand(std::string_view body)
{
    return std::string(1, kStx) + std::string(body) + "\r";
}

// STX SWA SWB SWC weight [tare] CR CHK with a correct checksum.
std::string continuous(char swa, char swb, char swc, std::string_view digits, bool checksum = true)
{
    std::string frame = std::string(1, kStx) + swa + swb + swc + std::string(digits) + "\r";
    if (checksum) {
        frame += toledoChecksum(frame);
    }
    return frame;
}

TEST(ToledoDemand, ParsesAWeightWithoutUnit)
{
    const auto reply = parseToledoDemandFrame("012.50");
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(reply->kind, ToledoReply::Kind::Weight);
    EXPECT_DOUBLE_EQ(*reply->value, 12.5);
    const auto weight = toledoWeight(*reply, "kg");
    ASSERT_TRUE(weight);
    EXPECT_EQ(weight->status, WeightStatus::Stable);
    EXPECT_TRUE(weight->stable);
    EXPECT_DOUBLE_EQ(weight->grams, 12500);
    EXPECT_EQ(weight->deviceUnit, "kg");
}

TEST(ToledoDemand, EveryStatusBitMapsToAWeightStatus)
{
    struct Case
    {
        char bits;
        WeightStatus status;
    };
    for (const Case c : {Case{0x01, WeightStatus::InMotion}, Case{0x02, WeightStatus::Overload},
                         Case{0x04, WeightStatus::UnderZero}, Case{0x06, WeightStatus::UnderZero},
                         Case{0x08, WeightStatus::NeedsZero}, Case{0x10, WeightStatus::Stable},
                         Case{0x00, WeightStatus::Stable}}) {
        const std::string frame = {'?', static_cast<char>(0x60 | c.bits)};
        const auto reply = parseToledoDemandFrame(frame);
        ASSERT_TRUE(reply) << reply.error().message;
        EXPECT_EQ(reply->kind, ToledoReply::Kind::Status);
        const auto weight = toledoWeight(*reply, "lb");
        ASSERT_TRUE(weight);
        EXPECT_EQ(weight->status, c.status) << "bits " << int(c.bits);
        EXPECT_EQ(weight->grams, 0) << "a status record carries no weight";
    }
    // Parity in bit 7 is ignored.
    const auto parity = parseToledoDemandFrame(std::string{'?', static_cast<char>(0xE1)});
    ASSERT_TRUE(parity);
    EXPECT_TRUE(parity->status.motion);
}

TEST(ToledoDemand, MalformedFramesAreErrorsNamingTheBytes)
{
    for (std::string_view bad : {"", "12.x0", "?", "?a1", "?0", "--1"}) {
        const auto reply = parseToledoDemandFrame(bad);
        ASSERT_FALSE(reply) << "'" << bad << "'";
        EXPECT_EQ(reply.error().code, ErrorCode::Protocol);
        EXPECT_NE(reply.error().message.find("Toledo reply"), std::string::npos);
    }
    EXPECT_FALSE(toledoWeight(*parseToledoDemandFrame("1.00"), "furlong"));
}

TEST(ToledoDemand, ZeroAnswersSayWhyTheScaleRefused)
{
    EXPECT_EQ(toledoZeroProblem(ToledoStatus{.centreOfZero = true}), "");
    EXPECT_EQ(toledoZeroProblem(ToledoStatus{.motion = true}), "in motion");
    EXPECT_EQ(toledoZeroProblem(ToledoStatus{.outOfRange = true}), "out of range");
    EXPECT_EQ(toledoZeroProblem(ToledoStatus{.outsideZeroCapture = true}), "outside the zero-capture range");
}

TEST(ToledoDemand, ParserFramesAtEveryCutAndSkipsGarbage)
{
    const std::string stream = "\x00\x1bnoise" + demand("001.00") + "junk" + demand("?a") + demand("002.50");
    const auto whole = ToledoParser().feed(stream);
    ASSERT_EQ(whole.size(), 3u);
    EXPECT_DOUBLE_EQ(*whole[0]->value, 1.0);
    EXPECT_EQ(whole[1]->kind, ToledoReply::Kind::Status);
    EXPECT_DOUBLE_EQ(*whole[2]->value, 2.5);
    for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
        ToledoParser parser;
        auto replies = parser.feed(std::string_view(stream).substr(0, cut));
        parser.feed(std::string_view(stream).substr(cut), replies);
        ASSERT_EQ(replies.size(), 3u) << "cut at " << cut;
        EXPECT_DOUBLE_EQ(*replies[2]->value, 2.5);
    }
}

TEST(ToledoDemand, ParserResynchronisesOnStxAndDropsOverlongFrames)
{
    ToledoParser parser;
    auto replies = parser.feed(std::string(1, kStx) + "004." + demand("004.00"));
    ASSERT_EQ(replies.size(), 1u);
    EXPECT_DOUBLE_EQ(*replies[0]->value, 4.0);

    replies = parser.feed(std::string(1, kStx) + std::string(ToledoParser::kMaxFrame + 5, '1') + "\r" +
                          demand("005.00"));
    ASSERT_EQ(replies.size(), 2u);
    EXPECT_FALSE(replies[0]) << "the overlong frame is one error";
    ASSERT_TRUE(replies[1]);
    EXPECT_DOUBLE_EQ(*replies[1]->value, 5.0);
}

TEST(ToledoContinuous, ParsesStatusWordsWeightAndTare)
{
    // SWA 0x2C: two decimals; SWB 0x31: net, kg; SWC 0x20: unit from SWB.
    const std::string frame = continuous(0x2C, 0x31, 0x20, "001000000250");
    const auto reply = parseToledoContinuousFrame(frame.substr(0, frame.size() - 1), frame.back());
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(reply->kind, ToledoReply::Kind::Continuous);
    EXPECT_DOUBLE_EQ(*reply->value, 10.0);
    EXPECT_DOUBLE_EQ(*reply->tare, 2.5);
    EXPECT_TRUE(reply->net);
    EXPECT_EQ(reply->unit, "kg");
    const auto weight = toledoWeight(*reply, {});
    ASSERT_TRUE(weight);
    EXPECT_EQ(weight->status, WeightStatus::Stable);
    EXPECT_DOUBLE_EQ(weight->grams, 10000);
}

TEST(ToledoContinuous, DecimalPointUnitsAndStatusBits)
{
    struct Case
    {
        char swa, swb, swc;
        const char* digits;
        double value;
        const char* unit;
        WeightStatus status;
    };
    for (const Case c : {
             Case{0x20, 0x20, 0x20, "000012", 1200, "lb", WeightStatus::Stable},      // ×100
             Case{0x21, 0x20, 0x20, "000012", 120, "lb", WeightStatus::Stable},       // ×10
             Case{0x22, 0x20, 0x21, "000012", 12, "g", WeightStatus::Stable},         // ×1, grams
             Case{0x23, 0x28, 0x23, "000012", 1.2, "oz", WeightStatus::InMotion},     // motion
             Case{0x25, 0x32, 0x20, "000012", -0.012, "kg", WeightStatus::UnderZero}, // negative
             Case{0x22, 0x34, 0x20, "999999", 999999, "kg", WeightStatus::Overload},  // out of range, kg
             Case{0x22, 0x60, 0x20, "000000", 0, "lb", WeightStatus::NeedsZero},      // power-up
         }) {
        const std::string frame = continuous(c.swa, c.swb, c.swc, c.digits, false);
        const auto reply = parseToledoContinuousFrame(frame, std::nullopt);
        ASSERT_TRUE(reply) << reply.error().message;
        EXPECT_NEAR(*reply->value, c.value, 1e-9) << c.digits;
        EXPECT_FALSE(reply->tare) << "short form";
        EXPECT_EQ(reply->unit, c.unit);
        EXPECT_EQ(toledoWeight(*reply, {})->status, c.status) << int(c.swb);
    }
}

TEST(ToledoContinuous, RejectsBadChecksumLengthStatusWordsAndDigits)
{
    const std::string good = continuous(0x2C, 0x30, 0x20, "000500");
    const std::string body = good.substr(0, good.size() - 1);
    EXPECT_TRUE(parseToledoContinuousFrame(body, good.back()));
    EXPECT_FALSE(parseToledoContinuousFrame(body, static_cast<char>(good.back() + 1)));
    EXPECT_FALSE(parseToledoContinuousFrame(body.substr(0, 8) + "\r", std::nullopt));
    EXPECT_FALSE(parseToledoContinuousFrame(continuous(0x0C, 0x30, 0x20, "000500", false), std::nullopt));
    EXPECT_FALSE(parseToledoContinuousFrame(continuous(0x2C, 0x30, 0x20, "0005x0", false), std::nullopt));
    EXPECT_FALSE(parseToledoContinuousFrame(continuous(0x2C, 0x30, 0x27, "000500", false), std::nullopt))
        << "custom units have no conversion";
}

TEST(ToledoContinuous, ParserReadsTheChecksumByteEvenWhenItIsStxOrCr)
{
    // Find weights whose checksum byte is STX and CR: the parser must take it as the checksum.
    std::string stream;
    int special = 0;
    bool seen[2] = {false, false};
    for (int i = 0; i < 32 * 32 * 100 && special < 2; ++i) {
        char digits[8];
        std::snprintf(digits, sizeof digits, "%06d", 999999 - (i / 1024) * 1111);
        const std::string frame =
            continuous(static_cast<char>(0x20 + i % 32), static_cast<char>(0x20 + i / 32 % 32), 0x20, digits);
        const int which = frame.back() == kStx ? 0 : frame.back() == '\r' ? 1 : -1;
        if (which >= 0 && !seen[which]) {
            seen[which] = true;
            stream += frame;
            ++special;
        }
    }
    ASSERT_EQ(special, 2);
    stream += continuous(0x2C, 0x30, 0x20, "001234");
    for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
        ToledoParser parser(ToledoParser::Format::Continuous, true);
        auto replies = parser.feed(std::string_view(stream).substr(0, cut));
        parser.feed(std::string_view(stream).substr(cut), replies);
        ASSERT_EQ(replies.size(), 3u) << "cut at " << cut;
        for (const auto& reply : replies) {
            EXPECT_TRUE(reply) << reply.error().message;
        }
        EXPECT_DOUBLE_EQ(*replies[2]->value, 12.34);
    }
}

TEST(ToledoContinuous, ParserWithoutChecksumAndWithGarbage)
{
    ToledoParser parser(ToledoParser::Format::Continuous, false);
    const std::string stream = "@@\x7f" + continuous(0x2C, 0x30, 0x20, "000100", false) + "xx" +
                               continuous(0x2C, 0x30, 0x20, "000200000000", false);
    const auto replies = parser.feed(stream);
    ASSERT_EQ(replies.size(), 2u);
    EXPECT_DOUBLE_EQ(*replies[0]->value, 1.0);
    EXPECT_DOUBLE_EQ(*replies[1]->value, 2.0);
    EXPECT_DOUBLE_EQ(*replies[1]->tare, 0.0);
}

} // namespace
} // namespace retour::drivers::protocol
