#include "retour/drivers/protocol/serial_scanner.h"

#include <gtest/gtest.h>

namespace retour::drivers::protocol {
namespace {

using namespace std::chrono_literals;
using TimePoint = SerialScannerFramer::TimePoint;

const TimePoint t0{std::chrono::seconds(100)};

TEST(SerialScannerFramer, SuffixFramingWithAimAtEveryCut)
{
    const std::string stream = "]E09780201379629\r]C1010952123454321310AB\x1d"
                               "17250101\rPLAIN\r";
    for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
        SerialScannerFramer framer;
        auto scans = framer.feed(stream.substr(0, cut), t0);
        auto rest = framer.feed(stream.substr(cut), t0 + 1ms);
        scans.insert(scans.end(), rest.begin(), rest.end());
        ASSERT_EQ(scans.size(), 3u) << "cut at " << cut;
        EXPECT_EQ(scans[0].aimId, "]E0");
        EXPECT_EQ(scans[0].symbology, "EAN-13");
        EXPECT_EQ(scans[0].text, "9780201379629");
        EXPECT_EQ(scans[1].text, "010952123454321310AB\x1d"
                                 "17250101");
        // GS1 element strings are parsed by the same code as for wedge scanners (protocol/gs1.h).
        ASSERT_EQ(scans[1].gs1.size(), 3u);
        EXPECT_EQ(scans[1].gs1[0].ai, "01");
        EXPECT_EQ(scans[1].gs1[0].value, "09521234543213");
        EXPECT_EQ(scans[1].gs1[2].ai, "17");
        EXPECT_TRUE(scans[1].gs1Error.empty()) << scans[1].gs1Error;
        EXPECT_EQ(scans[2].aimId, "");
        EXPECT_EQ(scans[2].raw, "PLAIN");
    }
}

TEST(SerialScannerFramer, MultiByteSuffixSplitAcrossFeeds)
{
    SerialScannerFramer framer({.prefix = "", .suffix = "\r\n"});
    EXPECT_TRUE(framer.feed("ABC\r", t0).empty());
    const auto scans = framer.feed("\nDEF\r\n", t0);
    ASSERT_EQ(scans.size(), 2u);
    EXPECT_EQ(scans[0].text, "ABC");
    EXPECT_EQ(scans[1].text, "DEF");
}

TEST(SerialScannerFramer, PrefixDropsNoiseAndALaterPrefixWins)
{
    SerialScannerFramer framer({.prefix = "\x02", .suffix = "\r"});
    EXPECT_TRUE(framer.feed("noise\r", t0).empty());
    EXPECT_EQ(framer.dropped(), 1u);
    const auto scans = framer.feed("\x02lost\x02]C0GOOD\r\x02\r", t0);
    ASSERT_EQ(scans.size(), 1u) << "an empty scan is not a scan";
    EXPECT_EQ(scans[0].text, "GOOD");
    EXPECT_EQ(scans[0].raw, "]C0GOOD");
}

TEST(SerialScannerFramer, IdleGapEndsAScanWithoutSuffix)
{
    SerialScannerFramer framer({.prefix = "", .suffix = "", .idleGap = 50ms});
    EXPECT_EQ(framer.deadline(), TimePoint::max());
    EXPECT_TRUE(framer.feed("RMA-", t0).empty());
    EXPECT_TRUE(framer.feed("0042", t0 + 10ms).empty());
    EXPECT_EQ(framer.deadline(), t0 + 60ms);
    EXPECT_FALSE(framer.expire(t0 + 59ms));
    const auto scan = framer.expire(t0 + 60ms);
    ASSERT_TRUE(scan);
    EXPECT_EQ(scan->text, "RMA-0042");
    EXPECT_EQ(framer.deadline(), TimePoint::max());
}

TEST(SerialScannerFramer, IdleGapAlsoEndsAScanThatLostItsSuffix)
{
    SerialScannerFramer framer({.prefix = "", .suffix = "\r", .idleGap = 30ms});
    EXPECT_TRUE(framer.feed("ABC", t0).empty());
    const auto scan = framer.expire(t0 + 30ms);
    ASSERT_TRUE(scan);
    EXPECT_EQ(scan->text, "ABC");
}

TEST(SerialScannerFramer, GsSubstituteAimOffAndOverlongInput)
{
    SerialScannerFramer framer({.prefix = "",
                                .suffix = "\r",
                                .idleGap = 0ms,
                                .gsSubstitute = "<GS>",
                                .parseAim = false,
                                .maxLength = 16});
    const auto scans = framer.feed("]C101<GS>10X\r", t0);
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].aimId, "");
    EXPECT_EQ(scans[0].text, "]C101\x1d"
                             "10X");
    EXPECT_TRUE(framer.feed(std::string(40, 'Z'), t0).empty());
    EXPECT_EQ(framer.dropped(), 1u);
    EXPECT_EQ(framer.feed("OK\r", t0).at(0).text, "OK");
}

} // namespace
} // namespace retour::drivers::protocol
