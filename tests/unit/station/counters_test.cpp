// Counters per bench and per operator (counters.h): the counting window, the flags, the tally
// and its JSON, the [counters] config, and the counts read from a real store (voided items left
// out, the same after reopening the database).
#include "config/config.h"
#include "retour/contract/message.h"
#include "store/counters.h"
#include "store/store.h"
#include "tests/support/temp_dir.h"

#include <gtest/gtest.h>

namespace retour::station {
namespace {

using namespace std::chrono_literals;
using retour::test::TempDir;
using Clock = std::chrono::system_clock;

Clock::time_point at(const std::string& text)
{
    const auto t = sync::parseTimestamp(text);
    EXPECT_TRUE(t.has_value()) << text;
    return t.value_or(Clock::time_point{});
}

CountedItem counted(std::string op, std::string parcel, std::string when, std::string grade,
                    std::string disposition)
{
    return CountedItem{std::move(op),
                       std::move(parcel),
                       std::move(when),
                       std::move(grade),
                       std::move(disposition),
                       "ok",
                       {},
                       false,
                       false};
}

TEST(CounterWindow, StartsAtLocalMidnightByDefault)
{
    const CountersConfig day;
    // 10:00 UTC is 11:00 at UTC+1: the window began at 00:00 local, 23:00 UTC the day before.
    EXPECT_EQ(sync::formatTimestamp(windowStart(at("2026-11-26T10:00:00Z"), day, 1h)),
              "2026-11-25T23:00:00.000Z");
    EXPECT_EQ(sync::formatTimestamp(windowStart(at("2026-11-26T10:00:00Z"), day, 0s)),
              "2026-11-26T00:00:00.000Z");
    // 23:30 UTC is already the next day at UTC+1.
    EXPECT_EQ(sync::formatTimestamp(windowStart(at("2026-11-26T23:30:00Z"), day, 1h)),
              "2026-11-26T23:00:00.000Z");
    // West of UTC: 02:00 UTC is 21:00 the day before at UTC-5.
    EXPECT_EQ(sync::formatTimestamp(windowStart(at("2026-11-26T02:00:00Z"), day, -5h)),
              "2026-11-25T05:00:00.000Z");
}

TEST(CounterWindow, StartsAtTheLatestShiftStart)
{
    const CountersConfig shifts{{6 * 60, 14 * 60, 22 * 60}};
    EXPECT_EQ(sync::formatTimestamp(windowStart(at("2026-11-26T13:59:59Z"), shifts, 0s)),
              "2026-11-26T06:00:00.000Z");
    EXPECT_EQ(sync::formatTimestamp(windowStart(at("2026-11-26T14:00:00Z"), shifts, 0s)),
              "2026-11-26T14:00:00.000Z");
    // Before the first shift of the day: the night shift that began the evening before.
    EXPECT_EQ(sync::formatTimestamp(windowStart(at("2026-11-26T05:00:00Z"), shifts, 0s)),
              "2026-11-25T22:00:00.000Z");
    // Unsorted starts are fine.
    const CountersConfig unsorted{{22 * 60, 6 * 60}};
    EXPECT_EQ(sync::formatTimestamp(windowStart(at("2026-11-26T23:00:00Z"), unsorted, 0s)),
              "2026-11-26T22:00:00.000Z");
}

TEST(CounterFlags, NameEveryFlagAnItemCarries)
{
    CountedItem item = counted("op", "p", "2026-11-26T10:00:00.000Z", "A", "restock_new");
    EXPECT_TRUE(flagsOf(item).empty());
    item.weightResult = "mismatch";
    item.findings = {"wrong_item", "serial_mismatch", "stained"};
    item.photoSkipped = true;
    item.overridden = true;
    EXPECT_EQ(flagsOf(item), (std::vector<std::string>{"weight_mismatch", "wrong_item", "serial_mismatch",
                                                       "photo_skipped", "override"}));
    // A weight mismatch accepted by the operator is a finding too; counted once.
    CountedItem accepted = counted("op", "p", "2026-11-26T10:00:00.000Z", "A", "restock_new");
    accepted.weightResult = "mismatch";
    accepted.findings = {"weight_mismatch"};
    EXPECT_EQ(flagsOf(accepted), (std::vector<std::string>{"weight_mismatch"}));
}

TEST(CounterTally, CountsTheBenchAndEachOperatorInTheWindow)
{
    std::vector<CountedItem> items{
        counted("op-1", "p0", "2026-11-25T23:59:00.000Z", "A", "restock_new"), // before the window
        counted("op-1", "p1", "2026-11-26T10:00:00.000Z", "A", "restock_new"),
        counted("op-1", "p1", "2026-11-26T10:10:00.000Z", "B", "open_box"),
        counted("op-2", "p2", "2026-11-26T10:20:00.000Z", "C", "refurbish"),
        counted("op-1", "p3", "2026-11-26T10:30:00.000Z", "A", "restock_new"),
    };
    items[2].findings = {"wrong_item"};
    items[3].weightResult = "mismatch";
    items[3].overridden = true;
    const auto snapshot = tally(items, at("2026-11-26T00:00:00Z"), at("2026-11-26T10:30:00Z"));
    EXPECT_EQ(snapshot.since, "2026-11-26T00:00:00.000Z");
    EXPECT_EQ(snapshot.bench.items, 4);
    EXPECT_EQ(snapshot.bench.parcels, 3);
    EXPECT_EQ(snapshot.bench.grades, (std::map<std::string, std::int64_t>{{"A", 2}, {"B", 1}, {"C", 1}}));
    EXPECT_EQ(snapshot.bench.dispositions,
              (std::map<std::string, std::int64_t>{{"open_box", 1}, {"refurbish", 1}, {"restock_new", 2}}));
    EXPECT_EQ(snapshot.bench.flags.wrongItem, 1);
    EXPECT_EQ(snapshot.bench.flags.weightMismatch, 1);
    EXPECT_EQ(snapshot.bench.flags.override, 1);
    EXPECT_EQ(snapshot.bench.flagged, 2);
    EXPECT_EQ(snapshot.bench.firstAt, "2026-11-26T10:00:00.000Z");
    EXPECT_EQ(snapshot.bench.lastAt, "2026-11-26T10:30:00.000Z");
    // 4 items in the half hour from the first one to now.
    EXPECT_DOUBLE_EQ(snapshot.bench.itemsPerHour, 8.0);

    ASSERT_EQ(snapshot.operators.size(), 2U);
    const Counts& one = snapshot.operators.at("op-1");
    EXPECT_EQ(one.items, 3);
    EXPECT_EQ(one.parcels, 2);
    EXPECT_EQ(one.flags.wrongItem, 1);
    EXPECT_EQ(one.flags.override, 0);
    EXPECT_DOUBLE_EQ(one.itemsPerHour, 6.0);
    const Counts& two = snapshot.operators.at("op-2");
    EXPECT_EQ(two.items, 1);
    EXPECT_EQ(two.grades.at("C"), 1);
    EXPECT_EQ(two.flagged, 1);
    // One item ten minutes ago: 6 an hour.
    EXPECT_DOUBLE_EQ(two.itemsPerHour, 6.0);
}

TEST(CounterTally, ABreakDoesNotDiluteTheRateAndOneItemCountsAsAMinute)
{
    std::vector<CountedItem> items{counted("op-1", "p1", "2026-11-26T10:00:00.000Z", "A", "restock_new"),
                                   counted("op-1", "p1", "2026-11-26T10:15:00.000Z", "A", "restock_new"),
                                   counted("op-1", "p1", "2026-11-26T10:30:00.000Z", "A", "restock_new")};
    // Idle since 10:30: the rate counts until 10:45, not until 14:00.
    EXPECT_DOUBLE_EQ(tally(items, at("2026-11-26T00:00:00Z"), at("2026-11-26T14:00:00Z")).bench.itemsPerHour,
                     4.0);
    items.resize(1);
    EXPECT_DOUBLE_EQ(tally(items, at("2026-11-26T00:00:00Z"), at("2026-11-26T10:00:00Z")).bench.itemsPerHour,
                     60.0);
    const auto none = tally({}, at("2026-11-26T00:00:00Z"), at("2026-11-26T10:00:00Z"));
    EXPECT_EQ(none.bench.items, 0);
    EXPECT_DOUBLE_EQ(none.bench.itemsPerHour, 0.0);
    EXPECT_TRUE(none.operators.empty());
}

TEST(CounterJson, NamesEveryCounter)
{
    std::vector<CountedItem> items{counted("op-1", "p1", "2026-11-26T10:00:00.000Z", "B", "open_box")};
    items[0].photoSkipped = true;
    const auto json = toJson(tally(items, at("2026-11-26T00:00:00Z"), at("2026-11-26T10:30:00Z")));
    EXPECT_EQ(json["since"], "2026-11-26T00:00:00.000Z");
    EXPECT_EQ(json["at"], "2026-11-26T10:30:00.000Z");
    EXPECT_EQ(json["bench"]["items"], 1);
    EXPECT_EQ(json["bench"]["grades"]["B"], 1);
    EXPECT_EQ(json["bench"]["dispositions"]["open_box"], 1);
    EXPECT_EQ(json["bench"]["flags"], (nlohmann::json{{"weight_mismatch", 0},
                                                      {"wrong_item", 0},
                                                      {"serial_mismatch", 0},
                                                      {"photo_skipped", 1},
                                                      {"override", 0}}));
    // One item, idle for half an hour: counted until a quarter of an hour after it.
    EXPECT_EQ(json["bench"]["items_per_hour"], 4.0);
    EXPECT_EQ(json["operators"]["op-1"]["flagged"], 1);
    EXPECT_TRUE(toJson(Counts{})["first_at"].is_null());
}

TEST(CounterConfig, ReadsShiftsAndNamesBadOnesAtTheirPosition)
{
    EXPECT_EQ(parseTimeOfDay("06:30"), 390);
    EXPECT_EQ(parseTimeOfDay("00:00"), 0);
    EXPECT_EQ(parseTimeOfDay("23:59"), 23 * 60 + 59);
    EXPECT_FALSE(parseTimeOfDay("24:00"));
    EXPECT_FALSE(parseTimeOfDay("6:30"));
    EXPECT_FALSE(parseTimeOfDay("06:60"));

    TempDir dir;
    const std::string base = "[station]\nsite = \"s\"\nid = \"bench-01\"\n[rules]\ndisposition = \"" +
                             std::string(RETOUR_SOURCE_DIR) + "/config/rules/disposition.toml\"\n";
    auto plain = loadConfig(dir.write("plain.toml", base));
    ASSERT_TRUE(plain.has_value()) << plain.error().message;
    EXPECT_EQ(plain->counters.shiftStarts, std::vector<int>{0});

    auto shifts = loadConfig(
        dir.write("shifts.toml", base + "[counters]\nshifts = [\"22:00\", \"06:00\", \"14:00\"]\n"));
    ASSERT_TRUE(shifts.has_value()) << shifts.error().message;
    EXPECT_EQ(shifts->counters.shiftStarts, (std::vector<int>{360, 840, 1320}));

    auto bad = loadConfig(dir.write("bad.toml", base + "[counters]\nshifts = [\"06:00\", \"25:00\"]\n"));
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().message.find("bad.toml:7:"), std::string::npos) << bad.error().message;
    EXPECT_NE(bad.error().message.find("25:00"), std::string::npos) << bad.error().message;

    auto unknown = loadConfig(dir.write("unknown.toml", base + "[counters]\nwindow = 8\n"));
    ASSERT_FALSE(unknown.has_value());
    EXPECT_NE(unknown.error().message.find("window"), std::string::npos) << unknown.error().message;
    auto empty = loadConfig(dir.write("empty.toml", base + "[counters]\nshifts = []\n"));
    ASSERT_FALSE(empty.has_value());
}

// ---- from a real store ----

Inspection inspection(int n, const std::string& op, const std::string& confirmedAt)
{
    Inspection i;
    i.inspectionId = "insp-" + std::to_string(n);
    i.parcelId = "parcel-1";
    i.item = ItemInfo{"SKU-" + std::to_string(n), "4006381333931", "", "generic", "Item"};
    i.grade = GradeResult{0, 'A', 'A'};
    i.disposition = Decision{Disposition::RestockNew, "A-01", "like-new-restock"};
    i.lpn = "LPN-bench-01-00000" + std::to_string(n);
    i.operatorId = op;
    i.confirmedAt = confirmedAt;
    return i;
}

TEST(CounterStore, CountsConfirmedItemsLeavesVoidedOnesOutAndSurvivesAReopen)
{
    TempDir dir;
    const auto file = dir.path() / "station.db";
    const auto now = Clock::now();
    const std::string recent = sync::formatTimestamp(now - 2min);
    {
        auto store = Store::open(file, Store::Options{"site", "bench-01", 100000, 5000});
        ASSERT_TRUE(store.has_value()) << store.error().message;
        auto& s = **store;
        Parcel parcel;
        parcel.parcelId = "parcel-1";
        parcel.channel = "unannounced";
        parcel.identifiedBy = "item";
        parcel.scanned = "x";
        parcel.operatorId = "op-17";
        parcel.receivedAt = recent;
        ASSERT_TRUE(s.createParcel(parcel));
        Inspection a = inspection(1, "op-17", recent);
        Inspection b = inspection(2, "op-17", recent);
        b.grade = GradeResult{2, 'C', 'C'};
        b.disposition = Decision{Disposition::Refurbish, "R-01", "refurbish"};
        b.weight.result = "mismatch";
        b.findings = {"weight_mismatch"};
        b.gradeOverride = GradeOverride{'B', "hidden_damage", "op-17"};
        Inspection c = inspection(3, "op-42", recent);
        c.skippedPhotos = {SkippedPhoto{"front", "item_too_large"}};
        c.findings = {"serial_mismatch"};
        Inspection old = inspection(4, "op-17", "2020-01-01T10:00:00.000Z");
        for (const auto* i : {&a, &b, &c, &old}) {
            ASSERT_TRUE(
                s.confirmItem(*i, LabelRecord{"job-" + i->inspectionId, i->inspectionId, i->lpn, "^XA^XZ"}));
        }
        ASSERT_TRUE(s.voidInspection("insp-1", "op-17", sync::formatTimestamp(now)));

        auto counters = readCounters(s, CountersConfig{}, now);
        ASSERT_TRUE(counters.has_value()) << counters.error().message;
        EXPECT_EQ(counters->bench.items, 2);
        EXPECT_EQ(counters->bench.parcels, 1);
        EXPECT_EQ(counters->bench.grades, (std::map<std::string, std::int64_t>{{"A", 1}, {"C", 1}}));
        EXPECT_EQ(counters->bench.flags.weightMismatch, 1);
        EXPECT_EQ(counters->bench.flags.override, 1);
        EXPECT_EQ(counters->bench.flags.photoSkipped, 1);
        EXPECT_EQ(counters->bench.flags.serialMismatch, 1);
        EXPECT_EQ(counters->operators.at("op-17").items, 1);
        EXPECT_EQ(counters->operators.at("op-42").items, 1);

        BenchCounters bench(s, CountersConfig{});
        EXPECT_EQ(bench.current().bench.items, 2);
        EXPECT_EQ(bench.json()["operators"]["op-42"]["flags"]["photo_skipped"], 1);
    }
    // A restart: the same counts from the same file.
    auto reopened = Store::open(file, Store::Options{"site", "bench-01", 100000, 5000});
    ASSERT_TRUE(reopened.has_value()) << reopened.error().message;
    auto counters = readCounters(**reopened, CountersConfig{}, now);
    ASSERT_TRUE(counters.has_value()) << counters.error().message;
    EXPECT_EQ(counters->bench.items, 2);
    EXPECT_EQ(counters->bench.flagged, 2);
}

} // namespace
} // namespace retour::station
