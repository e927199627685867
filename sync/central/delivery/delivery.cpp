// The delivery outbox's pure rules and its SQLite table (see delivery.h).
#include "delivery/delivery.h"

#include "ledger/try.h"
#include "retour/base/retry.h"
#include "storage/sqlite/sqlite_db.h"

#include <algorithm>

namespace retour::central {

std::string_view toString(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Done:
        return "done";
    case Verdict::Retry:
        return "retry";
    case Verdict::Failed:
        return "failed";
    }
    return "failed";
}

Verdict classifyHttpStatus(long status)
{
    if (status >= 200 && status < 300) {
        return Verdict::Done;
    }
    // RFC 9110 §15.5.9 (408), RFC 8470 (425), RFC 6585 §4 (429), §15.6 (5xx): transient.
    if (status == 408 || status == 425 || status == 429 || (status >= 500 && status < 600)) {
        return Verdict::Retry;
    }
    return Verdict::Failed;
}

std::chrono::milliseconds backoff(const RetryPolicy& policy, std::int64_t attempts)
{
    return base::backoffDelay({.initial = policy.base, .max = policy.max, .jitter = 0.0}, attempts);
}

namespace {

constexpr std::string_view kColumns = "id, key, kind, transport, target, recipient, body, state, attempts, "
                                      "next_at, last_error, response, created_at, finished_at";

Delivery readRow(const sqlite::Statement& stmt)
{
    Delivery d;
    d.id = stmt.integer(0);
    d.key = stmt.text(1);
    d.kind = stmt.text(2);
    d.transport = stmt.text(3);
    d.target = stmt.text(4);
    d.recipient = stmt.optText(5);
    d.body = stmt.text(6);
    d.state = stmt.text(7);
    d.attempts = stmt.integer(8);
    d.nextAt = stmt.text(9);
    d.lastError = stmt.optText(10);
    d.response = stmt.optText(11);
    d.createdAt = stmt.text(12);
    d.finishedAt = stmt.optText(13);
    return d;
}

} // namespace

Result<bool> DeliveryStore::enqueue(const Delivery& delivery, std::string_view now)
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

Result<std::vector<Delivery>> DeliveryStore::due(std::string_view now, int limit)
{
    CENTRAL_TRY_ASSIGN(stmt, db_.prepare("SELECT " + std::string(kColumns) +
                                         " FROM deliveries WHERE state = 'pending' AND next_at <= ? "
                                         "ORDER BY next_at, id LIMIT ?"));
    stmt.bind(1, now).bind(2, limit);
    return stmt.all(readRow);
}

Result<std::optional<std::string>> DeliveryStore::nextDue()
{
    CENTRAL_TRY_ASSIGN(stmt, db_.prepare("SELECT MIN(next_at) FROM deliveries WHERE state = 'pending'"));
    CENTRAL_TRY_ASSIGN(row, stmt.first([](const sqlite::Statement& r) { return r.optText(0); }));
    return row.value_or(std::nullopt);
}

Result<void> DeliveryStore::record(std::int64_t id, Verdict verdict, std::int64_t attempts,
                                   std::string_view nextAt, const Attempt& attempt, std::string_view now)
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

Result<std::vector<Delivery>> DeliveryStore::unsettled(std::string_view kind)
{
    CENTRAL_TRY_ASSIGN(stmt, db_.prepare("SELECT " + std::string(kColumns) +
                                         " FROM deliveries WHERE settled = 0 AND state != 'pending' "
                                         "AND kind = ? ORDER BY id"));
    stmt.bind(1, kind);
    return stmt.all(readRow);
}

Result<void> DeliveryStore::markSettled(std::int64_t id)
{
    CENTRAL_TRY_ASSIGN(stmt, db_.prepare("UPDATE deliveries SET settled = 1 WHERE id = ?"));
    stmt.bind(1, id);
    return stmt.run();
}

Result<std::optional<Delivery>> DeliveryStore::byKey(std::string_view key)
{
    CENTRAL_TRY_ASSIGN(stmt,
                       db_.prepare("SELECT " + std::string(kColumns) + " FROM deliveries WHERE key = ?"));
    stmt.bind(1, key);
    return stmt.first(readRow);
}

Result<DeliveryCounts> DeliveryStore::counts(std::string_view kind)
{
    CENTRAL_TRY_ASSIGN(stmt,
                       db_.prepare("SELECT state, COUNT(*) FROM deliveries WHERE kind = ? GROUP BY state"));
    stmt.bind(1, kind);
    DeliveryCounts counts;
    CENTRAL_TRY(stmt.each([&counts](const sqlite::Statement& row) {
        const std::string state = row.text(0);
        (state == "pending" ? counts.pending
         : state == "done"  ? counts.done
                            : counts.failed) = row.integer(1);
    }));
    return counts;
}

} // namespace retour::central
