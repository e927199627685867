// The station's durable outbox: SQLite rows in the caller's database, drained with a keyset cursor,
// deleted on central's acknowledgement.
#include "retour/link/outbox.h"

#include "retour/link/sqlite.h"

#include <algorithm>
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

using sqlite::Savepoint;
using sqlite::Statement;

} // namespace

// The statements of the hot paths, prepared on first use and kept: an append or an
// acknowledgement then costs no SQL parsing (tests/bench/sync/sync_bench.cpp "append").
struct Outbox::Statements
{
    Statement readNext, insert, bump, after, acknowledge, countAcknowledged, markSent;
    Statement savepoint, release, rollbackTo;
};

namespace {

// A kept statement for one use: reset when the use ends, on every path, so that no half-read
// SELECT keeps a read transaction (and with it an old WAL snapshot) open on the connection.
class Lease
{
public:
    explicit Lease(Statement& statement) : statement_(statement) {}
    ~Lease() { statement_.reset(); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    Statement* operator->() const { return &statement_; }

private:
    Statement& statement_;
};

// The kept statement in `slot`, prepared now if it is not yet (it is not usable if !ok()).
Lease kept(sqlite3* db, Statement& slot, const char* sql)
{
    if (!slot.ok()) {
        slot = Statement(db, sql, true);
    }
    return Lease(slot);
}

// A savepoint made of kept statements: a transaction of its own outside the caller's, a nested one
// inside it; rolled back unless released.
class KeptSavepoint
{
public:
    KeptSavepoint(sqlite3* db, Statement& begin, Statement& release, Statement& rollbackTo)
        : db_(db), release_(release), rollbackTo_(rollbackTo)
    {
        active_ = kept(db, begin, "SAVEPOINT retour_outbox")->run() == SQLITE_DONE;
    }
    ~KeptSavepoint()
    {
        if (active_) {
            (void)kept(db_, rollbackTo_, "ROLLBACK TO retour_outbox")->run();
            (void)kept(db_, release_, "RELEASE retour_outbox")->run();
        }
    }
    KeptSavepoint(const KeptSavepoint&) = delete;
    KeptSavepoint& operator=(const KeptSavepoint&) = delete;

    bool active() const { return active_; }
    bool release()
    {
        active_ = false;
        return kept(db_, release_, "RELEASE retour_outbox")->run() == SQLITE_DONE;
    }

private:
    sqlite3* db_;
    Statement& release_;
    Statement& rollbackTo_;
    bool active_ = false;
};

} // namespace

Outbox::Outbox(sqlite3* db, std::size_t capacity)
    : db_(db), capacity_(capacity), statements_(std::make_unique<Statements>())
{}

Outbox::~Outbox() = default;

Outbox::Statements& Outbox::statements()
{
    return *statements_;
}

Result<void> Outbox::ensureSchema()
{
    Savepoint savepoint(db_, "retour_outbox_schema");
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
    Statements& st = statements();
    Lease next = kept(db_, st.readNext, "SELECT next_seq, acknowledged FROM outbox_meta WHERE id = 1");
    if (!next->ok()) {
        return std::unexpected(dbError(db_, "enqueue: read next_seq"));
    }
    const int rc = next->step();
    if (rc != SQLITE_ROW) {
        if (rc == SQLITE_DONE) {
            return std::unexpected(Error{ErrorCode::Database, "outbox enqueue: outbox_meta has no row; "
                                                              "was ensureSchema() called?"});
        }
        return std::unexpected(dbError(db_, "enqueue: read next_seq"));
    }
    const std::int64_t pending = next->int64(0) - 1 - next->int64(1);
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
    envelope.stationSeq = next->int64(0);
    envelope.occurredAt = formatTimestamp(occurredAt);
    envelope.site = std::string(site);
    envelope.station = std::string(station);
    envelope.data = data;
    const std::string topic = topics::event(site, station, type);
    const std::string payload = encodeEnvelope(envelope);
    next->reset(); // the read is over: no statement of this connection stays open across the write
    if (payload.size() > kMaxPayloadBytes) {
        return std::unexpected(Error{ErrorCode::Malformed, "outbox enqueue: the " + envelope.type +
                                                               " event is " + std::to_string(payload.size()) +
                                                               " bytes, over the limit of " +
                                                               std::to_string(kMaxPayloadBytes)});
    }

    // A savepoint so that a failure here leaves the caller's transaction as it was.
    KeptSavepoint savepoint(db_, st.savepoint, st.release, st.rollbackTo);
    if (!savepoint.active()) {
        return std::unexpected(dbError(db_, "enqueue: savepoint"));
    }
    Lease insert = kept(db_, st.insert,
                        "INSERT INTO outbox (station_seq, event_id, type, topic, payload, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)");
    insert->bind(1, envelope.stationSeq)
        .bind(2, envelope.eventId)
        .bind(3, envelope.type)
        .bind(4, topic)
        .bind(5, payload)
        .bind(6, envelope.occurredAt);
    if (insert->step() != SQLITE_DONE) {
        return std::unexpected(dbError(db_, "enqueue: insert"));
    }
    Lease bump = kept(db_, st.bump, "UPDATE outbox_meta SET next_seq = next_seq + 1 WHERE id = 1");
    if (bump->step() != SQLITE_DONE) {
        return std::unexpected(dbError(db_, "enqueue: advance next_seq"));
    }
    if (!savepoint.release()) {
        return std::unexpected(dbError(db_, "enqueue: release"));
    }
    return envelope;
}

Result<std::vector<Outbox::Pending>> Outbox::after(std::int64_t afterSeq, std::size_t limit)
{
    // Keyset cursor on the primary key: never rescans sent rows, however long the backlog.
    Lease select = kept(db_, statements().after,
                        "SELECT station_seq, event_id, topic, payload FROM outbox "
                        "WHERE station_seq > ? ORDER BY station_seq LIMIT ?");
    select->bind(1, afterSeq).bind(2, static_cast<std::int64_t>(limit));
    std::vector<Pending> rows;
    rows.reserve(std::min<std::size_t>(limit, 4096));
    int rc = SQLITE_ROW;
    while ((rc = select->step()) == SQLITE_ROW) {
        rows.push_back(Pending{select->int64(0), select->text(1), select->text(2), select->text(3)});
    }
    if (rc != SQLITE_DONE) {
        return std::unexpected(dbError(db_, "after"));
    }
    select->reset();
    return rows;
}

Result<std::size_t> Outbox::acknowledge(const std::vector<std::string>& eventIds)
{
    if (eventIds.empty()) {
        return std::size_t{0};
    }
    Statements& st = statements();
    KeptSavepoint savepoint(db_, st.savepoint, st.release, st.rollbackTo);
    if (!savepoint.active()) {
        return std::unexpected(dbError(db_, "acknowledge: savepoint"));
    }
    // One statement for the whole acknowledgement (up to central's kMaxAckIds ids), not one
    // DELETE per id: the ids travel as one JSON array bound once.
    Lease remove =
        kept(db_, st.acknowledge, "DELETE FROM outbox WHERE event_id IN (SELECT value FROM json_each(?))");
    remove->bind(1, nlohmann::json(eventIds).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (remove->step() != SQLITE_DONE) {
        return std::unexpected(dbError(db_, "acknowledge: delete"));
    }
    const std::int64_t removed = sqlite3_changes(db_);
    if (removed > 0) {
        Lease count = kept(db_, st.countAcknowledged,
                           "UPDATE outbox_meta SET acknowledged = acknowledged + ? WHERE id = 1");
        if (count->bind(1, removed).step() != SQLITE_DONE) {
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
    Lease update = kept(db_, statements().markSent,
                        "UPDATE outbox_meta SET sent_through = max(sent_through, ?) WHERE id = 1");
    if (update->bind(1, throughSeq).step() != SQLITE_DONE) {
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
