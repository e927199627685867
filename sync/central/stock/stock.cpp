// The inventory ledger built from the stations' events (see stock.h).
#include "stock/stock.h"

#include "ledger/try.h"
#include "retour/contract/message.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/sqlite/transaction.h"

#include <spdlog/spdlog.h>

namespace retour::central {

namespace {

constexpr std::string_view kColumns =
    "id, event_id, kind, sku, from_location, to_location, condition, quantity, "
    "disposition, route, route_rule, rma_id, inspection_id, lpn, station, at";

StockMovement readRow(const sqlite::Statement& stmt)
{
    StockMovement m;
    m.id = stmt.integer(0);
    m.eventId = stmt.text(1);
    m.kind = stmt.text(2);
    m.sku = stmt.text(3);
    m.fromLocation = stmt.optText(4);
    m.toLocation = stmt.text(5);
    m.condition = stmt.text(6);
    m.quantity = stmt.integer(7);
    m.disposition = stmt.optText(8);
    m.route = stmt.optText(9);
    m.routeRule = stmt.optText(10);
    m.rmaId = stmt.optText(11);
    m.inspectionId = stmt.optText(12);
    m.lpn = stmt.optText(13);
    m.station = stmt.text(14);
    m.at = stmt.text(15);
    return m;
}

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

StockLedger::StockLedger(RoutingTable routing, std::optional<std::string> webhook, sqlite::Database& db)
    : routing_(std::move(routing)), webhook_(std::move(webhook)), db_(db), outbox_(db)
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
    CENTRAL_TRY_ASSIGN(
        stmt, db_.prepare("INSERT OR IGNORE INTO stock_movements (event_id, kind, sku, from_location, "
                          "to_location, condition, quantity, disposition, route, route_rule, rma_id, "
                          "inspection_id, lpn, station, at) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    stmt.bind(1, movement.eventId)
        .bind(2, movement.kind)
        .bind(3, movement.sku)
        .bind(4, movement.fromLocation)
        .bind(5, movement.toLocation)
        .bind(6, movement.condition)
        .bind(7, movement.quantity)
        .bind(8, movement.disposition)
        .bind(9, movement.route)
        .bind(10, movement.routeRule)
        .bind(11, movement.rmaId)
        .bind(12, movement.inspectionId)
        .bind(13, movement.lpn)
        .bind(14, movement.station)
        .bind(15, movement.at);
    CENTRAL_TRY(stmt.run());
    if (db_.changes() != 1) {
        return false;
    }
    if (webhook_) {
        StockMovement stored = movement;
        CENTRAL_TRY_ASSIGN(idStmt, db_.prepare("SELECT id FROM stock_movements WHERE event_id = ?"));
        idStmt.bind(1, movement.eventId);
        CENTRAL_TRY_ASSIGN(id, idStmt.first([](const sqlite::Statement& row) { return row.integer(0); }));
        stored.id = id.value_or(0);
        Delivery delivery;
        delivery.key = "stock-" + movement.eventId;
        delivery.kind = "stock";
        delivery.transport = "http";
        delivery.target = *webhook_;
        delivery.body = toJson(stored).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        CENTRAL_TRY(outbox_.enqueue(delivery, now));
    }
    return true;
}

Result<std::int64_t> StockLedger::catchUp(std::string_view now)
{
    CENTRAL_TRY_ASSIGN(stmt,
                       db_.prepare("SELECT e.rowid, e.event_id, e.type, e.station, e.occurred_at, e.payload, "
                                   "i.inspection_id, i.rma_id, i.item_sku, i.disposition_code, "
                                   "i.disposition_location, i.grade, i.item_category, i.lpn "
                                   "FROM events e LEFT JOIN inspections i ON i.event_id = e.event_id "
                                   "WHERE e.rowid > ? AND e.type IN ('inspection.completed', "
                                   "'restock.completed') ORDER BY e.rowid LIMIT 500"));
    stmt.bind(1, watermark_);
    std::vector<StockMovement> movements;
    std::int64_t highest = watermark_;
    CENTRAL_TRY(stmt.each([&](const sqlite::Statement& row) {
        highest = row.integer(0);
        StockMovement m;
        m.eventId = row.text(1);
        m.station = row.text(3);
        m.at = row.text(4);
        if (row.text(2) == "inspection.completed") {
            if (row.isNull(6) || row.text(8).empty()) {
                return; // an item without a SKU cannot be stocked
            }
            m.kind = "inspected";
            m.inspectionId = row.optText(6);
            m.rmaId = row.optText(7);
            m.sku = row.text(8);
            m.disposition = row.optText(9);
            const RouteChoice route =
                chooseRoute(routing_, row.text(9), row.text(11), row.optText(12).value_or("generic"));
            m.route = route.route;
            m.routeRule = route.rule;
            m.condition = route.condition;
            m.toLocation = bench(m.station);
            m.lpn = row.optText(13);
        } else {
            const auto envelope = sync::decodeEnvelope(row.text(5));
            if (!envelope) {
                return;
            }
            const nlohmann::json& data = envelope->data;
            const auto sku = optString(data, "sku");
            const auto location = optString(data, "location");
            if (!sku || !location) {
                spdlog::warn("restock.completed {} from {} has no sku or location: not booked", m.eventId,
                             m.station);
                return;
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
    }));
    // Conditions of restocks: the unit leaves the bench under the condition it came in with.
    std::int64_t added = 0;
    if (!movements.empty()) {
        CENTRAL_TRY(inTransaction(db_, [&]() -> Result<void> {
            for (StockMovement& m : movements) {
                if (m.kind == "restocked" && m.inspectionId) {
                    CENTRAL_TRY_ASSIGN(inspected, db_.prepare("SELECT rma_id, disposition, route, route_rule "
                                                              "FROM stock_movements WHERE inspection_id = ? "
                                                              "AND kind = 'inspected'"));
                    inspected.bind(1, *m.inspectionId);
                    CENTRAL_TRY(inspected.first([&m](const sqlite::Statement& row) {
                        m.rmaId = row.optText(0);
                        m.disposition = row.optText(1);
                        m.route = row.optText(2);
                        m.routeRule = row.optText(3);
                        return true;
                    }));
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

Result<std::vector<StockMovement>> readMovements(sqlite::Database& db, std::string_view since)
{
    CENTRAL_TRY_ASSIGN(stmt, db.prepare("SELECT " + std::string(kColumns) +
                                        " FROM stock_movements WHERE at >= ? ORDER BY at, id"));
    stmt.bind(1, since);
    return stmt.all(readRow);
}

Result<std::vector<StockMovement>> StockLedger::movements(std::string_view since)
{
    return readMovements(db_, since);
}

Result<std::vector<StockLevel>> StockLedger::levels()
{
    CENTRAL_TRY_ASSIGN(stmt, db_.prepare("SELECT sku, location, condition, SUM(q) FROM ("
                                         "SELECT sku, to_location AS location, condition, quantity AS q "
                                         "FROM stock_movements UNION ALL "
                                         "SELECT m.sku, m.from_location, COALESCE(i.condition, m.condition), "
                                         "-m.quantity FROM stock_movements m LEFT JOIN stock_movements i "
                                         "ON i.inspection_id = m.inspection_id AND i.kind = 'inspected' "
                                         "WHERE m.from_location IS NOT NULL) "
                                         "GROUP BY sku, location, condition HAVING SUM(q) != 0 "
                                         "ORDER BY sku, location, condition"));
    return stmt.all([](const sqlite::Statement& row) {
        return StockLevel{row.text(0), row.text(1), row.text(2), row.integer(3)};
    });
}

} // namespace retour::central
