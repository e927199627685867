// Counters per bench and per operator (counters.h): the pure part — the counting window, the
// flags of an item, the tally and its JSON.
#include "store/counters.h"

#include "retour/contract/message.h"
#include "workflow/records.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <set>

namespace retour::station {

namespace {

using Clock = std::chrono::system_clock;

struct Tally
{
    Counts counts;
    std::set<std::string> parcels;
    std::optional<Clock::time_point> first;
    std::optional<Clock::time_point> last;
};

void add(Tally& t, const CountedItem& item, Clock::time_point at, const std::vector<std::string>& flags)
{
    Counts& c = t.counts;
    ++c.items;
    t.parcels.insert(item.parcelId);
    ++c.grades[item.grade];
    ++c.dispositions[item.disposition];
    for (const auto& flag : flags) {
        if (flag == "weight_mismatch") {
            ++c.flags.weightMismatch;
        } else if (flag == "wrong_item") {
            ++c.flags.wrongItem;
        } else if (flag == "serial_mismatch") {
            ++c.flags.serialMismatch;
        } else if (flag == "photo_skipped") {
            ++c.flags.photoSkipped;
        } else if (flag == "override") {
            ++c.flags.override;
        }
    }
    if (!flags.empty()) {
        ++c.flagged;
    }
    if (!t.first || at < *t.first) {
        t.first = at;
        c.firstAt = item.confirmedAt;
    }
    if (!t.last || at >= *t.last) {
        t.last = at;
        c.lastAt = item.confirmedAt;
    }
}

Counts finish(Tally& t, Clock::time_point now)
{
    Counts c = std::move(t.counts);
    c.parcels = static_cast<std::int64_t>(t.parcels.size());
    if (t.first && t.last) {
        const auto end = std::min(now, *t.last + kIdleAfterLastItem);
        const auto span = std::max<Clock::duration>(end - *t.first, std::chrono::minutes(1));
        const double hours = std::chrono::duration<double, std::ratio<3600>>(span).count();
        c.itemsPerHour = std::round(static_cast<double>(c.items) / hours * 10.0) / 10.0;
    }
    return c;
}

} // namespace

Clock::time_point windowStart(Clock::time_point now, const CountersConfig& config,
                              std::chrono::seconds utcOffset)
{
    using std::chrono::days;
    using std::chrono::minutes;
    const auto local = now + utcOffset;
    const auto midnight = std::chrono::floor<days>(local);
    const auto minuteOfDay = std::chrono::duration_cast<minutes>(local - midnight).count();
    std::vector<int> starts = config.shiftStarts.empty() ? std::vector<int>{0} : config.shiftStarts;
    std::sort(starts.begin(), starts.end());
    Clock::time_point start = midnight - days(1) + minutes(starts.back()); // the day before's last
    for (const int s : starts) {
        if (s <= minuteOfDay) {
            start = midnight + minutes(s);
        }
    }
    return start - utcOffset;
}

Clock::time_point localWindowStart(Clock::time_point now, const CountersConfig& config)
{
    // The offset of now: a window that began before a daylight-saving change is off by that hour
    // on the change's day only.
    const std::time_t t = Clock::to_time_t(now);
    std::tm tm{};
    ::localtime_r(&t, &tm);
    return windowStart(now, config, std::chrono::seconds(tm.tm_gmtoff));
}

std::vector<std::string> flagsOf(const CountedItem& item)
{
    auto has = [&](std::string_view finding) {
        return std::find(item.findings.begin(), item.findings.end(), finding) != item.findings.end();
    };
    std::vector<std::string> flags;
    if (item.weightResult == "mismatch" || has("weight_mismatch")) {
        flags.emplace_back("weight_mismatch");
    }
    if (has("wrong_item")) {
        flags.emplace_back("wrong_item");
    }
    if (has("serial_mismatch")) {
        flags.emplace_back("serial_mismatch");
    }
    if (item.photoSkipped) {
        flags.emplace_back("photo_skipped");
    }
    if (item.overridden) {
        flags.emplace_back("override");
    }
    return flags;
}

CounterSnapshot tally(const std::vector<CountedItem>& items, Clock::time_point since, Clock::time_point now)
{
    Tally bench;
    std::map<std::string, Tally> operators;
    for (const auto& item : items) {
        const auto at = sync::parseTimestamp(item.confirmedAt);
        if (!at || *at < since || *at > now) {
            continue;
        }
        const auto flags = flagsOf(item);
        add(bench, item, *at, flags);
        add(operators[item.operatorId], item, *at, flags);
    }
    CounterSnapshot snapshot;
    snapshot.since = sync::formatTimestamp(since);
    snapshot.at = sync::formatTimestamp(now);
    snapshot.bench = finish(bench, now);
    for (auto& [id, t] : operators) {
        snapshot.operators[id] = finish(t, now);
    }
    return snapshot;
}

sync::StationStatus::Counts toContract(const Counts& counts)
{
    return {counts.items,
            counts.parcels,
            counts.itemsPerHour,
            counts.grades,
            counts.dispositions,
            {{"weight_mismatch", counts.flags.weightMismatch},
             {"wrong_item", counts.flags.wrongItem},
             {"serial_mismatch", counts.flags.serialMismatch},
             {"photo_skipped", counts.flags.photoSkipped},
             {"override", counts.flags.override}},
            counts.flagged,
            unlessEmpty(counts.firstAt),
            unlessEmpty(counts.lastAt)};
}

sync::StationStatus::Counters toContract(const CounterSnapshot& snapshot)
{
    sync::StationStatus::Counters counters{snapshot.since, snapshot.at, toContract(snapshot.bench), {}};
    for (const auto& [id, counts] : snapshot.operators) {
        counters.operators.emplace(id, toContract(counts));
    }
    return counters;
}

nlohmann::json toJson(const Counts& counts)
{
    return sync::toJson(toContract(counts));
}

nlohmann::json toJson(const CounterSnapshot& snapshot)
{
    return sync::toJson(toContract(snapshot));
}

std::optional<int> parseTimeOfDay(std::string_view text)
{
    if (text.size() != 5 || text[2] != ':') {
        return std::nullopt;
    }
    for (const std::size_t i : {0U, 1U, 3U, 4U}) {
        if (text[i] < '0' || text[i] > '9') {
            return std::nullopt;
        }
    }
    const int hours = (text[0] - '0') * 10 + (text[1] - '0');
    const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
    if (hours > 23 || minutes > 59) {
        return std::nullopt;
    }
    return hours * 60 + minutes;
}

} // namespace retour::station
