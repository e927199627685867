// The SQLite backend of DeliveryStore (table deliveries of migrations/0003_outcomes.sql).
#include "ledger/try.h"
#include "storage/sqlite/columns.h"
#include "storage/sqlite/stores.h"

namespace retour::central::sqlite {

namespace {

const auto kDeliveries = sqlite::columns<Delivery>(
    "id, key, kind, transport, target, recipient, body, state, attempts, next_at, last_error, response, "
    "created_at, finished_at",
    &Delivery::id, &Delivery::key, &Delivery::kind, &Delivery::transport, &Delivery::target,
    &Delivery::recipient, &Delivery::body, &Delivery::state, &Delivery::attempts, &Delivery::nextAt,
    &Delivery::lastError, &Delivery::response, &Delivery::createdAt, &Delivery::finishedAt);

class SqliteDeliveryStore final : public DeliveryStore
{
public:
    explicit SqliteDeliveryStore(Database& db) : db_(db) {}

    Result<bool> enqueue(const Delivery& delivery, std::string_view now) override;
    Result<std::vector<Delivery>> due(std::string_view now, int limit) override;
    Result<std::optional<std::string>> nextDue() override;
    Result<void> record(std::int64_t id, Verdict verdict, std::int64_t attempts, std::string_view nextAt,
                        const Attempt& attempt, std::string_view now) override;
    Result<std::vector<Delivery>> unsettled(std::string_view kind) override;
    Result<void> markSettled(std::int64_t id) override;
    Result<std::optional<Delivery>> byKey(std::string_view key) override;
    Result<DeliveryCounts> counts(std::string_view kind) override;

private:
    Database& db_;
};

} // namespace

Result<bool> SqliteDeliveryStore::enqueue(const Delivery& delivery, std::string_view now)
{
    CENTRAL_TRY_ASSIGN(stmt, db_.prepare("INSERT OR IGNORE INTO deliveries (key, kind, transport, target, "
                                         "recipient, body, state, attempts, next_at, created_at) "
                                         "VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)"));
    stmt.bind(1, delivery.key)
        .bind(2, delivery.kind)
        .bind(3, delivery.transport)
        .bind(4, delivery.target)
        .bind(5, delivery.recipient)
        .bind(6, delivery.body)
        .bind(7, now)
        .bind(8, now);
    CENTRAL_TRY(stmt.run());
    return db_.changes() == 1;
}

Result<std::vector<Delivery>> SqliteDeliveryStore::due(std::string_view now, int limit)
{
    return kDeliveries.all(
        db_, "FROM deliveries WHERE state = 'pending' AND next_at <= ? ORDER BY next_at, id LIMIT ?", now,
        limit);
}

Result<std::optional<std::string>> SqliteDeliveryStore::nextDue()
{
    CENTRAL_TRY_ASSIGN(stmt, db_.prepare("SELECT MIN(next_at) FROM deliveries WHERE state = 'pending'"));
    CENTRAL_TRY_ASSIGN(row, stmt.first([](const Statement& r) { return r.optText(0); }));
    return row.value_or(std::nullopt);
}

Result<void> SqliteDeliveryStore::record(std::int64_t id, Verdict verdict, std::int64_t attempts,
                                         std::string_view nextAt, const Attempt& attempt,
                                         std::string_view now)
{
    const bool finished = verdict != Verdict::Retry;
    const std::string state = verdict == Verdict::Done     ? "done"
                              : verdict == Verdict::Failed ? "failed"
                                                           : "pending";
    CENTRAL_TRY_ASSIGN(stmt, db_.prepare("UPDATE deliveries SET state = ?, attempts = ?, next_at = ?, "
                                         "last_error = ?, response = ?, finished_at = ? WHERE id = ?"));
    stmt.bind(1, state).bind(2, attempts).bind(3, nextAt);
    if (verdict == Verdict::Done) {
        stmt.bindNull(4);
    } else {
        stmt.bind(4, attempt.detail);
    }
    stmt.bind(5, attempt.response);
    if (finished) {
        stmt.bind(6, now);
    } else {
        stmt.bindNull(6);
    }
    stmt.bind(7, id);
    return stmt.run();
}

Result<std::vector<Delivery>> SqliteDeliveryStore::unsettled(std::string_view kind)
{
    return kDeliveries.all(
        db_, "FROM deliveries WHERE settled = 0 AND state != 'pending' AND kind = ? ORDER BY id", kind);
}

Result<void> SqliteDeliveryStore::markSettled(std::int64_t id)
{
    CENTRAL_TRY_ASSIGN(stmt, db_.prepare("UPDATE deliveries SET settled = 1 WHERE id = ?"));
    stmt.bind(1, id);
    return stmt.run();
}

Result<std::optional<Delivery>> SqliteDeliveryStore::byKey(std::string_view key)
{
    return kDeliveries.first(db_, "FROM deliveries WHERE key = ?", key);
}

Result<DeliveryCounts> SqliteDeliveryStore::counts(std::string_view kind)
{
    CENTRAL_TRY_ASSIGN(stmt,
                       db_.prepare("SELECT state, COUNT(*) FROM deliveries WHERE kind = ? GROUP BY state"));
    stmt.bind(1, kind);
    DeliveryCounts counts;
    CENTRAL_TRY(stmt.each([&counts](const Statement& row) {
        const std::string state = row.text(0);
        (state == "pending" ? counts.pending
         : state == "done"  ? counts.done
                            : counts.failed) = row.integer(1);
    }));
    return counts;
}

std::unique_ptr<DeliveryStore> deliveryStore(Database& db)
{
    return std::make_unique<SqliteDeliveryStore>(db);
}

} // namespace retour::central::sqlite
