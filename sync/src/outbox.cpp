// The station's durable outbox (DESIGN.md "How data flows through a station"): SQLite rows in the
// caller's database, drained with a keyset cursor, deleted on central's acknowledgement.
#include "retour/sync/outbox.h"

#include <sqlite3.h>
#include <string>
#include <utility>

namespace retour::sync {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS outbox (
    station_seq INTEGER PRIMARY KEY,
    event_id    TEXT NOT NULL UNIQUE,
    type        TEXT NOT NULL,
    topic       TEXT NOT NULL,
    payload     TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox_meta (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    next_seq     INTEGER NOT NULL,
    acknowledged INTEGER NOT NULL,
    sent_through INTEGER NOT NULL DEFAULT 0
);
INSERT OR IGNORE INTO outbox_meta (id, next_seq, acknowledged) VALUES (1, 1, 0);
)sql";

Error dbError(sqlite3* db, std::string_view where)
{
    return Error{ErrorCode::Database, "outbox " + std::string(where) + ": " + sqlite3_errmsg(db) +
                                          " (sqlite " + std::to_string(sqlite3_extended_errcode(db)) + ")"};
}

// One prepared statement, finalised on scope exit.
class Statement
{
public:
    Statement(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    bool ok() const { return rc_ == SQLITE_OK; }
    sqlite3_stmt* get() const { return stmt_; }

    bool bind(int index, std::string_view text)
    {
        return sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                                 SQLITE_TRANSIENT) == SQLITE_OK;
    }
    bool bind(int index, std::int64_t value) { return sqlite3_bind_int64(stmt_, index, value) == SQLITE_OK; }
    int step() { return sqlite3_step(stmt_); }
    void reset()
    {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
    std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_, column); }
    std::string text(int column) const
    {
        const auto* p = sqlite3_column_text(stmt_, column);
        return p == nullptr ? std::string{}
                            : std::string(reinterpret_cast<const char*>(p),
                                          static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
    }
    bool isNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

private:
    sqlite3_stmt* stmt_ = nullptr;
    int rc_ = SQLITE_OK;
};

// A savepoint: a transaction of its own outside the caller's, a nested one inside it.
class Savepoint
{
public:
    explicit Savepoint(sqlite3* db) : db_(db)
    {
        active_ = sqlite3_exec(db_, "SAVEPOINT retour_outbox", nullptr, nullptr, nullptr) == SQLITE_OK;
    }
    ~Savepoint()
    {
        if (active_) {
            sqlite3_exec(db_, "ROLLBACK TO retour_outbox", nullptr, nullptr, nullptr);
            sqlite3_exec(db_, "RELEASE retour_outbox", nullptr, nullptr, nullptr);
        }
    }
    Savepoint(const Savepoint&) = delete;
    Savepoint& operator=(const Savepoint&) = delete;

    bool active() const { return active_; }
    bool release()
    {
        active_ = false;
        return sqlite3_exec(db_, "RELEASE retour_outbox", nullptr, nullptr, nullptr) == SQLITE_OK;
    }

private:
    sqlite3* db_;
    bool active_ = false;
};

} // namespace

Outbox::Outbox(sqlite3* db, std::size_t capacity) : db_(db), capacity_(capacity) {}

Result<void> Outbox::ensureSchema()
{
    Savepoint savepoint(db_);
    if (!savepoint.active()) {
        return std::unexpected(dbError(db_, "schema: savepoint"));
    }
    if (sqlite3_exec(db_, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK) {
        return std::unexpected(dbError(db_, "schema"));
    }
    // Databases made before sent_through existed.
    Statement column(db_,
                     "SELECT count(*) FROM pragma_table_info('outbox_meta') WHERE name = 'sent_through'");
    if (!column.ok() || column.step() != SQLITE_ROW) {
        return std::unexpected(dbError(db_, "schema: outbox_meta columns"));
    }
    if (column.int64(0) == 0 &&
        sqlite3_exec(db_, "ALTER TABLE outbox_meta ADD COLUMN sent_through INTEGER NOT NULL DEFAULT 0",
                     nullptr, nullptr, nullptr) != SQLITE_OK) {
        return std::unexpected(dbError(db_, "schema: add sent_through"));
    }
    if (!savepoint.release()) {
        return std::unexpected(dbError(db_, "schema: release"));
    }
    return {};
}

Result<Envelope> Outbox::enqueue(std::string_view site, std::string_view station, std::string_view type,
                                 const nlohmann::json& data)
{
    return enqueue(site, station, type, data, std::chrono::system_clock::now());
}

Result<Envelope> Outbox::enqueue(std::string_view site, std::string_view station, std::string_view type,
                                 const nlohmann::json& data, std::chrono::system_clock::time_point occurredAt)
{
    // The event must commit or roll back with the domain write that produced it.
    if (sqlite3_get_autocommit(db_) != 0) {
        return std::unexpected(Error{
            ErrorCode::Database, "outbox enqueue: no transaction is open on this connection; call enqueue "
                                 "between BEGIN and COMMIT of the write that produced the event"});
    }
    if (!isKnownEventType(type)) {
        return std::unexpected(Error{ErrorCode::Unsupported,
                                     "outbox enqueue: unknown event type \"" + std::string(type) + "\""});
    }
    if (!topics::isValidLevel(site) || !topics::isValidLevel(station)) {
        return std::unexpected(Error{ErrorCode::Malformed, "outbox enqueue: site \"" + std::string(site) +
                                                               "\" or station \"" + std::string(station) +
                                                               "\" is not a valid topic level"});
    }
    if (!data.is_object()) {
        return std::unexpected(Error{ErrorCode::Malformed, "outbox enqueue: data must be a JSON object"});
    }

    // pending = enqueued - acknowledged: rows leave the outbox only through acknowledge(), which
    // counts them, so the capacity check costs one row read instead of a count(*) of the backlog.
    Statement next(db_, "SELECT next_seq, acknowledged FROM outbox_meta WHERE id = 1");
    if (!next.ok()) {
        return std::unexpected(dbError(db_, "enqueue: read next_seq"));
    }
    const int rc = next.step();
    if (rc != SQLITE_ROW) {
        if (rc == SQLITE_DONE) {
            return std::unexpected(Error{ErrorCode::Database, "outbox enqueue: outbox_meta has no row; "
                                                              "was ensureSchema() called?"});
        }
        return std::unexpected(dbError(db_, "enqueue: read next_seq"));
    }
    const std::int64_t pending = next.int64(0) - 1 - next.int64(1);
    if (pending >= 0 && static_cast<std::uint64_t>(pending) >= capacity_) {
        return std::unexpected(Error{ErrorCode::Full, "outbox enqueue: the outbox holds " +
                                                          std::to_string(pending) +
                                                          " unacknowledged events, its capacity; the " +
                                                          std::string(type) + " event was refused"});
    }

    Envelope envelope;
    envelope.type = std::string(type);
    envelope.version = kEventVersion;
    envelope.eventId = newUuidV7(occurredAt);
    envelope.stationSeq = next.int64(0);
    envelope.occurredAt = formatTimestamp(occurredAt);
    envelope.site = std::string(site);
    envelope.station = std::string(station);
    envelope.data = data;
    const std::string topic = topics::event(site, station, type);
    const std::string payload = encodeEnvelope(envelope);
    if (payload.size() > kMaxPayloadBytes) {
        return std::unexpected(Error{ErrorCode::Malformed, "outbox enqueue: the " + envelope.type +
                                                               " event is " + std::to_string(payload.size()) +
                                                               " bytes, over the limit of " +
                                                               std::to_string(kMaxPayloadBytes)});
    }

    // A savepoint so that a failure here leaves the caller's transaction as it was.
    Savepoint savepoint(db_);
    if (!savepoint.active()) {
        return std::unexpected(dbError(db_, "enqueue: savepoint"));
    }
    Statement insert(db_, "INSERT INTO outbox (station_seq, event_id, type, topic, payload, created_at) "
                          "VALUES (?, ?, ?, ?, ?, ?)");
    if (!insert.ok() || !insert.bind(1, envelope.stationSeq) || !insert.bind(2, envelope.eventId) ||
        !insert.bind(3, envelope.type) || !insert.bind(4, topic) || !insert.bind(5, payload) ||
        !insert.bind(6, envelope.occurredAt) || insert.step() != SQLITE_DONE) {
        return std::unexpected(dbError(db_, "enqueue: insert"));
    }
    Statement bump(db_, "UPDATE outbox_meta SET next_seq = next_seq + 1 WHERE id = 1");
    if (!bump.ok() || bump.step() != SQLITE_DONE) {
        return std::unexpected(dbError(db_, "enqueue: advance next_seq"));
    }
    if (!savepoint.release()) {
        return std::unexpected(dbError(db_, "enqueue: release"));
    }
    return envelope;
}

Result<std::vector<Outbox::Pending>> Outbox::after(std::int64_t afterSeq, std::size_t limit)
{
    // Keyset cursor on the primary key: never rescans sent rows (performance.md "Outbox drain").
    Statement select(db_, "SELECT station_seq, event_id, topic, payload FROM outbox "
                          "WHERE station_seq > ? ORDER BY station_seq LIMIT ?");
    if (!select.ok() || !select.bind(1, afterSeq) || !select.bind(2, static_cast<std::int64_t>(limit))) {
        return std::unexpected(dbError(db_, "after"));
    }
    std::vector<Pending> rows;
    int rc = SQLITE_ROW;
    while ((rc = select.step()) == SQLITE_ROW) {
        rows.push_back(Pending{select.int64(0), select.text(1), select.text(2), select.text(3)});
    }
    if (rc != SQLITE_DONE) {
        return std::unexpected(dbError(db_, "after"));
    }
    return rows;
}

Result<std::size_t> Outbox::acknowledge(const std::vector<std::string>& eventIds)
{
    if (eventIds.empty()) {
        return std::size_t{0};
    }
    Savepoint savepoint(db_);
    if (!savepoint.active()) {
        return std::unexpected(dbError(db_, "acknowledge: savepoint"));
    }
    Statement remove(db_, "DELETE FROM outbox WHERE event_id = ?");
    if (!remove.ok()) {
        return std::unexpected(dbError(db_, "acknowledge: delete"));
    }
    std::int64_t removed = 0;
    for (const std::string& id : eventIds) {
        remove.reset();
        if (!remove.bind(1, id) || remove.step() != SQLITE_DONE) {
            return std::unexpected(dbError(db_, "acknowledge: delete"));
        }
        removed += sqlite3_changes(db_);
    }
    if (removed > 0) {
        Statement count(db_, "UPDATE outbox_meta SET acknowledged = acknowledged + ? WHERE id = 1");
        if (!count.ok() || !count.bind(1, removed) || count.step() != SQLITE_DONE) {
            return std::unexpected(dbError(db_, "acknowledge: count"));
        }
    }
    if (!savepoint.release()) {
        return std::unexpected(dbError(db_, "acknowledge: commit"));
    }
    return static_cast<std::size_t>(removed);
}

Result<void> Outbox::markSent(std::int64_t throughSeq)
{
    Statement update(db_, "UPDATE outbox_meta SET sent_through = max(sent_through, ?) WHERE id = 1");
    if (!update.ok() || !update.bind(1, throughSeq) || update.step() != SQLITE_DONE) {
        return std::unexpected(dbError(db_, "markSent"));
    }
    return {};
}

Result<Outbox::Stats> Outbox::stats()
{
    Stats stats;
    Statement pending(db_, "SELECT count(*), (SELECT created_at FROM outbox ORDER BY station_seq LIMIT 1), "
                           "(SELECT count(*) FROM outbox WHERE station_seq <= "
                           "(SELECT sent_through FROM outbox_meta WHERE id = 1)) FROM outbox");
    if (!pending.ok() || pending.step() != SQLITE_ROW) {
        return std::unexpected(dbError(db_, "stats"));
    }
    stats.pending = pending.int64(0);
    stats.inFlight = pending.int64(2);
    if (!pending.isNull(1)) {
        stats.oldestPendingAt = pending.text(1);
    }
    Statement meta(db_, "SELECT acknowledged FROM outbox_meta WHERE id = 1");
    if (!meta.ok()) {
        return std::unexpected(dbError(db_, "stats"));
    }
    const int rc = meta.step();
    if (rc == SQLITE_ROW) {
        stats.acknowledged = meta.int64(0);
    } else if (rc != SQLITE_DONE) {
        return std::unexpected(dbError(db_, "stats"));
    }
    return stats;
}

} // namespace retour::sync
