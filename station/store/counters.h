#pragma once

#include "app/error.h"
#include "config/config.h"
#include "retour/contract/status.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace retour::station {

class Store;

// Counters of a bench and of each operator (issue "Throughput": items/hour, grades, dispositions,
// flags) over the current counting window (the shift, or the day since local midnight:
// [counters] shifts). They are computed from the confirmed inspections in the station's store, so
// they survive a restart; a voided item (CMD:UNDO) does not count.

// One confirmed, not voided inspection as the counters see it.
struct CountedItem
{
    std::string operatorId;
    std::string parcelId;
    std::string confirmedAt; // RFC 3339 UTC
    std::string grade;       // retailer grade letter
    std::string disposition;
    std::string weightResult; // ok | mismatch | not_checked
    std::vector<std::string> findings;
    bool photoSkipped = false; // a view skipped with a reason (CMD:SKIPPHOTO) or photos missing
    bool overridden = false;   // grade overridden with a reason (CMD:OVERRIDE)
};

// Items carrying each flag (an item may carry several).
struct CounterFlags
{
    std::int64_t weightMismatch = 0;
    std::int64_t wrongItem = 0;
    std::int64_t serialMismatch = 0;
    std::int64_t photoSkipped = 0;
    std::int64_t override = 0;
};

struct Counts
{
    std::int64_t items = 0;
    std::int64_t parcels = 0; // distinct parcels among the counted items
    // Items per hour of activity: from the first item of the window until now, or until
    // kIdleAfterLastItem after the last one when the bench has been idle longer (a break or the
    // end of a shift does not dilute the rate); at least one minute. Rounded to 0.1.
    double itemsPerHour = 0;
    std::map<std::string, std::int64_t> grades;
    std::map<std::string, std::int64_t> dispositions;
    CounterFlags flags;
    std::int64_t flagged = 0; // items with at least one flag
    std::string firstAt;      // first and last confirmation in the window ("" when none)
    std::string lastAt;
};

struct CounterSnapshot
{
    std::string since; // the window's start, RFC 3339 UTC
    std::string at;    // when computed
    Counts bench;
    std::map<std::string, Counts> operators;
};

inline constexpr std::chrono::minutes kIdleAfterLastItem{15};

// ---- pure ----

// The start of the counting window holding `now`: the latest shift start (minutes after local
// midnight, config.shiftStarts) at or before now, in a zone `utcOffset` ahead of UTC; with no
// shift start today yet, the last one of the day before.
std::chrono::system_clock::time_point windowStart(std::chrono::system_clock::time_point now,
                                                  const CountersConfig& config,
                                                  std::chrono::seconds utcOffset);
// The same in the process's local time zone (TZ).
std::chrono::system_clock::time_point localWindowStart(std::chrono::system_clock::time_point now,
                                                       const CountersConfig& config);

// The flags an item carries, by name: weight_mismatch, wrong_item, serial_mismatch,
// photo_skipped, override.
std::vector<std::string> flagsOf(const CountedItem& item);

// Count the items confirmed in [since, now] for the bench and per operator.
CounterSnapshot tally(const std::vector<CountedItem>& items, std::chrono::system_clock::time_point since,
                      std::chrono::system_clock::time_point now);

// The counters as the station's status document carries them (docs/schemas/status.json):
// "flags" names weight_mismatch, wrong_item, serial_mismatch, photo_skipped and override; times
// are null when no item.
sync::StationStatus::Counts toContract(const Counts& counts);
sync::StationStatus::Counters toContract(const CounterSnapshot& snapshot);
// The same as JSON (sync::toJson), for the bench UI and the CLI.
nlohmann::json toJson(const Counts& counts);
nlohmann::json toJson(const CounterSnapshot& snapshot);

// "HH:MM" → minutes after midnight; nullopt unless 00:00..23:59.
std::optional<int> parseTimeOfDay(std::string_view text);

// ---- from the store ----

// The confirmed, not voided inspections confirmed at or after `since` (RFC 3339 UTC), oldest
// first. Errors: ErrorCode::Database.
Result<std::vector<CountedItem>> countedItems(const Store& store, const std::string& since);

// Read and tally the current window.
Result<CounterSnapshot> readCounters(const Store& store, const CountersConfig& config,
                                     std::chrono::system_clock::time_point now);

// The running station's counters: recomputed from the store when it was written to (at most once
// a second) and at least once a minute (the rate, the window's rollover), else the cached ones.
//
// Thread contract: thread-bound (the station loop, where the store lives).
class BenchCounters
{
public:
    BenchCounters(const Store& store, CountersConfig config);

    const CounterSnapshot& current();
    nlohmann::json json() { return toJson(current()); }

private:
    const Store& store_;
    CountersConfig config_;
    CounterSnapshot snapshot_;
    std::optional<std::chrono::steady_clock::time_point> computedAt_;
    std::int64_t changes_ = -1;
};

} // namespace retour::station
