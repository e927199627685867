// The SQLite backend of StockStore (table stock_movements of migrations/0003_outcomes.sql, fed by
// the events and inspections of migrations/0001_ledger.sql).
#include "ledger/try.h"
#include "storage/sqlite/columns.h"
#include "storage/sqlite/stores.h"

namespace retour::central::sqlite {

namespace {

// id first: the database assigns it (book() binds the others).
const auto kMovements = sqlite::columns<StockMovement>(
    "id, event_id, kind, sku, from_location, to_location, condition, quantity, disposition, route, "
    "route_rule, rma_id, inspection_id, lpn, station, at",
    &StockMovement::id, &StockMovement::eventId, &StockMovement::kind, &StockMovement::sku,
    &StockMovement::fromLocation, &StockMovement::toLocation, &StockMovement::condition,
    &StockMovement::quantity, &StockMovement::disposition, &StockMovement::route, &StockMovement::routeRule,
    &StockMovement::rmaId, &StockMovement::inspectionId, &StockMovement::lpn, &StockMovement::station,
    &StockMovement::at);

// An event with what its inspection holds (NULLs when it has none).
const auto kSources = sqlite::columns<StockSource>(
    "e.rowid, e.event_id, e.type, e.station, e.occurred_at, e.payload, i.inspection_id, i.rma_id, "
    "i.item_sku, i.disposition_code, i.grade, i.item_category, i.lpn",
    &StockSource::position, &StockSource::eventId, &StockSource::type, &StockSource::station,
    &StockSource::occurredAt, &StockSource::payload, &StockSource::inspectionId, &StockSource::rmaId,
    &StockSource::sku, &StockSource::dispositionCode, &StockSource::grade, &StockSource::category,
    &StockSource::lpn);

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
    return kSources.all(
        db_,
        "FROM events e LEFT JOIN inspections i ON i.event_id = e.event_id WHERE e.rowid > ? AND e.type IN "
        "('inspection.completed', 'restock.completed') ORDER BY e.rowid LIMIT ?",
        position, limit);
}

Result<bool> SqliteStockStore::book(const StockMovement& movement)
{
    CENTRAL_TRY(kMovements.insert(db_, "INSERT OR IGNORE INTO stock_movements", movement, 1));
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
    return kMovements.first(db_, "FROM stock_movements WHERE inspection_id = ? AND kind = 'inspected'",
                            inspectionId);
}

Result<std::vector<StockMovement>> SqliteStockStore::movements(std::string_view since)
{
    return kMovements.all(db_, "FROM stock_movements WHERE at >= ? ORDER BY at, id", since);
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
