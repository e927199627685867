// The inventory ledger built from the stations' events (see stock.h).
#include "stock/stock.h"

#include "ledger/try.h"
#include "retour/contract/message.h"

#include <spdlog/spdlog.h>

namespace retour::central {

namespace {

nlohmann::json opt(const std::optional<std::string>& value)
{
    return value ? nlohmann::json(*value) : nlohmann::json();
}

std::optional<std::string> optString(const nlohmann::json& data, const char* key)
{
    const auto it = data.find(key);
    if (it == data.end() || !it->is_string() || it->get<std::string>().empty()) {
        return std::nullopt;
    }
    return it->get<std::string>();
}

std::string bench(std::string_view station)
{
    return "bench:" + std::string(station);
}

} // namespace

StockLedger::StockLedger(RoutingTable routing, std::optional<std::string> webhook, Storage& storage)
    : routing_(std::move(routing)), webhook_(std::move(webhook)), storage_(storage)
{}

nlohmann::json toJson(const StockMovement& m)
{
    return {{"movement_id", m.id},
            {"event_id", m.eventId},
            {"kind", m.kind},
            {"sku", m.sku},
            {"from_location", opt(m.fromLocation)},
            {"to_location", m.toLocation},
            {"condition", m.condition},
            {"quantity", m.quantity},
            {"disposition", opt(m.disposition)},
            {"route", opt(m.route)},
            {"route_rule", opt(m.routeRule)},
            {"rma_id", opt(m.rmaId)},
            {"inspection_id", opt(m.inspectionId)},
            {"lpn", opt(m.lpn)},
            {"station", m.station},
            {"at", m.at}};
}

std::string csvField(std::string_view text)
{
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
        return std::string(text);
    }
    std::string out = "\"";
    for (const char c : text) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    return out + "\"";
}

std::string movementsCsv(const std::vector<StockMovement>& movements)
{
    std::string out =
        "id,at,kind,sku,from_location,to_location,condition,quantity,disposition,route,route_rule,"
        "rma_id,inspection_id,lpn,station,event_id\r\n";
    for (const StockMovement& m : movements) {
        const std::string fields[] = {std::to_string(m.id),
                                      m.at,
                                      m.kind,
                                      m.sku,
                                      m.fromLocation.value_or(""),
                                      m.toLocation,
                                      m.condition,
                                      std::to_string(m.quantity),
                                      m.disposition.value_or(""),
                                      m.route.value_or(""),
                                      m.routeRule.value_or(""),
                                      m.rmaId.value_or(""),
                                      m.inspectionId.value_or(""),
                                      m.lpn.value_or(""),
                                      m.station,
                                      m.eventId};
        bool first = true;
        for (const std::string& field : fields) {
            out += (first ? "" : ",") + csvField(field);
            first = false;
        }
        out += "\r\n";
    }
    return out;
}

Result<bool> StockLedger::book(const StockMovement& movement, std::string_view now)
{
    CENTRAL_TRY_ASSIGN(added, storage_.stock().book(movement));
    if (!added) {
        return false;
    }
    if (webhook_) {
        StockMovement stored = movement;
        CENTRAL_TRY_ASSIGN(id, storage_.stock().movementId(movement.eventId));
        stored.id = id.value_or(0);
        Delivery delivery;
        delivery.key = "stock-" + movement.eventId;
        delivery.kind = "stock";
        delivery.transport = "http";
        delivery.target = *webhook_;
        delivery.body = toJson(stored).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        CENTRAL_TRY(storage_.deliveries().enqueue(delivery, now));
    }
    return true;
}

Result<std::int64_t> StockLedger::catchUp(std::string_view now)
{
    CENTRAL_TRY_ASSIGN(sources, storage_.stock().sourcesAfter(watermark_, 500));
    std::vector<StockMovement> movements;
    std::int64_t highest = watermark_;
    for (const StockSource& source : sources) {
        highest = source.position;
        StockMovement m;
        m.eventId = source.eventId;
        m.station = source.station;
        m.at = source.occurredAt;
        if (source.type == "inspection.completed") {
            if (!source.inspectionId || source.sku.empty()) {
                continue; // an item without a SKU cannot be stocked
            }
            m.kind = "inspected";
            m.inspectionId = source.inspectionId;
            m.rmaId = source.rmaId;
            m.sku = source.sku;
            m.disposition = source.dispositionCode;
            const RouteChoice route = chooseRoute(routing_, source.dispositionCode, source.grade,
                                                  source.category.value_or("generic"));
            m.route = route.route;
            m.routeRule = route.rule;
            m.condition = route.condition;
            m.toLocation = bench(m.station);
            m.lpn = source.lpn;
        } else {
            const auto envelope = sync::decodeEnvelope(source.payload);
            if (!envelope) {
                continue;
            }
            const nlohmann::json& data = envelope->data;
            const auto sku = optString(data, "sku");
            const auto location = optString(data, "location");
            if (!sku || !location) {
                spdlog::warn("restock.completed {} from {} has no sku or location: not booked", m.eventId,
                             m.station);
                continue;
            }
            m.kind = "restocked";
            m.sku = *sku;
            m.fromLocation = bench(m.station);
            m.toLocation = *location;
            m.condition = optString(data, "condition").value_or("unknown");
            m.inspectionId = optString(data, "inspection_id");
            m.lpn = optString(data, "lpn");
        }
        movements.push_back(std::move(m));
    }
    // Conditions of restocks: the unit leaves the bench under the condition it came in with.
    std::int64_t added = 0;
    if (!movements.empty()) {
        CENTRAL_TRY(storage_.transaction([&]() -> Result<void> {
            for (StockMovement& m : movements) {
                if (m.kind == "restocked" && m.inspectionId) {
                    CENTRAL_TRY_ASSIGN(inspected, storage_.stock().inspected(*m.inspectionId));
                    if (inspected) {
                        m.rmaId = inspected->rmaId;
                        m.disposition = inspected->disposition;
                        m.route = inspected->route;
                        m.routeRule = inspected->routeRule;
                    }
                }
                CENTRAL_TRY_ASSIGN(booked, book(m, now));
                added += booked ? 1 : 0;
            }
            return {};
        }));
    }
    watermark_ = highest;
    return added;
}

Result<std::vector<StockMovement>> StockLedger::movements(std::string_view since)
{
    return storage_.stock().movements(since);
}

Result<std::vector<StockLevel>> StockLedger::levels()
{
    return storage_.stock().levels();
}

} // namespace retour::central
