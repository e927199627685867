#include "retour/drivers/protocol/mt_sics.h"

#include <gtest/gtest.h>

namespace retour::drivers::protocol {
namespace {

using K = MtSicsReply::Kind;

TEST(MtSicsLine, StableAndDynamicWeights)
{
    auto stable = parseMtSicsLine("S S     100.00 g");
    ASSERT_TRUE(stable) << stable.error().message;
    EXPECT_EQ(stable->kind, K::Weight);
    EXPECT_EQ(stable->command, "S");
    EXPECT_TRUE(stable->stable);
    EXPECT_DOUBLE_EQ(stable->value, 100.0);
    EXPECT_EQ(stable->unit, "g");
    auto dynamic = parseMtSicsLine("S D      12.34 kg");
    ASSERT_TRUE(dynamic);
    EXPECT_FALSE(dynamic->stable);
    EXPECT_EQ(dynamic->unit, "kg");
}

TEST(MtSicsLine, SignsNegativeAndSeparated)
{
    EXPECT_DOUBLE_EQ(parseMtSicsLine("S S      -1.50 g")->value, -1.5);
    EXPECT_DOUBLE_EQ(parseMtSicsLine("S S -     1.50 g")->value, -1.5);
    EXPECT_DOUBLE_EQ(parseMtSicsLine("S S +1.50 g")->value, 1.5);
}

TEST(MtSicsLine, StatusRepliesAndGeneralErrors)
{
    EXPECT_EQ(parseMtSicsLine("S I")->kind, K::NotExecutable);
    EXPECT_EQ(parseMtSicsLine("S +")->kind, K::Overload);
    EXPECT_EQ(parseMtSicsLine("S -")->kind, K::Underload);
    EXPECT_EQ(parseMtSicsLine("Z A")->kind, K::Done);
    EXPECT_EQ(parseMtSicsLine("Z I")->kind, K::NotExecutable);
    EXPECT_EQ(parseMtSicsLine("ZI D")->kind, K::Done);
    EXPECT_EQ(parseMtSicsLine("PWR L")->kind, K::AlreadyInState);
    EXPECT_EQ(parseMtSicsLine("ES")->kind, K::SyntaxError);
    EXPECT_EQ(parseMtSicsLine("ET")->kind, K::TransmissionError);
    EXPECT_EQ(parseMtSicsLine("EL")->kind, K::LogicalError);
    const auto tare = parseMtSicsLine("T S      50.00 g");
    ASSERT_TRUE(tare);
    EXPECT_EQ(tare->kind, K::Weight);
    EXPECT_EQ(tare->command, "T");
}

TEST(MtSicsLine, InfoRepliesKeepQuotedText)
{
    const auto serial = parseMtSicsLine("I4 A \"B123 456\"");
    ASSERT_TRUE(serial);
    EXPECT_EQ(serial->kind, K::Info);
    EXPECT_EQ(serial->command, "I4");
    EXPECT_EQ(serial->text, "B123 456");
    EXPECT_EQ(parseMtSicsLine("I0 B 0 \"I0\"")->kind, K::More);
}

TEST(MtSicsLine, MalformedLinesAreErrorsNamingTheLine)
{
    for (const char* bad : {"", "   ", "S", "S Q 1", "S S 12.x0 g", "S S 12.00", "s s 1 g", "I4 A \"open",
                            "S S\x01 1 g", "\"S\" S 1 g", "TOOLONGCMD A"}) {
        const auto reply = parseMtSicsLine(bad);
        EXPECT_FALSE(reply) << "accepted: " << bad;
        if (!reply) {
            EXPECT_EQ(reply.error().code, ErrorCode::Protocol);
            EXPECT_NE(reply.error().message.find("MT-SICS"), std::string::npos);
        }
    }
}

TEST(MtSicsWeight, MapsEveryStatus)
{
    auto w = mtSicsWeight(*parseMtSicsLine("S S       1.000 lb"));
    ASSERT_TRUE(w);
    EXPECT_EQ(w->status, WeightStatus::Stable);
    EXPECT_TRUE(w->stable);
    EXPECT_NEAR(w->grams, 453.59237, 1e-9);
    EXPECT_EQ(w->deviceUnit, "lb");
    EXPECT_EQ(mtSicsWeight(*parseMtSicsLine("S D 1 g"))->status, WeightStatus::InMotion);
    EXPECT_EQ(mtSicsWeight(*parseMtSicsLine("S S -0.01 g"))->status, WeightStatus::UnderZero);
    EXPECT_FALSE(mtSicsWeight(*parseMtSicsLine("S S -0.01 g"))->stable);
    EXPECT_EQ(mtSicsWeight(*parseMtSicsLine("S +"))->status, WeightStatus::Overload);
    EXPECT_EQ(mtSicsWeight(*parseMtSicsLine("S -"))->status, WeightStatus::UnderZero);
    EXPECT_FALSE(mtSicsWeight(*parseMtSicsLine("S I")));
    EXPECT_FALSE(mtSicsWeight(*parseMtSicsLine("S S 1.0 furlong")));
    EXPECT_NEAR(mtSicsWeight(*parseMtSicsLine("S S 1 GN"))->grams, 0.06479891, 1e-12);
    EXPECT_EQ(mtSicsWeight(*parseMtSicsLine("S S 1 GN"))->deviceUnit, "gr");
}

TEST(MtSicsParser, SplitFramesAtEveryByte)
{
    const std::string stream = "S S     100.00 g\r\nS D       1.00 kg\r\n";
    for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
        MtSicsParser parser;
        auto first = parser.feed(std::string_view(stream).substr(0, cut));
        auto second = parser.feed(std::string_view(stream).substr(cut));
        first.insert(first.end(), second.begin(), second.end());
        ASSERT_EQ(first.size(), 2u) << "cut at " << cut;
        ASSERT_TRUE(first[0]);
        ASSERT_TRUE(first[1]);
        EXPECT_DOUBLE_EQ(first[0]->value, 100.0);
        EXPECT_EQ(first[1]->unit, "kg");
    }
}

TEST(MtSicsParser, GarbageGivesErrorsThenResynchronises)
{
    MtSicsParser parser;
    const auto out = parser.feed(std::string("\x00\x1a~\r\n\n\rS S 5 g\nZ A\r", 19));
    ASSERT_EQ(out.size(), 3u);
    EXPECT_FALSE(out[0]);
    ASSERT_TRUE(out[1]);
    EXPECT_DOUBLE_EQ(out[1]->value, 5.0);
    ASSERT_TRUE(out[2]);
    EXPECT_EQ(out[2]->kind, K::Done);
}

TEST(MtSicsParser, OverlongLineIsDroppedOnceUpToItsEnd)
{
    MtSicsParser parser;
    std::vector<Result<MtSicsReply>> out;
    parser.feed(std::string(MtSicsParser::kMaxLine, 'X'), out);
    EXPECT_TRUE(out.empty());
    parser.feed("XXXX", out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_FALSE(out[0]);
    parser.feed(std::string(1000, 'Y'), out);
    parser.feed("YY\r\nS S 1 g\r\n", out);
    ASSERT_EQ(out.size(), 2u);
    ASSERT_TRUE(out[1]);
    EXPECT_DOUBLE_EQ(out[1]->value, 1.0);
    EXPECT_EQ(parser.pending(), 0u);
}

TEST(MtSicsParser, OverlongLineIsRefusedAlikeWholeOrInPieces)
{
    const std::string bytes = "S S " + std::string(MtSicsParser::kMaxLine, '9') + " g\r\nS S 2 g\r\n";
    MtSicsParser whole;
    const auto all = whole.feed(bytes);
    MtSicsParser pieces;
    std::vector<Result<MtSicsReply>> cut;
    for (std::size_t at = 0; at < bytes.size(); at += 7) {
        pieces.feed(std::string_view(bytes).substr(at, 7), cut);
    }
    ASSERT_EQ(all.size(), 2u);
    ASSERT_EQ(cut.size(), 2u);
    EXPECT_FALSE(all[0]);
    EXPECT_FALSE(cut[0]);
    ASSERT_TRUE(all[1]);
    ASSERT_TRUE(cut[1]);
    EXPECT_DOUBLE_EQ(all[1]->value, 2.0);
}

TEST(MtSicsCommand, TextsEndInCrLf)
{
    EXPECT_EQ(mtSicsCommandText(MtSicsCommand::Reset), "@\r\n");
    EXPECT_EQ(mtSicsCommandText(MtSicsCommand::Immediate), "SI\r\n");
    EXPECT_EQ(mtSicsCommandText(MtSicsCommand::Repeat), "SIR\r\n");
    EXPECT_EQ(mtSicsCommandText(MtSicsCommand::Zero), "Z\r\n");
    EXPECT_EQ(mtSicsCommandText(MtSicsCommand::Tare), "T\r\n");
}

} // namespace
} // namespace retour::drivers::protocol
