// The station's durable outbox: SQLite rows in the caller's database, drained with a keyset cursor,
// deleted on central's acknowledgement.
#include "retour/link/outbox.h"

#include "link_migrations.h"
#include "retour/base/migrations.h"
#include "retour/base/sqlite.h"

#include <algorithm>
#include <string>
#include <utility>

namespace retour::sync {

namespace {

using base::sqlite::Database;
using base::sqlite::Savepoint;
using base::sqlite::Statement;

Error dbError(const base::Error& error, std::string_view where)
{
    return Error{ErrorCode::Database, "outbox " + std::string(where) + ": " + error.message + " (sqlite " +
                                          std::to_string(error.code) + ")"};
}

// Databases made before the outbox had its version table: their tables are adopted at the version
// they are at. outbox_meta with sent_through is version 2; anything less runs 0001 again (its
// statements are IF NOT EXISTS / OR IGNORE) and then 0002.
base::Result<int> adoptedVersion(Database& db)
{
    auto column =
        db.prepare("SELECT count(*) FROM pragma_table_info('outbox_meta') WHERE name = 'sent_through'");
    if (!column) {
        return std::unexpected(std::move(column.error()));
    }
    auto count = column->first([](const Statement& row) { return row.integer(0); });
    if (!count) {
        return std::unexpected(std::move(count.error()));
    }
    return count->value_or(0) == 1 ? 2 : 0;
}

} // namespace

// Statements are the connection's kept ones (Database::prepare): an append or an acknowledgement
// costs no SQL parsing (tests/bench/sync/sync_bench.cpp "append"), and each is reset when its use ends, on every path,
// so that no half-read SELECT keeps a read transaction (and an old WAL snapshot) open.
Outbox::Outbox(sqlite3* db, std::size_t capacity)
    : db_(std::make_unique<Database>(Database::borrow(db))), capacity_(capacity)
{}

Outbox::~Outbox() = default;

Result<void> Outbox::ensureSchema()
{
    base::MigrationOptions options;
    options.table = "outbox_schema_version";
    options.adopt = adoptedVersion;
    options.program = "this retour-station";
    if (auto migrated = base::migrate(*db_, linkMigrations(), options); !migrated) {
        return std::unexpected(dbError(migrated.error(), "schema"));
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
    if (!db_->inTransaction()) {
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
    std::int64_t nextSeq = 0;
    std::int64_t acknowledged = 0;
    {
        auto next = db_->prepare("SELECT next_seq, acknowledged FROM outbox_meta WHERE id = 1");
        if (!next) {
            return std::unexpected(dbError(next.error(), "enqueue: read next_seq"));
        }
        auto row = next->first([](const Statement& r) { return std::pair(r.integer(0), r.integer(1)); });
        if (!row) {
            return std::unexpected(dbError(row.error(), "enqueue: read next_seq"));
        }
        if (!*row) {
            return std::unexpected(Error{ErrorCode::Database, "outbox enqueue: outbox_meta has no row; "
                                                              "was ensureSchema() called?"});
        }
        std::tie(nextSeq, acknowledged) = **row;
    } // the read is over: no statement of this connection stays open across the write
    const std::int64_t pending = nextSeq - 1 - acknowledged;
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
    envelope.stationSeq = nextSeq;
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
    auto savepoint = Savepoint::begin(*db_, "retour_outbox");
    if (!savepoint) {
        return std::unexpected(dbError(savepoint.error(), "enqueue: savepoint"));
    }
    {
        auto insert =
            db_->prepare("INSERT INTO outbox (station_seq, event_id, type, topic, payload, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?)");
        if (!insert) {
            return std::unexpected(dbError(insert.error(), "enqueue: insert"));
        }
        insert->bind(1, envelope.stationSeq)
            .bind(2, envelope.eventId)
            .bind(3, envelope.type)
            .bind(4, topic)
            .bind(5, payload)
            .bind(6, envelope.occurredAt);
        if (auto done = insert->run(); !done) {
            return std::unexpected(dbError(done.error(), "enqueue: insert"));
        }
    }
    {
        auto bump = db_->prepare("UPDATE outbox_meta SET next_seq = next_seq + 1 WHERE id = 1");
        if (!bump) {
            return std::unexpected(dbError(bump.error(), "enqueue: advance next_seq"));
        }
        if (auto done = bump->run(); !done) {
            return std::unexpected(dbError(done.error(), "enqueue: advance next_seq"));
        }
    }
    if (auto released = savepoint->release(); !released) {
        return std::unexpected(dbError(released.error(), "enqueue: release"));
    }
    return envelope;
}

Result<std::vector<Outbox::Pending>> Outbox::after(std::int64_t afterSeq, std::size_t limit)
{
    // Keyset cursor on the primary key: never rescans sent rows, however long the backlog.
    auto select = db_->prepare("SELECT station_seq, event_id, topic, payload FROM outbox "
                               "WHERE station_seq > ? ORDER BY station_seq LIMIT ?");
    if (!select) {
        return std::unexpected(dbError(select.error(), "after"));
    }
    select->bind(1, afterSeq).bind(2, static_cast<std::int64_t>(limit));
    std::vector<Pending> rows;
    rows.reserve(std::min<std::size_t>(limit, 4096));
    auto read = select->each([&](const Statement& row) {
        rows.push_back(Pending{row.integer(0), row.text(1), row.text(2), row.text(3)});
    });
    if (!read) {
        return std::unexpected(dbError(read.error(), "after"));
    }
    return rows;
}

Result<std::size_t> Outbox::acknowledge(const std::vector<std::string>& eventIds)
{
    if (eventIds.empty()) {
        return std::size_t{0};
    }
    auto savepoint = Savepoint::begin(*db_, "retour_outbox");
    if (!savepoint) {
        return std::unexpected(dbError(savepoint.error(), "acknowledge: savepoint"));
    }
    // One statement for the whole acknowledgement (up to central's kMaxAckIds ids), not one
    // DELETE per id: the ids travel as one JSON array bound once.
    {
        auto remove = db_->prepare("DELETE FROM outbox WHERE event_id IN (SELECT value FROM json_each(?))");
        if (!remove) {
            return std::unexpected(dbError(remove.error(), "acknowledge: delete"));
        }
        remove->bind(1,
                     nlohmann::json(eventIds).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        if (auto done = remove->run(); !done) {
            return std::unexpected(dbError(done.error(), "acknowledge: delete"));
        }
    }
    const std::int64_t removed = db_->changes();
    if (removed > 0) {
        auto count = db_->prepare("UPDATE outbox_meta SET acknowledged = acknowledged + ? WHERE id = 1");
        if (!count) {
            return std::unexpected(dbError(count.error(), "acknowledge: count"));
        }
        if (auto done = count->bind(1, removed).run(); !done) {
            return std::unexpected(dbError(done.error(), "acknowledge: count"));
        }
    }
    if (auto released = savepoint->release(); !released) {
        return std::unexpected(dbError(released.error(), "acknowledge: commit"));
    }
    return static_cast<std::size_t>(removed);
}

Result<void> Outbox::markSent(std::int64_t throughSeq)
{
    auto update = db_->prepare("UPDATE outbox_meta SET sent_through = max(sent_through, ?) WHERE id = 1");
    if (!update) {
        return std::unexpected(dbError(update.error(), "markSent"));
    }
    if (auto done = update->bind(1, throughSeq).run(); !done) {
        return std::unexpected(dbError(done.error(), "markSent"));
    }
    return {};
}

Result<Outbox::Stats> Outbox::stats()
{
    Stats stats;
    {
        auto pending =
            db_->prepare("SELECT count(*), (SELECT created_at FROM outbox ORDER BY station_seq LIMIT 1), "
                         "(SELECT count(*) FROM outbox WHERE station_seq <= "
                         "(SELECT sent_through FROM outbox_meta WHERE id = 1)) FROM outbox");
        if (!pending) {
            return std::unexpected(dbError(pending.error(), "stats"));
        }
        auto row = pending->first([&](const Statement& r) {
            stats.pending = r.integer(0);
            stats.inFlight = r.integer(2);
            stats.oldestPendingAt = r.optText(1);
            return true;
        });
        if (!row) {
            return std::unexpected(dbError(row.error(), "stats"));
        }
    }
    auto meta = db_->prepare("SELECT acknowledged FROM outbox_meta WHERE id = 1");
    if (!meta) {
        return std::unexpected(dbError(meta.error(), "stats"));
    }
    auto acknowledged = meta->first([](const Statement& r) { return r.integer(0); });
    if (!acknowledged) {
        return std::unexpected(dbError(acknowledged.error(), "stats"));
    }
    stats.acknowledged = acknowledged->value_or(0);
    return stats;
}

} // namespace retour::sync
