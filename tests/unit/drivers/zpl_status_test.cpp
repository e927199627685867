#include "retour/drivers/protocol/zpl_status.h"

#include <gtest/gtest.h>
#include <string>

namespace retour::drivers::protocol {
namespace {

// A ~HS reply as a Zebra sends it: three STX…ETX CR LF strings (ZPL II guide, ~HS; docs/protocols/zpl.md §2).
std::string reply(const std::string& paperOut, const std::string& pause, const std::string& formats,
                  const std::string& bufferFull, const std::string& headOpen, const std::string& ribbonOut)
{
    return "\x02"
           "030," +
           paperOut + "," + pause + ",1218," + formats + "," + bufferFull +
           ",0,0,000,0,0,0\x03\r\n"
           "\x02"
           "001,0," +
           headOpen + "," + ribbonOut +
           ",1,2,6,0,00000000,1,000\x03\r\n"
           "\x02"
           "1234,0\x03\r\n";
}

TEST(ZplStatus, Ready)
{
    const auto s = parseZplHostStatus(reply("0", "0", "000", "0", "0", "0"));
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_TRUE(s->ready);
    EXPECT_FALSE(s->paperOut);
    EXPECT_FALSE(s->paused);
    EXPECT_FALSE(s->headOpen);
    EXPECT_FALSE(s->ribbonOut);
    EXPECT_FALSE(s->bufferFull);
    EXPECT_EQ(s->formatsInBuffer, 0);
    EXPECT_EQ(s->detail, "");
}

// Each condition the printer reports makes it not ready, with every other flag as the reply has it
// and the condition named in the detail.
TEST(ZplStatus, EachConditionIsReadAndNamed)
{
    struct Case
    {
        const char* paperOut;
        const char* pause;
        const char* formats;
        const char* bufferFull;
        const char* headOpen;
        const char* ribbonOut;
        const char* detail;
    };
    const Case cases[] = {
        {"1", "1", "002", "0", "0", "0", "paper out, paused"}, // paper out pauses the printer
        {"0", "0", "000", "0", "1", "0", "head open"},
        {"0", "1", "000", "0", "0", "0", "paused"},
        {"0", "0", "000", "0", "0", "1", "ribbon out"},
        {"0", "0", "099", "1", "0", "0", "receive buffer full"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.detail);
        const auto s =
            parseZplHostStatus(reply(c.paperOut, c.pause, c.formats, c.bufferFull, c.headOpen, c.ribbonOut));
        ASSERT_TRUE(s);
        EXPECT_FALSE(s->ready);
        EXPECT_EQ(s->paperOut, std::string(c.paperOut) == "1");
        EXPECT_EQ(s->paused, std::string(c.pause) == "1");
        EXPECT_EQ(s->formatsInBuffer, std::stoi(c.formats));
        EXPECT_EQ(s->bufferFull, std::string(c.bufferFull) == "1");
        EXPECT_EQ(s->headOpen, std::string(c.headOpen) == "1");
        EXPECT_EQ(s->ribbonOut, std::string(c.ribbonOut) == "1");
        EXPECT_EQ(s->detail, c.detail);
    }
}

TEST(ZplStatus, FieldsByPositionNotByOffset)
{
    // A wider label-length field shifts every character offset; positions still hold.
    const std::string wide = "\x02"
                             "030,1,0,12180,000,0,0,0,000,0,0,0\x03\r\n"
                             "\x02"
                             "001,0,1,0,1,2,6,0,00000000,1,000\x03\r\n"
                             "\x02"
                             "1234,0\x03\r\n";
    const auto s = parseZplHostStatus(wide);
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->paperOut);
    EXPECT_TRUE(s->headOpen);
    EXPECT_FALSE(s->paused);
}

TEST(ZplStatus, NoiseOutsideFramesIsIgnored)
{
    const std::string noisy =
        std::string("\r\n\0junk", 7) + reply("0", "0", "000", "0", "0", "0") + "trailing";
    const auto s = parseZplHostStatus(noisy);
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->ready);
}

TEST(ZplStatus, CountsCompleteStrings)
{
    const std::string full = reply("0", "0", "000", "0", "0", "0");
    EXPECT_EQ(countZplStatusStrings(""), 0u);
    EXPECT_EQ(countZplStatusStrings(full.substr(0, 10)), 0u);
    const auto firstEnd = full.find('\x03');
    EXPECT_EQ(countZplStatusStrings(full.substr(0, firstEnd + 1)), 1u);
    EXPECT_EQ(countZplStatusStrings(full.substr(0, full.size() - 2)), 3u); // before the last CR LF
    EXPECT_EQ(countZplStatusStrings(full), 3u);
}

TEST(ZplStatus, TruncatedReply)
{
    const std::string full = reply("0", "0", "000", "0", "0", "0");
    for (std::size_t cut = 0; cut + 3 < full.size(); ++cut) {
        const auto s = parseZplHostStatus(full.substr(0, cut));
        ASSERT_FALSE(s) << "cut at " << cut;
        EXPECT_EQ(s.error().code, ErrorCode::Protocol);
    }
    const auto s = parseZplHostStatus(full.substr(0, full.size() / 2));
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("truncated"), std::string::npos) << s.error().message;
}

TEST(ZplStatus, Garbage)
{
    const std::string cases[] = {
        "hello",
        "\x02\x03\x02\x03\x02\x03",
        "\x02"
        "030,x,0,1218,000,0\x03\x02"
        "001,0,0,0\x03\x02"
        "1\x03", // b not a number
        "\x02"
        "030,0,0\x03\x02"
        "001,0,0,0\x03\x02"
        "1\x03", // string 1 too short
        "\x02"
        "030,0,0,1218,000,0\x03\x02"
        "001,0\x03\x02"
        "1\x03", // string 2 too short
        "\x02"
        "030,0,0,1218,-01,0\x03\x02"
        "001,0,0,0\x03\x02"
        "1\x03", // negative count
        std::string("\x02\x02\x02\x03", 4),
    };
    for (const auto& text : cases) {
        const auto s = parseZplHostStatus(text);
        ASSERT_FALSE(s) << text;
        EXPECT_EQ(s.error().code, ErrorCode::Protocol);
        EXPECT_NE(s.error().message.find("~HS"), std::string::npos);
    }
}

TEST(ZplStatus, FieldErrorNamesTheField)
{
    const auto s = parseZplHostStatus("\x02"
                                      "030,0,0,1218,000,0\x03\x02"
                                      "001,0,Y,0\x03\x02"
                                      "1\x03");
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("field o (head up) of string 2"), std::string::npos)
        << s.error().message;
}

TEST(ZplStatus, CutFrameIsNotCounted)
{
    // A frame whose ETX was lost is skipped, not merged with the next one.
    const std::string text = std::string("\x02"
                                         "030,1,1") +
                             reply("0", "0", "000", "0", "0", "0");
    EXPECT_EQ(countZplStatusStrings(text), 3u);
    const auto s = parseZplHostStatus(text);
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->ready);
}

} // namespace
} // namespace retour::drivers::protocol
