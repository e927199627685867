#pragma once

#include "retour/contract/error.h"
#include "retour/contract/message.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace retour::base::sqlite {
class Database;
}

namespace retour::sync {

// The station's durable outbox: business events waiting for central's acknowledgement, in the
// station's SQLite database (WAL). enqueue() runs inside the caller's transaction, so an event
// exists if and only if the domain write that produced it was committed.
//
// Rows are drained in station_seq order with a keyset cursor (never rescanning sent rows) and
// deleted only when central acknowledges their event_id.
//
// Statements are prepared once and kept (an append costs no SQL parsing); the Outbox must
// therefore be destroyed before its connection is closed.
//
// Thread contract: thread-bound to the connection's thread; the sqlite3 handle is borrowed.
class Outbox
{
public:
    static constexpr std::size_t kDefaultCapacity = 100000;

    explicit Outbox(sqlite3* db, std::size_t capacity = kDefaultCapacity);
    ~Outbox();
    Outbox(const Outbox&) = delete;
    Outbox& operator=(const Outbox&) = delete;

    // Create or upgrade the outbox tables (numbered migrations sync/link/migrations/*.sql, recorded
    // in outbox_schema_version; tables made before that table existed are adopted). Idempotent;
    // inside the caller's transaction it uses a savepoint.
    Result<void> ensureSchema();

    // Assign the next station_seq and an event_id, and insert. Must be called inside an open
    // transaction of the same connection (ErrorCode::Database otherwise: nothing is written).
    // Fails with ErrorCode::Full at capacity (nothing dropped), Unsupported for an unknown type,
    // Malformed for a site/station that is not a topic level, data that is not an object or a
    // body over kMaxPayloadBytes. occurred_at is `occurredAt` (now by default).
    Result<Envelope> enqueue(std::string_view site, std::string_view station, std::string_view type,
                             const nlohmann::json& data);
    Result<Envelope> enqueue(std::string_view site, std::string_view station, std::string_view type,
                             const nlohmann::json& data, std::chrono::system_clock::time_point occurredAt);

    struct Pending
    {
        std::int64_t stationSeq;
        std::string eventId;
        std::string topic;
        std::string payload;
    };
    // Up to `limit` rows with station_seq > afterSeq, in order.
    Result<std::vector<Pending>> after(std::int64_t afterSeq, std::size_t limit);

    // Delete acknowledged events in one transaction (a savepoint, so it also works inside the
    // caller's transaction) and one statement for the whole list; returns how many were removed
    // (unknown ids are ignored).
    Result<std::size_t> acknowledge(const std::vector<std::string>& eventIds);

    // Record that the broker accepted every event up to `throughSeq` (they now wait for central's
    // acknowledgement). Only for reporting (Stats::inFlight); never affects what is resent.
    Result<void> markSent(std::int64_t throughSeq);

    struct Stats
    {
        std::int64_t pending = 0;      // every unacknowledged event
        std::int64_t inFlight = 0;     // of those, the ones the broker already accepted (markSent)
        std::int64_t acknowledged = 0; // total ever acknowledged
        std::optional<std::string> oldestPendingAt;
    };
    Result<Stats> stats();

    std::size_t capacity() const { return capacity_; }

private:
    std::unique_ptr<base::sqlite::Database> db_; // borrowed connection, kept statements
    std::size_t capacity_;
};

} // namespace retour::sync
