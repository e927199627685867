#pragma once

#include "ledger/error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::central {

// One movement of the inventory ledger (table stock_movements).
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

// A stored station event that can move stock (inspection.completed, restock.completed), with
// what its inspection booked when it has one.
struct StockSource
{
    std::int64_t position = 0; // increasing in the order the events were stored
    std::string eventId, type, station, occurredAt, payload;
    std::optional<std::string> inspectionId, rmaId;
    std::string sku, dispositionCode, grade; // "" when unknown
    std::optional<std::string> category, lpn;
};

// The inventory ledger's storage. Every operation can fail with ErrorCode::Database.
//
// Thread contract: thread-bound (its Storage's thread).
class StockStore
{
public:
    virtual ~StockStore() = default;

    // The events stored after `position` that can move stock, in that order, at most `limit`.
    virtual Result<std::vector<StockSource>> sourcesAfter(std::int64_t position, int limit) = 0;
    // Insert unless the event already moved stock (then false, nothing changed).
    virtual Result<bool> book(const StockMovement& movement) = 0;
    // The id the movement of an event was stored under.
    virtual Result<std::optional<std::int64_t>> movementId(std::string_view eventId) = 0;
    // The movement that brought an inspected unit in.
    virtual Result<std::optional<StockMovement>> inspected(std::string_view inspectionId) = 0;
    // Movements at or after `since` (RFC 3339; empty: all), oldest first.
    virtual Result<std::vector<StockMovement>> movements(std::string_view since) = 0;
    // Non-zero levels, by SKU, location, condition; a unit leaves the bench under the condition it
    // came in with.
    virtual Result<std::vector<StockLevel>> levels() = 0;
};

} // namespace retour::central
