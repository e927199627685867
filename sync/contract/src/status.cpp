// A station's status document (docs/schemas/status.json).
#include "retour/contract/status.h"

#include "codecs.h"

#include <array>

namespace retour::sync {

namespace {

using detail::Fields;
using detail::Integers;
using detail::orNull;
using detail::Presence;
using detail::putIfSet;
using detail::Text;
using nlohmann::json;

constexpr std::string_view kStatusSchema = "retour.status";
constexpr std::array<std::string_view, 2> kStates{"online", "offline"};
constexpr std::array<const char*, 5> kRequiredFlags{"weight_mismatch", "wrong_item", "serial_mismatch",
                                                    "photo_skipped", "override"};
constexpr Integers kCount{.minimum = 0};

StationStatus::Counts readCounts(Fields c)
{
    StationStatus::Counts out;
    out.items = c.integer("items", kCount);
    out.parcels = c.integer("parcels", kCount);
    out.itemsPerHour = c.number("items_per_hour", detail::Numbers{.minimum = 0});
    out.grades = c.integerMap("grades", Presence::Required, kCount);
    out.dispositions = c.integerMap("dispositions", Presence::Required, kCount);
    Fields flags = c.object("flags");
    for (const char* flag : kRequiredFlags) {
        (void)flags.integer(flag, kCount);
    }
    out.flags = c.integerMap("flags", Presence::Required, kCount);
    out.flagged = c.integer("flagged", kCount);
    out.firstAt = c.nullableString("first_at", Presence::Optional);
    out.lastAt = c.nullableString("last_at", Presence::Optional);
    return out;
}

} // namespace

json toJson(const StationStatus::Counts& c)
{
    return {{"items", c.items},     {"parcels", c.parcels},           {"items_per_hour", c.itemsPerHour},
            {"grades", c.grades},   {"dispositions", c.dispositions}, {"flags", c.flags},
            {"flagged", c.flagged}, {"first_at", orNull(c.firstAt)},  {"last_at", orNull(c.lastAt)}};
}

json toJson(const StationStatus::Counters& counters)
{
    json operators = json::object();
    for (const auto& [id, counts] : counters.operators) {
        operators[id] = toJson(counts);
    }
    return {{"since", counters.since},
            {"at", counters.at},
            {"bench", toJson(counters.bench)},
            {"operators", std::move(operators)}};
}

std::string encodeStationStatus(const StationStatus& status)
{
    json doc = {{"schema", kStatusSchema},
                {"version", kEventVersion},
                {"state", status.online ? "online" : "offline"}};
    putIfSet(doc, "devices", status.devices);
    putIfSet(doc, "outbox_pending", status.outboxPending);
    putIfSet(doc, "outbox_capacity", status.outboxCapacity);
    putIfSet(doc, "outbox_alarm", status.outboxAlarm);
    if (status.counters) {
        doc["counters"] = toJson(*status.counters);
    }
    return detail::dump(doc);
}

Result<StationStatus> decodeStationStatus(std::string_view payload)
{
    return detail::decodeMessage(payload, kStatusSchema, "status", [](Fields& f) {
        StationStatus status;
        status.online = f.string("state", Text{.oneOf = kStates}) == "online";
        if (f.optionalObject("devices")) {
            status.devices = f.stringMap("devices", Presence::Optional);
        }
        status.outboxPending = f.optionalInteger("outbox_pending", kCount);
        status.outboxCapacity = f.optionalInteger("outbox_capacity", kCount);
        status.outboxAlarm = f.optionalBoolean("outbox_alarm");
        if (auto c = f.optionalObject("counters")) {
            StationStatus::Counters counters;
            counters.since = c->string("since");
            counters.at = c->string("at");
            counters.bench = readCounts(c->object("bench"));
            for (auto& [id, counts] : c->objectMap("operators", Presence::Required)) {
                counters.operators.emplace(id, readCounts(counts));
            }
            status.counters = std::move(counters);
        }
        return status;
    });
}

} // namespace retour::sync
