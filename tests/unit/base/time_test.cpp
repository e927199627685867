#include "retour/base/time.h"

#include <gtest/gtest.h>

namespace retour::base {
namespace {

using namespace std::chrono;

system_clock::time_point at(int y, unsigned mo, unsigned d, int h, int mi, int s, int ms = 0)
{
    return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s} + milliseconds{ms};
}

TEST(TimeTest, FormatsUtcWithMilliseconds)
{
    EXPECT_EQ(formatTimestamp(at(2026, 3, 14, 9, 26, 53, 589)), "2026-03-14T09:26:53.589Z");
    EXPECT_EQ(formatTimestamp(at(1999, 12, 31, 23, 59, 59) + microseconds(999)), "1999-12-31T23:59:59.000Z");
    EXPECT_EQ(nowTimestamp().size(), 24U);
}

TEST(TimeTest, ParsesWhatItFormatsAndEveryRfc3339Offset)
{
    const auto t = at(2026, 3, 14, 9, 26, 53, 589);
    EXPECT_EQ(parseTimestamp(formatTimestamp(t)), t);
    EXPECT_EQ(parseTimestamp("2026-03-14T10:26:53.589+01:00"), t);
    EXPECT_EQ(parseTimestamp("2026-03-14t04:56:53.589-04:30"), t);
    EXPECT_EQ(parseTimestamp("2026-03-14T09:26:53z"), at(2026, 3, 14, 9, 26, 53));
    EXPECT_EQ(parseTimestamp("2026-03-14T09:26:53.5Z"), at(2026, 3, 14, 9, 26, 53, 500));
    EXPECT_EQ(parseTimestamp("2016-12-31T23:59:60Z"), at(2017, 1, 1, 0, 0, 0)) << "a leap second";
    EXPECT_EQ(parseTimestamp("2024-02-29T00:00:00Z"), at(2024, 2, 29, 0, 0, 0));
}

TEST(TimeTest, RefusesWhatIsNotADateTime)
{
    for (const char* text : {"", "2026-03-14", "2026-03-14 09:26:53Z", "2026-03-14T09:26:53",
                             "2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
                             "2026-03-14T24:00:00Z", "2026-03-14T09:60:00Z", "2026-03-14T09:26:53.Z",
                             "2026-03-14T09:26:53Zx", "2026-03-14T09:26:53+0100", "2026-03-14T09:26:53+24:00",
                             "26-03-14T09:26:53Z", "2026-3-14T09:26:53Z", "２026-03-14T09:26:53Z"}) {
        EXPECT_EQ(parseTimestamp(text), std::nullopt) << text;
    }
}

TEST(TimeTest, TheLenientFormAlsoTakesADateAloneAndASpace)
{
    EXPECT_EQ(parseTimestamp("2026-03-14", TimestampForm::DateTimeOrDate), at(2026, 3, 14, 0, 0, 0));
    EXPECT_EQ(parseTimestamp("2026-03-14 09:26:53Z", TimestampForm::DateTimeOrDate),
              at(2026, 3, 14, 9, 26, 53));
    EXPECT_EQ(parseTimestamp("2026-03-14T09:26:53+02:00", TimestampForm::DateTimeOrDate),
              at(2026, 3, 14, 7, 26, 53));
    EXPECT_EQ(parseTimestamp("2026-02-30", TimestampForm::DateTimeOrDate), std::nullopt);
    EXPECT_EQ(parseTimestamp("2026-03-14 09:26:53", TimestampForm::DateTimeOrDate), std::nullopt);
}

TEST(TimeTest, DifferencesAcrossMonthAndYearBoundariesAreExact)
{
    const auto first = parseTimestamp("2026-01-31T23:30:00.000Z");
    const auto last = parseTimestamp("2026-02-01T01:00:00.000Z");
    ASSERT_TRUE(first && last);
    EXPECT_EQ(*last - *first, minutes(90));
    const auto newYear = parseTimestamp("2027-01-01T00:00:00Z");
    ASSERT_TRUE(newYear);
    EXPECT_EQ(*newYear - *parseTimestamp("2026-12-31T12:00:00Z"), hours(12));
}

} // namespace
} // namespace retour::base
