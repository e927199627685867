#pragma once

#include "app/error.h"
#include "retour/base/sqlite.h"
#include "retour/contract/events.h"
#include "workflow/records.h"
#include "workflow/rma.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace retour::sync {
class Outbox;
}

namespace retour::station {

// One stored photo, as `retour-station verify-photos` checks it.
struct PhotoRecord
{
    std::string inspectionId;
    std::string view;
    std::string sha256;
    std::string takenAt;
};

// The station's local store (SQLite, WAL, numbered migrations): the RMA cache with its lookup
// index, parcels, inspections, photos, labels, the audit trail, and — in the same database — the
// sync outbox. Every domain write and the events it produces commit in one transaction.
//
// Thread contract: thread-bound (the station loop); tools open their own Store.
class Store : public RmaDirectory
{
public:
    struct Options
    {
        std::string site;
        std::string stationId;
        std::size_t outboxCapacity = 100000;
        int busyTimeoutMs = 5000;
    };

    static Result<std::unique_ptr<Store>> open(const std::filesystem::path& file, Options options);
    ~Store() override;
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    int schemaVersion() const;
    sqlite3* handle() const { return db_.handle(); }
    // The connection, for the store's readers elsewhere (counters). Its statements are kept per
    // connection, so a const reader still uses it mutably.
    base::sqlite::Database& database() const { return db_; }
    sync::Outbox& outbox() { return *outbox_; }

    // ---- RMA cache (downlink) ----
    Result<void> putRma(const Rma& rma);
    Result<void> removeRma(const std::string& rmaId);
    Result<std::int64_t> rmaCount() const;
    std::vector<Rma> find(RmaKey key, std::string_view value) const override;

    // ---- domain writes, each with its audit row and outbox event in one transaction ----
    // The parcel row + parcel.received.
    Result<void> createParcel(const Parcel& parcel);
    // closed_at, findings (e.g. missing_item) and the missing lines; no event (see docs/messages.md).
    Result<void> closeParcel(const std::string& parcelId, const std::vector<std::string>& findings,
                             const nlohmann::json& missing, const std::string& closedAt,
                             const std::string& actor);
    // The inspection, its photos, its pending label job, the audit row and inspection.completed,
    // committed with synchronous=FULL. A failure anywhere leaves none of them.
    Result<void> confirmItem(const Inspection& inspection, const LabelRecord& label);
    // A copy of a printed label as a new pending job (CMD:REPRINT), with its audit row.
    Result<void> addReprint(const LabelRecord& label, const std::string& originalJobId,
                            const std::string& actor);
    // Void a confirmed inspection of a parcel still open (CMD:UNDO): voided_at/voided_by on the
    // inspection, its label jobs marked void (one not printed yet is retired, never printed), the
    // audit row (before: the inspection's LPN, grade and disposition; after: void) and
    // inspection.voided, in one transaction. Errors: no such inspection, already void, parcel closed.
    Result<void> voidInspection(const std::string& inspectionId, const std::string& actor,
                                const std::string& at);
    // One audit row for a change that has no other record (sign-in, grade override): who, what,
    // and the state before and after as JSON.
    Result<void> recordChange(const std::string& actor, const std::string& action, const std::string& subject,
                              const nlohmann::json& before, const nlohmann::json& after);
    // The label job printed: printed flag + label.printed event.
    Result<void> labelPrinted(const std::string& jobId, const std::string& printer, const std::string& at);
    // A refused / failed attempt: attempts + reason (the job stays pending).
    Result<void> labelFailed(const std::string& jobId, const std::string& reason);

    // ---- reads ----
    Result<std::vector<LabelRecord>> pendingLabels() const;
    Result<std::int64_t> pendingLabelCount() const;
    // The highest LPN sequence ever assigned (0 on a new database).
    Result<std::int64_t> lastLpnSeq() const;
    // The item an LPN of this bench was printed for, with its parcel; nullopt for an LPN never
    // assigned here.
    Result<std::optional<LpnInfo>> findLpn(const std::string& lpn) const;
    // The report of `retour-station report`: one object per parcel, with its items (each with its
    // photos' quality scores and retake reasons under "photo_quality").
    Result<nlohmann::json> report() const;
    // The audit trail, oldest first: {at, actor, action, subject, detail, before, after} each.
    Result<nlohmann::json> auditTrail() const;
    // The ids of the voided inspections.
    Result<std::vector<std::string>> voidedInspections() const;
    // Every photo the store refers to, oldest first.
    Result<std::vector<PhotoRecord>> photos() const;

    // ---- acknowledgements (uplink) ----
    // Delete the acknowledged events from the outbox and mark the inspections acked; one
    // transaction. Returns the number of outbox rows removed.
    Result<std::size_t> acknowledge(const std::vector<std::string>& eventIds);

private:
    Store(sqlite3* db, Options options);
    Result<void> migrate();
    // The integer in the first column of the one row `sql` answers; `what` names it in errors.
    Result<std::int64_t> integerOf(std::string_view sql, std::string_view what) const;
    // COMMIT, its failure as the station's error.
    static Result<void> commit(base::sqlite::Transaction& tx);
    Result<void> audit(const std::string& actor, const std::string& action, const std::string& subject,
                       const nlohmann::json& detail);
    // The event in the outbox, in the caller's transaction (retour/contract/events.h encodes it).
    Result<sync::Envelope> enqueue(const sync::EventData& data);

    // Opened here (FULLMUTEX, busy timeout), used through base's SQLite layer; closed in ~Store.
    mutable base::sqlite::Database db_;
    Options options_;
    std::unique_ptr<sync::Outbox> outbox_;
    int schemaVersion_ = 0;
};

// The current time as RFC 3339 UTC with milliseconds (sync::formatTimestamp of now).
std::string nowTimestamp();

} // namespace retour::station
