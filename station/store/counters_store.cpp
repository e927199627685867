// Counters per bench and per operator (counters.h): reading the confirmed inspections of the
// window from the store, and the running station's cached counters.
#include "retour/contract/message.h"
#include "store/counters.h"
#include "store/store.h"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

namespace retour::station {

namespace {

// Recomputed at most this often after writes, and at least this often without any.
constexpr std::chrono::seconds kAfterWrites{1};
constexpr std::chrono::seconds kAtLeast{60};

} // namespace

Result<std::vector<CountedItem>> countedItems(const Store& store, const std::string& since)
{
    // confirmed_at is RFC 3339 UTC with milliseconds everywhere (nowTimestamp): it sorts as text.
    auto query = store.database().prepare(
        "SELECT operator, parcel_id, confirmed_at, grade, disposition, weight_result, body "
        "FROM inspection WHERE voided_at IS NULL AND confirmed_at >= ? "
        "ORDER BY confirmed_at, rowid");
    if (!query) {
        return std::unexpected(databaseError(query.error()));
    }
    query->bind(1, since);
    std::vector<CountedItem> items;
    base::Result<bool> rc;
    while ((rc = query->step()) && *rc) {
        CountedItem item{query->text(0),
                         query->text(1),
                         query->text(2),
                         query->text(3),
                         query->text(4),
                         query->text(5),
                         {},
                         false,
                         false};
        // The inspection.completed data: findings, skipped photos, the override.
        const auto body = nlohmann::json::parse(query->text(6), nullptr, false);
        if (body.is_object()) {
            if (const auto f = body.find("findings"); f != body.end() && f->is_array()) {
                for (const auto& finding : *f) {
                    if (finding.is_string()) {
                        item.findings.push_back(finding.get<std::string>());
                    }
                }
            }
            const auto skipped = body.find("photos_skipped");
            const auto missing = body.find("photo_missing_reason");
            item.photoSkipped = (skipped != body.end() && skipped->is_array() && !skipped->empty()) ||
                                (missing != body.end() && missing->is_string());
            const auto grade = body.find("grade");
            item.overridden = grade != body.end() && grade->is_object() && grade->contains("override");
        }
        items.push_back(std::move(item));
    }
    if (!rc) {
        return std::unexpected(
            databaseError(store.database().error("read the inspections for the counters")));
    }
    return items;
}

Result<CounterSnapshot> readCounters(const Store& store, const CountersConfig& config,
                                     std::chrono::system_clock::time_point now)
{
    const auto since = localWindowStart(now, config);
    auto items = countedItems(store, sync::formatTimestamp(since));
    if (!items) {
        return std::unexpected(items.error());
    }
    return tally(*items, since, now);
}

BenchCounters::BenchCounters(const Store& store, CountersConfig config)
    : store_(store), config_(std::move(config))
{}

const CounterSnapshot& BenchCounters::current()
{
    const auto now = std::chrono::steady_clock::now();
    const std::int64_t changes = sqlite3_total_changes64(store_.handle());
    const bool due = !computedAt_ || now - *computedAt_ >= kAtLeast ||
                     (changes != changes_ && now - *computedAt_ >= kAfterWrites);
    if (!due) {
        return snapshot_;
    }
    computedAt_ = now;
    changes_ = changes;
    if (auto computed = readCounters(store_, config_, std::chrono::system_clock::now())) {
        snapshot_ = std::move(*computed);
    } else {
        spdlog::warn("counters: {}; the last ones are shown", computed.error().message);
    }
    return snapshot_;
}

} // namespace retour::station
