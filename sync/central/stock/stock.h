#pragma once

#include "delivery/delivery.h"
#include "stock/routing.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::base::sqlite {
class Database;
}

namespace retour::central {

namespace sqlite {
using Database = base::sqlite::Database;
}

struct StockMovement
{
    std::int64_t id = 0;
    std::string eventId;
    std::string kind; // inspected | restocked
    std::string sku;
    std::optional<std::string> fromLocation;
    std::string toLocation;
    std::string condition;
    std::int64_t quantity = 1;
    std::optional<std::string> disposition, route, routeRule, rmaId, inspectionId, lpn;
    std::string station;
    std::string at;
};

struct StockLevel
{
    std::string sku, location, condition;
    std::int64_t quantity = 0;
};

// The inventory ledger by SKU × location × condition (issue 7 "Stock"), built from the stations'
// events central holds: an inspection.completed brings the unit in at its bench
// ("bench:<station>") with the routing table's suggestion (route, condition); a
// restock.completed moves it from the bench to the shelf the station reports. Each movement is
// keyed by its event id (UNIQUE), so an event seen twice moves nothing twice, and with a webhook
// configured each movement is queued (kind "stock", key "stock-<event_id>") in the same
// transaction for the WMS / ERP.
//
// Thread contract: thread-bound (its connection's thread: the central loop, or a CLI command).
class StockLedger
{
public:
    StockLedger(RoutingTable routing, std::optional<std::string> webhook, sqlite::Database& db);

    // Book the events stored since the last pass (every event at the first pass). Returns the
    // number of movements added.
    Result<std::int64_t> catchUp(std::string_view now);

    // Movements at or after `since` (RFC 3339; empty: all), oldest first.
    Result<std::vector<StockMovement>> movements(std::string_view since);
    // Non-zero levels, by SKU, location, condition.
    Result<std::vector<StockLevel>> levels();

private:
    Result<bool> book(const StockMovement& movement, std::string_view now);

    RoutingTable routing_;
    std::optional<std::string> webhook_;
    sqlite::Database& db_;
    DeliveryStore outbox_;
    std::int64_t watermark_ = 0; // events.rowid
};

// Pure.
nlohmann::json toJson(const StockMovement& movement);
// RFC 4180 CSV with a header line: id, at, kind, sku, from_location, to_location, condition,
// quantity, disposition, route, route_rule, rma_id, inspection_id, lpn, station, event_id. Pure.
std::string movementsCsv(const std::vector<StockMovement>& movements);
// Quote a CSV field when it needs it (RFC 4180 §2.6-2.7). Pure.
std::string csvField(std::string_view text);

// Open the stock ledger of a database for the CLI (read only: export and levels).
Result<std::vector<StockMovement>> readMovements(sqlite::Database& db, std::string_view since);

} // namespace retour::central
