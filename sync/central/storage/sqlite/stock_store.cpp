// The SQLite backend of StockStore (table stock_movements of migrations/0003_outcomes.sql, fed by
// the events and inspections of migrations/0001_ledger.sql).
#include "ledger/try.h"
#include "storage/sqlite/stores.h"

namespace retour::central::sqlite {

namespace {

constexpr std::string_view kColumns =
    "id, event_id, kind, sku, from_location, to_location, condition, quantity, "
    "disposition, route, route_rule, rma_id, inspection_id, lpn, station, at";

StockMovement readRow(const Statement& stmt)
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

class SqliteStockStore final : public StockStore
{
public:
    explicit SqliteStockStore(Database& db) : db_(db) {}

    Result<std::vector<StockSource>> sourcesAfter(std::int64_t position, int limit) override;
    Result<bool> book(const StockMovement& movement) override;
    Result<std::optional<std::int64_t>> movementId(std::string_view eventId) override;
    Result<std::optional<StockMovement>> inspected(std::string_view inspectionId) override;
    Result<std::vector<StockMovement>> movements(std::string_view since) override;
    Result<std::vector<StockLevel>> levels() override;

private:
    Database& db_;
};

} // namespace

Result<std::vector<StockSource>> SqliteStockStore::sourcesAfter(std::int64_t position, int limit)
{
    CENTRAL_TRY_ASSIGN(stmt,
                       db_.prepare("SELECT e.rowid, e.event_id, e.type, e.station, e.occurred_at, e.payload, "
                                   "i.inspection_id, i.rma_id, i.item_sku, i.disposition_code, "
                                   "i.grade, i.item_category, i.lpn "
                                   "FROM events e LEFT JOIN inspections i ON i.event_id = e.event_id "
                                   "WHERE e.rowid > ? AND e.type IN ('inspection.completed', "
                                   "'restock.completed') ORDER BY e.rowid LIMIT ?"));
    stmt.bind(1, position).bind(2, limit);
    return stmt.all([](const Statement& row) {
        StockSource source;
        source.position = row.integer(0);
        source.eventId = row.text(1);
        source.type = row.text(2);
        source.station = row.text(3);
        source.occurredAt = row.text(4);
        source.payload = row.text(5);
        source.inspectionId = row.optText(6);
        source.rmaId = row.optText(7);
        source.sku = row.text(8);
        source.dispositionCode = row.text(9);
        source.grade = row.text(10);
        source.category = row.optText(11);
        source.lpn = row.optText(12);
        return source;
    });
}

Result<bool> SqliteStockStore::book(const StockMovement& movement)
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
    return db_.changes() == 1;
}

Result<std::optional<std::int64_t>> SqliteStockStore::movementId(std::string_view eventId)
{
    CENTRAL_TRY_ASSIGN(stmt, db_.prepare("SELECT id FROM stock_movements WHERE event_id = ?"));
    stmt.bind(1, eventId);
    return stmt.first([](const Statement& row) { return row.integer(0); });
}

Result<std::optional<StockMovement>> SqliteStockStore::inspected(std::string_view inspectionId)
{
    CENTRAL_TRY_ASSIGN(stmt,
                       db_.prepare("SELECT " + std::string(kColumns) +
                                   " FROM stock_movements WHERE inspection_id = ? AND kind = 'inspected'"));
    stmt.bind(1, inspectionId);
    return stmt.first(readRow);
}

Result<std::vector<StockMovement>> SqliteStockStore::movements(std::string_view since)
{
    CENTRAL_TRY_ASSIGN(stmt, db_.prepare("SELECT " + std::string(kColumns) +
                                         " FROM stock_movements WHERE at >= ? ORDER BY at, id"));
    stmt.bind(1, since);
    return stmt.all(readRow);
}

Result<std::vector<StockLevel>> SqliteStockStore::levels()
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
    return stmt.all([](const Statement& row) {
        return StockLevel{row.text(0), row.text(1), row.text(2), row.integer(3)};
    });
}

std::unique_ptr<StockStore> stockStore(Database& db)
{
    return std::make_unique<SqliteStockStore>(db);
}

} // namespace retour::central::sqlite
