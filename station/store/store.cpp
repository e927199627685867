#include "store/store.h"

#include "retour/base/migrations.h"
#include "retour/base/sqlite.h"
#include "retour/contract/message.h"
#include "retour/link/outbox.h"
#include "station_migrations.h"
#include "workflow/gtin.h"

#include <map>
#include <sqlite3.h>

namespace retour::station {

namespace {

using base::sqlite::Statement;
using nlohmann::json;

Error syncError(const sync::Error& error)
{
    return Error{ErrorCode::Sync, error.message};
}

std::int64_t lpnSeqOf(const std::string& lpn)
{
    const auto dash = lpn.rfind('-');
    if (dash == std::string::npos) {
        return 0;
    }
    std::int64_t value = 0;
    for (std::size_t i = dash + 1; i < lpn.size(); ++i) {
        if (lpn[i] < '0' || lpn[i] > '9') {
            return 0;
        }
        value = value * 10 + (lpn[i] - '0');
    }
    return value;
}

// The data of parcel.closed (docs/messages.md): the lines its RMA expected (from the cache),
// the items found (its confirmed inspections), the lines missing (the workflow's count, `missing`
// as {line_id, sku, missing}) and the extra items (an inspection on no line of the RMA; none for
// an unannounced parcel, where nothing was expected).
Result<sync::ParcelClosed> parcelClosedData(base::sqlite::Database& db, const std::string& parcelId,
                                            const std::vector<std::string>& findings, const json& missing,
                                            const std::string& closedAt, const std::string& actor)
{
    sync::ParcelClosed data;
    data.parcelId = parcelId;
    data.closedAt = closedAt;
    data.operatorId = actor;
    data.findings = findings;
    std::map<std::string, std::int64_t> lineQuantity;
    auto rma = db.prepare("SELECT p.rma_id, r.body, p.identified_by, p.scanned FROM parcel p "
                          "LEFT JOIN rma r ON r.rma_id = p.rma_id WHERE p.parcel_id = ?");
    if (!rma) {
        return std::unexpected(databaseError(rma.error()));
    }
    rma->bind(1, parcelId);
    if (rma->step().value_or(false)) {
        // The label of a parcel identified by a pre-printed label is what was scanned.
        if (rma->text(2) == "preprinted_label") {
            data.label = std::string(stripSymbologyIdentifier(rma->text(3)));
        }
        if (!rma->isNull(0)) {
            data.rmaId = rma->text(0);
            if (auto cached = rma->isNull(1) ? std::nullopt : std::optional(parseRma(rma->text(1)));
                cached && *cached) {
                for (const auto& line : (*cached)->lines) {
                    lineQuantity[line.lineId] = line.quantity;
                    data.expected.push_back({line.lineId, line.sku, line.quantity});
                }
            }
        }
    }
    for (const auto& line : missing) {
        data.missing.push_back({line.value("line_id", std::string()), line.value("sku", std::string()),
                                line.value("missing", std::int64_t{0})});
    }
    auto unlessEmpty = [](const Statement& row, int column) {
        return row.isNull(column) || row.text(column).empty() ? std::nullopt
                                                              : std::optional<std::string>(row.text(column));
    };
    // Voided inspections (CMD:UNDO) were taken back: not found.
    auto found = db.prepare("SELECT inspection_id, line_id, sku, gtin, serial, body FROM inspection "
                            "WHERE parcel_id = ? AND voided_at IS NULL ORDER BY confirmed_at, rowid");
    if (!found) {
        return std::unexpected(databaseError(found.error()));
    }
    found->bind(1, parcelId);
    std::map<std::string, int> foundPerLine;
    base::Result<bool> rc;
    while ((rc = found->step()) && *rc) {
        const auto lineId = unlessEmpty(*found, 1);
        const bool onLine = lineId && lineQuantity.contains(*lineId);
        // The item's findings as its inspection.completed carried them (the station's own record:
        // read as it was written, whatever else in it a later contract version would refuse).
        const json body = found->isNull(5) ? json() : json::parse(found->text(5), nullptr, false);
        std::vector<std::string> findingsOfItem;
        if (body.is_object() && body.contains("findings") && body["findings"].is_array()) {
            for (const auto& finding : body["findings"]) {
                if (finding.is_string()) {
                    findingsOfItem.push_back(finding.get<std::string>());
                }
            }
        }
        sync::ParcelClosed::Item item{found->text(0),           found->text(2),         lineId,
                                      unlessEmpty(*found, 3),   unlessEmpty(*found, 4), std::nullopt,
                                      std::move(findingsOfItem)};
        data.found.push_back(item);
        if (!data.rmaId) {
            continue;
        }
        if (!onLine) {
            item.reason = "wrong_item";
            data.extra.push_back(std::move(item));
        } else if (++foundPerLine[*lineId] > lineQuantity[*lineId]) {
            item.reason = "over_quantity";
            data.extra.push_back(std::move(item));
        }
    }
    if (!rc) {
        return std::unexpected(databaseError(db.error("read inspections of parcel " + parcelId)));
    }
    return data;
}

} // namespace

Result<void> Store::commit(base::sqlite::Transaction& tx)
{
    if (auto ok = tx.commit(); !ok) {
        return std::unexpected(databaseError(ok.error()));
    }
    return {};
}

Result<std::int64_t> Store::integerOf(std::string_view sql, std::string_view what) const
{
    auto query = db_.prepare(sql);
    if (!query) {
        return std::unexpected(databaseError(query.error()));
    }
    if (!query->step().value_or(false)) {
        return std::unexpected(databaseError(db_.error(what)));
    }
    return query->integer(0);
}

std::string nowTimestamp()
{
    return sync::formatTimestamp(std::chrono::system_clock::now());
}

Store::Store(sqlite3* db, Options options)
    : db_(base::sqlite::Database::borrow(db)), options_(std::move(options)),
      outbox_(std::make_unique<sync::Outbox>(db, options_.outboxCapacity))
{}

Store::~Store()
{
    outbox_.reset();
    // Deferred until db_ (destroyed after this body) has finalised its kept statements.
    sqlite3_close_v2(db_.handle());
}

Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& file, Options options)
{
    std::error_code ec;
    if (file.has_parent_path()) {
        std::filesystem::create_directories(file.parent_path(), ec);
        if (ec) {
            return fail(ErrorCode::Database, "station database: cannot create " +
                                                 file.parent_path().string() + ": " + ec.message());
        }
    }
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(
        file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        Error error{ErrorCode::Database, "station database " + file.string() + ": " +
                                             (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc))};
        sqlite3_close_v2(db);
        return std::unexpected(error);
    }
    std::unique_ptr<Store> store(new Store(db, std::move(options)));
    sqlite3_busy_timeout(db, store->options_.busyTimeoutMs);
    if (auto ok =
            store->db_.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON");
        !ok) {
        return std::unexpected(databaseError(store->db_.error("open " + file.string())));
    }
    if (auto ok = store->migrate(); !ok) {
        return std::unexpected(ok.error());
    }
    if (auto ok = store->outbox_->ensureSchema(); !ok) {
        return std::unexpected(syncError(ok.error()));
    }
    return store;
}

Result<void> Store::migrate()
{
    // Numbered .sql files (store/migrations/), recorded in schema_version; a database made by the
    // earlier station (a version-only schema_version) is upgraded in place.
    base::MigrationOptions options;
    options.program = "retour-station";
    auto version = base::migrate(db_, stationMigrations(), options);
    if (!version) {
        return std::unexpected(databaseError(version.error()));
    }
    schemaVersion_ = *version;
    return {};
}

int Store::schemaVersion() const
{
    return schemaVersion_;
}

Result<sync::Envelope> Store::enqueue(const sync::EventData& data)
{
    auto event =
        outbox_->enqueue(options_.site, options_.stationId, sync::eventType(data), sync::encodeData(data));
    if (!event) {
        return std::unexpected(syncError(event.error()));
    }
    return std::move(*event);
}

Result<void> Store::audit(const std::string& actor, const std::string& action, const std::string& subject,
                          const json& detail)
{
    auto insert =
        db_.prepare("INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)");
    if (!insert) {
        return std::unexpected(databaseError(insert.error()));
    }
    insert->bind(1, nowTimestamp()).bind(2, actor).bind(3, action).bind(4, subject).bind(5, detail.dump());
    if (!insert->run()) {
        return std::unexpected(databaseError(db_.error("audit " + action)));
    }
    return {};
}

// ---- RMA cache ----

Result<void> Store::putRma(const Rma& rma)
{
    auto tx = base::sqlite::Transaction::begin(db_);
    if (!tx) {
        return std::unexpected(databaseError(db_.error("begin (rma)")));
    }
    auto upsert =
        db_.prepare("INSERT INTO rma (rma_id, channel, body, updated_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(rma_id) DO UPDATE SET channel = excluded.channel, body = excluded.body, "
                    "updated_at = excluded.updated_at");
    if (!upsert) {
        return std::unexpected(databaseError(upsert.error()));
    }
    upsert->bind(1, rma.rmaId).bind(2, rma.channel).bind(3, toJson(rma).dump()).bind(4, nowTimestamp());
    auto clear = db_.prepare("DELETE FROM rma_key WHERE rma_id = ?");
    if (!clear) {
        return std::unexpected(databaseError(clear.error()));
    }
    clear->bind(1, rma.rmaId);
    if (!upsert->run() || !clear->run()) {
        return std::unexpected(databaseError(db_.error("store RMA " + rma.rmaId)));
    }
    auto key = db_.prepare("INSERT OR IGNORE INTO rma_key (kind, value, rma_id) VALUES (?, ?, ?)");
    if (!key) {
        return std::unexpected(databaseError(key.error()));
    }
    for (const auto& [kind, value] : lookupKeys(rma)) {
        key->reset();
        key->bind(1, toString(kind)).bind(2, value).bind(3, rma.rmaId);
        if (!key->run()) {
            return std::unexpected(databaseError(db_.error("index RMA " + rma.rmaId)));
        }
    }
    if (auto ok = audit("central", "rma.cached", rma.rmaId, {{"channel", rma.channel}}); !ok) {
        return ok;
    }
    return commit(*tx);
}

Result<void> Store::removeRma(const std::string& rmaId)
{
    auto tx = base::sqlite::Transaction::begin(db_);
    auto remove = db_.prepare("DELETE FROM rma WHERE rma_id = ?");
    if (!remove) {
        return std::unexpected(databaseError(remove.error()));
    }
    remove->bind(1, rmaId);
    if (!tx || !remove->run()) {
        return std::unexpected(databaseError(db_.error("remove RMA " + rmaId)));
    }
    if (db_.changes() > 0) {
        if (auto ok = audit("central", "rma.closed", rmaId, json::object()); !ok) {
            return ok;
        }
    }
    return commit(*tx);
}

Result<std::int64_t> Store::rmaCount() const
{
    return integerOf("SELECT count(*) FROM rma", "count RMAs");
}

std::vector<Rma> Store::find(RmaKey key, std::string_view value) const
{
    std::vector<Rma> found;
    auto query = db_.prepare("SELECT DISTINCT r.body FROM rma_key k JOIN rma r ON r.rma_id = k.rma_id "
                             "WHERE k.kind = ? AND k.value = ? ORDER BY r.rma_id");
    if (!query) {
        return found; // as an unreadable cache: no RMA known for the key
    }
    query->bind(1, toString(key)).bind(2, value);
    while (query->step().value_or(false)) {
        if (auto rma = parseRma(query->text(0))) {
            found.push_back(std::move(*rma));
        }
    }
    return found;
}

// ---- domain writes ----

Result<void> Store::createParcel(const Parcel& parcel)
{
    auto tx = base::sqlite::Transaction::begin(db_, {.durable = true});
    if (!tx) {
        return std::unexpected(databaseError(db_.error("begin (parcel)")));
    }
    const sync::ParcelReceived data = toContract(parcel);
    auto event = enqueue(data);
    if (!event) {
        return std::unexpected(event.error());
    }
    auto insert =
        db_.prepare("INSERT INTO parcel (parcel_id, rma_id, channel, identified_by, scanned, operator, "
                    "received_at, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) {
        return std::unexpected(databaseError(insert.error()));
    }
    insert->bind(1, parcel.parcelId)
        .bind(2, parcel.rmaId)
        .bind(3, parcel.channel)
        .bind(4, parcel.identifiedBy)
        .bind(5, parcel.scanned)
        .bind(6, parcel.operatorId)
        .bind(7, parcel.receivedAt)
        .bind(8, event->eventId);
    if (!insert->run()) {
        return std::unexpected(databaseError(db_.error("insert parcel " + parcel.parcelId)));
    }
    if (auto ok = audit(parcel.operatorId, "parcel.received", parcel.parcelId, sync::encodeData(data)); !ok) {
        return ok;
    }
    return commit(*tx);
}

Result<void> Store::closeParcel(const std::string& parcelId, const std::vector<std::string>& findings,
                                const json& missing, const std::string& closedAt, const std::string& actor)
{
    auto tx = base::sqlite::Transaction::begin(db_, {.durable = true});
    auto update =
        db_.prepare("UPDATE parcel SET closed_at = ?, findings = ?, missing = ? WHERE parcel_id = ?");
    if (!update) {
        return std::unexpected(databaseError(update.error()));
    }
    update->bind(1, closedAt).bind(2, json(findings).dump()).bind(3, missing.dump()).bind(4, parcelId);
    if (!tx || !update->run()) {
        return std::unexpected(databaseError(db_.error("close parcel " + parcelId)));
    }
    if (auto ok = audit(actor, "parcel.closed", parcelId, {{"findings", findings}, {"missing", missing}});
        !ok) {
        return ok;
    }
    auto data = parcelClosedData(db_, parcelId, findings, missing, closedAt, actor);
    if (!data) {
        return std::unexpected(data.error());
    }
    auto event = enqueue(*data);
    if (!event) {
        return std::unexpected(event.error());
    }
    return commit(*tx);
}

Result<void> Store::confirmItem(const Inspection& inspection, const LabelRecord& label)
{
    auto tx = base::sqlite::Transaction::begin(db_, {.durable = true});
    if (!tx) {
        return std::unexpected(databaseError(db_.error("begin (inspection)")));
    }
    const json data = toEventData(inspection);
    auto insert = db_.prepare(
        "INSERT INTO inspection (inspection_id, parcel_id, rma_id, line_id, sku, gtin, serial, "
        "category, description, measured_g, expected_g, weight_result, grade_function, "
        "grade_cosmetic, grade, disposition, location, rule, lpn, operator, confirmed_at, body, "
        "event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')");
    if (!insert) {
        return std::unexpected(databaseError(insert.error()));
    }
    insert->bind(1, inspection.inspectionId)
        .bind(2, inspection.parcelId)
        .bind(3, inspection.rmaId)
        .bind(4, inspection.lineId)
        .bind(5, inspection.item.sku)
        .bind(6, inspection.item.gtin)
        .bind(7, inspection.item.serial.empty() ? std::optional<std::string>{} : inspection.item.serial)
        .bind(8, inspection.item.category)
        .bind(9, inspection.item.description)
        .bind(10, inspection.weight.measuredG)
        .bind(11, inspection.weight.expectedG)
        .bind(12, inspection.weight.result)
        .bind(13, inspection.grade.function)
        .bind(14, std::string(1, inspection.grade.cosmetic))
        .bind(15, std::string(1, inspection.grade.grade))
        .bind(16, std::string(toString(inspection.disposition.disposition)))
        .bind(17, inspection.disposition.location)
        .bind(18, inspection.disposition.rule)
        .bind(19, inspection.lpn)
        .bind(20, inspection.operatorId)
        .bind(21, inspection.confirmedAt)
        .bind(22, data.dump());
    if (!insert->run()) {
        return std::unexpected(databaseError(db_.error("insert inspection " + inspection.inspectionId)));
    }
    auto photo = db_.prepare(
        "INSERT OR IGNORE INTO photo (inspection_id, view, sha256, bytes, width, height, taken_at, focus, "
        "clipped, crushed, frame_change, retake_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!photo) {
        return std::unexpected(databaseError(photo.error()));
    }
    for (const auto& p : inspection.photos) {
        photo->reset();
        photo->bind(1, inspection.inspectionId)
            .bind(2, p.view)
            .bind(3, p.sha256)
            .bind(4, static_cast<std::int64_t>(p.bytes))
            .bind(5, p.width)
            .bind(6, p.height)
            .bind(7, inspection.confirmedAt)
            .bind(8, p.focus)
            .bind(9, p.clipped)
            .bind(10, p.crushed)
            .bind(11, p.change)
            .bind(12, p.retakeReason.empty() ? std::optional<std::string>{} : p.retakeReason);
        if (!photo->run()) {
            return std::unexpected(databaseError(db_.error("insert photo " + p.sha256)));
        }
    }
    auto job =
        db_.prepare("INSERT INTO label (job_id, inspection_id, lpn, zpl, created_at) VALUES (?, ?, ?, ?, ?)");
    if (!job) {
        return std::unexpected(databaseError(job.error()));
    }
    job->bind(1, label.jobId)
        .bind(2, inspection.inspectionId)
        .bind(3, label.lpn)
        .bind(4, label.zpl)
        .bind(5, inspection.confirmedAt);
    auto counter = db_.prepare("UPDATE counter SET value = max(value, ?) WHERE name = 'lpn'");
    if (!counter) {
        return std::unexpected(databaseError(counter.error()));
    }
    counter->bind(1, lpnSeqOf(inspection.lpn));
    if (!job->run() || !counter->run()) {
        return std::unexpected(databaseError(db_.error("insert label job " + label.jobId)));
    }
    if (auto ok = audit(inspection.operatorId, "inspection.confirmed", inspection.inspectionId,
                        {{"lpn", inspection.lpn},
                         {"grade", std::string(1, inspection.grade.grade)},
                         {"disposition", data["disposition"]}});
        !ok) {
        return ok;
    }
    auto event =
        outbox_->enqueue(options_.site, options_.stationId, sync::event_type::InspectionCompleted, data);
    if (!event) {
        return std::unexpected(syncError(event.error()));
    }
    auto link = db_.prepare("UPDATE inspection SET event_id = ? WHERE inspection_id = ?");
    if (!link) {
        return std::unexpected(databaseError(link.error()));
    }
    link->bind(1, event->eventId).bind(2, inspection.inspectionId);
    if (!link->run()) {
        return std::unexpected(databaseError(db_.error("link inspection event")));
    }
    return commit(*tx);
}

Result<void> Store::labelPrinted(const std::string& jobId, const std::string& printer, const std::string& at)
{
    auto tx = base::sqlite::Transaction::begin(db_, {.durable = true});
    if (!tx) {
        return std::unexpected(databaseError(db_.error("begin (label)")));
    }
    auto read = db_.prepare("SELECT inspection_id, lpn, printed FROM label WHERE job_id = ?");
    if (!read) {
        return std::unexpected(databaseError(read.error()));
    }
    read->bind(1, jobId);
    if (!read->step().value_or(false)) {
        return fail(ErrorCode::Database, "station database: no label job " + jobId);
    }
    if (read->integer(2) != 0) {
        return {}; // already recorded: printing is idempotent by job id
    }
    const sync::LabelPrinted printed{read->text(0), read->text(1), jobId, printer, std::nullopt};
    auto event = enqueue(printed);
    if (!event) {
        return std::unexpected(event.error());
    }
    const json data = sync::encodeData(printed);
    auto update =
        db_.prepare("UPDATE label SET printed = 1, printer = ?, printed_at = ?, attempts = attempts + 1, "
                    "reason = NULL, event_id = ? WHERE job_id = ?");
    if (!update) {
        return std::unexpected(databaseError(update.error()));
    }
    update->bind(1, printer).bind(2, at).bind(3, event->eventId).bind(4, jobId);
    if (!update->run()) {
        return std::unexpected(databaseError(db_.error("mark label printed")));
    }
    if (auto ok = audit("station", "label.printed", jobId, data); !ok) {
        return ok;
    }
    return commit(*tx);
}

Result<void> Store::labelFailed(const std::string& jobId, const std::string& reason)
{
    auto tx = base::sqlite::Transaction::begin(db_);
    auto update = db_.prepare("UPDATE label SET attempts = attempts + 1, reason = ? WHERE job_id = ?");
    if (!update) {
        return std::unexpected(databaseError(update.error()));
    }
    update->bind(1, reason).bind(2, jobId);
    if (!tx || !update->run()) {
        return std::unexpected(databaseError(db_.error("record label failure")));
    }
    if (auto ok = audit("station", "label.failed", jobId, {{"reason", reason}}); !ok) {
        return ok;
    }
    return commit(*tx);
}

Result<std::vector<LabelRecord>> Store::pendingLabels() const
{
    auto query = db_.prepare(
        "SELECT job_id, inspection_id, lpn, zpl FROM label WHERE printed = 0 ORDER BY created_at, "
        "rowid");
    if (!query) {
        return std::unexpected(databaseError(query.error()));
    }
    std::vector<LabelRecord> labels;
    base::Result<bool> rc;
    while ((rc = query->step()) && *rc) {
        labels.push_back(LabelRecord{query->text(0), query->text(1), query->text(2), query->text(3)});
    }
    if (!rc) {
        return std::unexpected(databaseError(db_.error("read pending labels")));
    }
    return labels;
}

Result<std::int64_t> Store::pendingLabelCount() const
{
    return integerOf("SELECT count(*) FROM label WHERE printed = 0", "count pending labels");
}

Result<std::int64_t> Store::lastLpnSeq() const
{
    return integerOf("SELECT value FROM counter WHERE name = 'lpn'", "read LPN counter");
}

Result<std::optional<LpnInfo>> Store::findLpn(const std::string& lpn) const
{
    auto query =
        db_.prepare("SELECT i.lpn, i.inspection_id, i.parcel_id, i.rma_id, i.sku, i.description, i.grade, "
                    "i.disposition, i.location, p.closed_at, i.voided_at, i.gtin FROM inspection i "
                    "JOIN parcel p ON p.parcel_id = i.parcel_id WHERE i.lpn = ?");
    if (!query) {
        return std::unexpected(databaseError(query.error()));
    }
    query->bind(1, lpn);
    const auto row = query->step();
    if (!row) {
        return std::unexpected(databaseError(db_.error("find LPN " + lpn)));
    }
    if (!*row) {
        return std::optional<LpnInfo>();
    }
    LpnInfo info;
    info.lpn = query->text(0);
    info.inspectionId = query->text(1);
    info.parcelId = query->text(2);
    if (!query->isNull(3)) {
        info.rmaId = query->text(3);
    }
    info.sku = query->text(4);
    info.description = query->text(5);
    info.grade = query->text(6);
    info.disposition = query->text(7);
    info.location = query->text(8);
    if (!query->isNull(9)) {
        info.parcelClosedAt = query->text(9);
    }
    info.voided = !query->isNull(10);
    info.gtin = query->text(11);
    return std::optional<LpnInfo>(std::move(info));
}

Result<std::size_t> Store::acknowledge(const std::vector<std::string>& eventIds)
{
    auto tx = base::sqlite::Transaction::begin(db_);
    if (!tx) {
        return std::unexpected(databaseError(db_.error("begin (ack)")));
    }
    auto removed = outbox_->acknowledge(eventIds);
    if (!removed) {
        return std::unexpected(syncError(removed.error()));
    }
    // One statement for the whole acknowledgement (its ids as one JSON array), not one per id.
    auto mark =
        db_.prepare("UPDATE inspection SET acked = 1 WHERE event_id IN (SELECT value FROM json_each(?))");
    if (!mark) {
        return std::unexpected(databaseError(mark.error()));
    }
    mark->bind(1, nlohmann::json(eventIds).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (!mark->run()) {
        return std::unexpected(databaseError(db_.error("mark inspection acked")));
    }
    if (*removed > 0) {
        if (auto ok = audit("central", "events.acknowledged", std::to_string(*removed) + " event(s)",
                            {{"event_ids", eventIds}});
            !ok) {
            return std::unexpected(ok.error());
        }
    }
    if (auto ok = commit(*tx); !ok) {
        return std::unexpected(ok.error());
    }
    return *removed;
}

Result<json> Store::report() const
{
    json parcels = json::array();
    std::map<std::string, std::size_t> index;
    auto parcelQuery =
        db_.prepare("SELECT parcel_id, rma_id, channel, identified_by, scanned, operator, received_at, "
                    "closed_at, findings, missing FROM parcel ORDER BY received_at, rowid");
    if (!parcelQuery) {
        return std::unexpected(databaseError(parcelQuery.error()));
    }
    base::Result<bool> rc;
    while ((rc = parcelQuery->step()) && *rc) {
        json parcel = {{"parcel_id", parcelQuery->text(0)},
                       {"rma_id", parcelQuery->isNull(1) ? json(nullptr) : json(parcelQuery->text(1))},
                       {"channel", parcelQuery->text(2)},
                       {"identified_by", parcelQuery->text(3)},
                       {"scanned", parcelQuery->text(4)},
                       {"operator", parcelQuery->text(5)},
                       {"received_at", parcelQuery->text(6)},
                       {"closed_at", parcelQuery->isNull(7) ? json(nullptr) : json(parcelQuery->text(7))},
                       {"findings", json::parse(parcelQuery->text(8), nullptr, false)},
                       {"missing", json::parse(parcelQuery->text(9), nullptr, false)},
                       {"items", json::array()}};
        index[parcelQuery->text(0)] = parcels.size();
        parcels.push_back(std::move(parcel));
    }
    if (!rc) {
        return std::unexpected(databaseError(db_.error("report parcels")));
    }
    // Each photo's quality scores and retake reason (migration 2), for the operator and the audit.
    auto photoQuery = db_.prepare("SELECT view, sha256, focus, clipped, crushed, frame_change, retake_reason "
                                  "FROM photo WHERE inspection_id = ? ORDER BY rowid");
    if (!photoQuery) {
        return std::unexpected(databaseError(photoQuery.error()));
    }
    auto optionalReal = [&](int column) {
        return photoQuery->isNull(column) ? json(nullptr) : json(photoQuery->real(column));
    };
    auto photoQuality = [&](const std::string& inspectionId) {
        json photos = json::array();
        photoQuery->reset();
        photoQuery->bind(1, inspectionId);
        while (photoQuery->step().value_or(false)) {
            photos.push_back(
                {{"view", photoQuery->text(0)},
                 {"sha256", photoQuery->text(1)},
                 {"focus", optionalReal(2)},
                 {"clipped", optionalReal(3)},
                 {"crushed", optionalReal(4)},
                 {"change", optionalReal(5)},
                 {"retake_reason", photoQuery->isNull(6) ? json(nullptr) : json(photoQuery->text(6))}});
        }
        return photos;
    };
    auto itemQuery =
        db_.prepare("SELECT i.parcel_id, i.body, i.acked, "
                    "(SELECT count(*) FROM photo p WHERE p.inspection_id = i.inspection_id), "
                    "(SELECT max(l.printed) FROM label l WHERE l.inspection_id = i.inspection_id) "
                    "FROM inspection i ORDER BY i.confirmed_at, i.rowid");
    if (!itemQuery) {
        return std::unexpected(databaseError(itemQuery.error()));
    }
    while ((rc = itemQuery->step()) && *rc) {
        const json body = json::parse(itemQuery->text(1), nullptr, false);
        if (body.is_discarded()) {
            continue;
        }
        json item = {{"inspection_id", body["inspection_id"]},
                     {"line_id", body["line_id"]},
                     {"sku", body["item"]["sku"]},
                     {"gtin", body["item"]["gtin"]},
                     {"serial", body["item"]["serial"]},
                     {"description", body["item"]["description"]},
                     {"category", body["item"]["category"]},
                     {"weight",
                      {{"measured_g", body["weight"]["measured_g"]},
                       {"expected_g", body["weight"]["expected_g"]},
                       {"result", body["weight"]["result"]}}},
                     {"photos", itemQuery->integer(3)},
                     {"photo_missing_reason", body["photo_missing_reason"]},
                     {"photo_quality", photoQuality(body["inspection_id"].is_string()
                                                        ? body["inspection_id"].get<std::string>()
                                                        : std::string())},
                     {"findings", body["findings"]},
                     {"grade", body["grade"]["grade"]},
                     {"grade_function", body["grade"]["function"]},
                     {"grade_cosmetic", body["grade"]["cosmetic"]},
                     {"disposition", body["disposition"]["code"]},
                     {"location", body["disposition"]["location"]},
                     {"rule", body["disposition"]["rule"]},
                     {"lpn", body["lpn"]},
                     {"label_printed", itemQuery->integer(4) != 0},
                     {"acked", itemQuery->integer(2) != 0}};
        if (body.contains("trade_in")) {
            item["trade_in"] = body["trade_in"];
        }
        if (auto it = index.find(itemQuery->text(0)); it != index.end()) {
            parcels[it->second]["items"].push_back(std::move(item));
        }
    }
    if (!rc) {
        return std::unexpected(databaseError(db_.error("report inspections")));
    }
    return parcels;
}

Result<std::vector<PhotoRecord>> Store::photos() const
{
    auto query = db_.prepare("SELECT inspection_id, view, sha256, taken_at FROM photo ORDER BY rowid");
    if (!query) {
        return std::unexpected(databaseError(query.error()));
    }
    std::vector<PhotoRecord> photos;
    base::Result<bool> rc;
    while ((rc = query->step()) && *rc) {
        photos.push_back({query->text(0), query->text(1), query->text(2), query->text(3)});
    }
    if (!rc) {
        return std::unexpected(databaseError(db_.error("list photos")));
    }
    return photos;
}

} // namespace retour::station
