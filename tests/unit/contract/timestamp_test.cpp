// RFC 3339 timestamps (message.h formatTimestamp / parseTimestamp).
#include "retour/contract/message.h"

#include <chrono>
#include <gtest/gtest.h>

namespace retour::sync {
namespace {

using namespace std::chrono;

system_clock::time_point at(sys_days day, nanoseconds timeOfDay)
{
    return time_point_cast<system_clock::duration>(day + timeOfDay);
}

TEST(Timestamp, FormatsUtcWithMilliseconds)
{
    EXPECT_EQ(formatTimestamp(at(2026y / November / 26, 11h + 29min + 56s + 123ms)),
              "2026-11-26T11:29:56.123Z");
    EXPECT_EQ(formatTimestamp(system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(formatTimestamp(at(2024y / February / 29, 23h + 59min + 59s + 999ms)),
              "2024-02-29T23:59:59.999Z");
}

TEST(Timestamp, TruncatesBelowMilliseconds)
{
    EXPECT_EQ(formatTimestamp(at(2026y / January / 1, 1s + 999999us)), "2026-01-01T00:00:01.999Z");
}

TEST(Timestamp, FormatsTimesBeforeTheEpoch)
{
    EXPECT_EQ(formatTimestamp(system_clock::time_point{} - 1ms), "1969-12-31T23:59:59.999Z");
}

TEST(Timestamp, ParseRoundTrip)
{
    const auto t = at(2026y / November / 26, 11h + 29min + 56s + 123ms);
    const auto parsed = parseTimestamp(formatTimestamp(t));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, t);
}

TEST(Timestamp, ParsesOffsetsAndFractions)
{
    const auto utc = at(2026y / November / 26, 11h + 29min + 56s);
    EXPECT_EQ(parseTimestamp("2026-11-26T11:29:56Z"), utc);
    EXPECT_EQ(parseTimestamp("2026-11-26t11:29:56z"), utc);
    EXPECT_EQ(parseTimestamp("2026-11-26T12:29:56+01:00"), utc);
    EXPECT_EQ(parseTimestamp("2026-11-26T06:59:56-04:30"), utc);
    EXPECT_EQ(parseTimestamp("2026-11-26T11:29:56.5Z"), utc + 500ms);
    EXPECT_EQ(parseTimestamp("2026-11-26T11:29:56.000001Z"), utc + 1us);
}

TEST(Timestamp, RefusesInvalidText)
{
    const char* invalid[] = {
        "",
        "2026-11-26",
        "2026-11-26T11:29:56",      // no offset
        "2026-11-26 11:29:56Z",     // space instead of T
        "2026-13-01T00:00:00Z",     // month 13
        "2026-02-29T00:00:00Z",     // not a leap year
        "2026-11-31T00:00:00Z",     // no 31st of November
        "2026-11-26T24:00:00Z",     // hour 24
        "2026-11-26T11:60:00Z",     // minute 60
        "2026-11-26T11:29:56.Z",    // empty fraction
        "2026-11-26T11:29:56+0100", // offset without colon
        "2026-11-26T11:29:56+01",   // short offset
        "2026-11-26T11:29:56Zjunk", // trailing text
        "26-11-26T11:29:56Z",       // short year
        "2026-1-26T11:29:56Z",      // short month
        "yesterday",
    };
    for (const char* text : invalid) {
        EXPECT_FALSE(parseTimestamp(text).has_value()) << text;
    }
}

} // namespace
} // namespace retour::sync
