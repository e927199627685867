#include "store/store.h"

#include "retour/base/migrations.h"
#include "retour/base/sqlite.h"
#include "retour/contract/message.h"
#include "retour/link/outbox.h"
#include "station_migrations.h"
#include "store/sqlite_util.h"
#include "workflow/gtin.h"

#include <map>
#include <sqlite3.h>

namespace retour::station {

namespace {

using nlohmann::json;
using sql::dbError;
using sql::Statement;
using sql::Transaction;

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
Result<sync::ParcelClosed> parcelClosedData(sqlite3* db, const std::string& parcelId,
                                            const std::vector<std::string>& findings, const json& missing,
                                            const std::string& closedAt, const std::string& actor)
{
    sync::ParcelClosed data;
    data.parcelId = parcelId;
    data.closedAt = closedAt;
    data.operatorId = actor;
    data.findings = findings;
    std::map<std::string, std::int64_t> lineQuantity;
    Statement rma(db, "SELECT p.rma_id, r.body, p.identified_by, p.scanned FROM parcel p "
                      "LEFT JOIN rma r ON r.rma_id = p.rma_id WHERE p.parcel_id = ?");
    rma.bind(1, parcelId);
    if (rma.step() == SQLITE_ROW) {
        // The label of a parcel identified by a pre-printed label is what was scanned.
        if (rma.text(2) == "preprinted_label") {
            data.label = std::string(stripSymbologyIdentifier(rma.text(3)));
        }
        if (!rma.isNull(0)) {
            data.rmaId = rma.text(0);
            if (auto cached = rma.isNull(1) ? std::nullopt : std::optional(parseRma(rma.text(1)));
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
    Statement found(db, "SELECT inspection_id, line_id, sku, gtin, serial, body FROM inspection "
                        "WHERE parcel_id = ? AND voided_at IS NULL ORDER BY confirmed_at, rowid");
    found.bind(1, parcelId);
    std::map<std::string, int> foundPerLine;
    int rc = 0;
    while ((rc = found.step()) == SQLITE_ROW) {
        const auto lineId = unlessEmpty(found, 1);
        const bool onLine = lineId && lineQuantity.contains(*lineId);
        // The item's findings as its inspection.completed carried them (the station's own record:
        // read as it was written, whatever else in it a later contract version would refuse).
        const json body = found.isNull(5) ? json() : json::parse(found.text(5), nullptr, false);
        std::vector<std::string> findingsOfItem;
        if (body.is_object() && body.contains("findings") && body["findings"].is_array()) {
            for (const auto& finding : body["findings"]) {
                if (finding.is_string()) {
                    findingsOfItem.push_back(finding.get<std::string>());
                }
            }
        }
        sync::ParcelClosed::Item item{found.text(0),
                                      found.text(2),
                                      lineId,
                                      unlessEmpty(found, 3),
                                      unlessEmpty(found, 4),
                                      std::nullopt,
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
    if (rc != SQLITE_DONE) {
        return std::unexpected(dbError(db, "read inspections of parcel " + parcelId));
    }
    return data;
}

} // namespace

std::string nowTimestamp()
{
    return sync::formatTimestamp(std::chrono::system_clock::now());
}

Store::Store(sqlite3* db, Options options)
    : db_(db), options_(std::move(options)),
      outbox_(std::make_unique<sync::Outbox>(db, options_.outboxCapacity))
{}

Store::~Store()
{
    outbox_.reset();
    sqlite3_close_v2(db_);
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
    if (!sql::exec(db, "PRAGMA journal_mode=WAL") || !sql::exec(db, "PRAGMA synchronous=NORMAL") ||
        !sql::exec(db, "PRAGMA foreign_keys=ON")) {
        return std::unexpected(dbError(db, "open " + file.string()));
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
    auto db = base::sqlite::Database::borrow(db_);
    base::MigrationOptions options;
    options.program = "retour-station";
    auto version = base::migrate(db, stationMigrations(), options);
    if (!version) {
        return fail(ErrorCode::Database, "station database: " + version.error().message);
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
    Statement insert(db_, "INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)");
    insert.bind(1, nowTimestamp()).bind(2, actor).bind(3, action).bind(4, subject).bind(5, detail.dump());
    if (!insert.run()) {
        return std::unexpected(dbError(db_, "audit " + action));
    }
    return {};
}

// ---- RMA cache ----

Result<void> Store::putRma(const Rma& rma)
{
    Transaction tx(db_, false);
    if (!tx.active()) {
        return std::unexpected(dbError(db_, "begin (rma)"));
    }
    Statement upsert(db_,
                     "INSERT INTO rma (rma_id, channel, body, updated_at) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT(rma_id) DO UPDATE SET channel = excluded.channel, body = excluded.body, "
                     "updated_at = excluded.updated_at");
    upsert.bind(1, rma.rmaId).bind(2, rma.channel).bind(3, toJson(rma).dump()).bind(4, nowTimestamp());
    Statement clear(db_, "DELETE FROM rma_key WHERE rma_id = ?");
    clear.bind(1, rma.rmaId);
    if (!upsert.run() || !clear.run()) {
        return std::unexpected(dbError(db_, "store RMA " + rma.rmaId));
    }
    Statement key(db_, "INSERT OR IGNORE INTO rma_key (kind, value, rma_id) VALUES (?, ?, ?)");
    for (const auto& [kind, value] : lookupKeys(rma)) {
        key.reset();
        key.bind(1, toString(kind)).bind(2, value).bind(3, rma.rmaId);
        if (!key.run()) {
            return std::unexpected(dbError(db_, "index RMA " + rma.rmaId));
        }
    }
    if (auto ok = audit("central", "rma.cached", rma.rmaId, {{"channel", rma.channel}}); !ok) {
        return ok;
    }
    return tx.commit();
}

Result<void> Store::removeRma(const std::string& rmaId)
{
    Transaction tx(db_, false);
    Statement remove(db_, "DELETE FROM rma WHERE rma_id = ?");
    remove.bind(1, rmaId);
    if (!tx.active() || !remove.run()) {
        return std::unexpected(dbError(db_, "remove RMA " + rmaId));
    }
    if (sqlite3_changes(db_) > 0) {
        if (auto ok = audit("central", "rma.closed", rmaId, json::object()); !ok) {
            return ok;
        }
    }
    return tx.commit();
}

Result<std::int64_t> Store::rmaCount() const
{
    Statement count(db_, "SELECT count(*) FROM rma");
    if (count.step() != SQLITE_ROW) {
        return std::unexpected(dbError(db_, "count RMAs"));
    }
    return count.int64(0);
}

std::vector<Rma> Store::find(RmaKey key, std::string_view value) const
{
    std::vector<Rma> found;
    Statement query(db_, "SELECT DISTINCT r.body FROM rma_key k JOIN rma r ON r.rma_id = k.rma_id "
                         "WHERE k.kind = ? AND k.value = ? ORDER BY r.rma_id");
    query.bind(1, toString(key)).bind(2, value);
    while (query.step() == SQLITE_ROW) {
        if (auto rma = parseRma(query.text(0))) {
            found.push_back(std::move(*rma));
        }
    }
    return found;
}

// ---- domain writes ----

Result<void> Store::createParcel(const Parcel& parcel)
{
    Transaction tx(db_, true);
    if (!tx.active()) {
        return std::unexpected(dbError(db_, "begin (parcel)"));
    }
    const sync::ParcelReceived data = toContract(parcel);
    auto event = enqueue(data);
    if (!event) {
        return std::unexpected(event.error());
    }
    Statement insert(db_, "INSERT INTO parcel (parcel_id, rma_id, channel, identified_by, scanned, operator, "
                          "received_at, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, parcel.parcelId)
        .bind(2, parcel.rmaId)
        .bind(3, parcel.channel)
        .bind(4, parcel.identifiedBy)
        .bind(5, parcel.scanned)
        .bind(6, parcel.operatorId)
        .bind(7, parcel.receivedAt)
        .bind(8, event->eventId);
    if (!insert.run()) {
        return std::unexpected(dbError(db_, "insert parcel " + parcel.parcelId));
    }
    if (auto ok = audit(parcel.operatorId, "parcel.received", parcel.parcelId, sync::encodeData(data)); !ok) {
        return ok;
    }
    return tx.commit();
}

Result<void> Store::closeParcel(const std::string& parcelId, const std::vector<std::string>& findings,
                                const json& missing, const std::string& closedAt, const std::string& actor)
{
    Transaction tx(db_, true);
    Statement update(db_, "UPDATE parcel SET closed_at = ?, findings = ?, missing = ? WHERE parcel_id = ?");
    update.bind(1, closedAt).bind(2, json(findings).dump()).bind(3, missing.dump()).bind(4, parcelId);
    if (!tx.active() || !update.run()) {
        return std::unexpected(dbError(db_, "close parcel " + parcelId));
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
    return tx.commit();
}

Result<void> Store::confirmItem(const Inspection& inspection, const LabelRecord& label)
{
    Transaction tx(db_, true);
    if (!tx.active()) {
        return std::unexpected(dbError(db_, "begin (inspection)"));
    }
    const json data = toEventData(inspection);
    Statement insert(
        db_, "INSERT INTO inspection (inspection_id, parcel_id, rma_id, line_id, sku, gtin, serial, "
             "category, description, measured_g, expected_g, weight_result, grade_function, "
             "grade_cosmetic, grade, disposition, location, rule, lpn, operator, confirmed_at, body, "
             "event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')");
    insert.bind(1, inspection.inspectionId)
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
    if (!insert.run()) {
        return std::unexpected(dbError(db_, "insert inspection " + inspection.inspectionId));
    }
    Statement photo(
        db_,
        "INSERT OR IGNORE INTO photo (inspection_id, view, sha256, bytes, width, height, taken_at, focus, "
        "clipped, crushed, frame_change, retake_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& p : inspection.photos) {
        photo.reset();
        photo.bind(1, inspection.inspectionId)
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
        if (!photo.run()) {
            return std::unexpected(dbError(db_, "insert photo " + p.sha256));
        }
    }
    Statement job(db_,
                  "INSERT INTO label (job_id, inspection_id, lpn, zpl, created_at) VALUES (?, ?, ?, ?, ?)");
    job.bind(1, label.jobId)
        .bind(2, inspection.inspectionId)
        .bind(3, label.lpn)
        .bind(4, label.zpl)
        .bind(5, inspection.confirmedAt);
    Statement counter(db_, "UPDATE counter SET value = max(value, ?) WHERE name = 'lpn'");
    counter.bind(1, lpnSeqOf(inspection.lpn));
    if (!job.run() || !counter.run()) {
        return std::unexpected(dbError(db_, "insert label job " + label.jobId));
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
    Statement link(db_, "UPDATE inspection SET event_id = ? WHERE inspection_id = ?");
    link.bind(1, event->eventId).bind(2, inspection.inspectionId);
    if (!link.run()) {
        return std::unexpected(dbError(db_, "link inspection event"));
    }
    return tx.commit();
}

Result<void> Store::labelPrinted(const std::string& jobId, const std::string& printer, const std::string& at)
{
    Transaction tx(db_, true);
    if (!tx.active()) {
        return std::unexpected(dbError(db_, "begin (label)"));
    }
    Statement read(db_, "SELECT inspection_id, lpn, printed FROM label WHERE job_id = ?");
    read.bind(1, jobId);
    if (read.step() != SQLITE_ROW) {
        return fail(ErrorCode::Database, "station database: no label job " + jobId);
    }
    if (read.int64(2) != 0) {
        return {}; // already recorded: printing is idempotent by job id
    }
    const sync::LabelPrinted printed{read.text(0), read.text(1), jobId, printer, std::nullopt};
    auto event = enqueue(printed);
    if (!event) {
        return std::unexpected(event.error());
    }
    const json data = sync::encodeData(printed);
    Statement update(db_,
                     "UPDATE label SET printed = 1, printer = ?, printed_at = ?, attempts = attempts + 1, "
                     "reason = NULL, event_id = ? WHERE job_id = ?");
    update.bind(1, printer).bind(2, at).bind(3, event->eventId).bind(4, jobId);
    if (!update.run()) {
        return std::unexpected(dbError(db_, "mark label printed"));
    }
    if (auto ok = audit("station", "label.printed", jobId, data); !ok) {
        return ok;
    }
    return tx.commit();
}

Result<void> Store::labelFailed(const std::string& jobId, const std::string& reason)
{
    Transaction tx(db_, false);
    Statement update(db_, "UPDATE label SET attempts = attempts + 1, reason = ? WHERE job_id = ?");
    update.bind(1, reason).bind(2, jobId);
    if (!tx.active() || !update.run()) {
        return std::unexpected(dbError(db_, "record label failure"));
    }
    if (auto ok = audit("station", "label.failed", jobId, {{"reason", reason}}); !ok) {
        return ok;
    }
    return tx.commit();
}

Result<std::vector<LabelRecord>> Store::pendingLabels() const
{
    Statement query(
        db_, "SELECT job_id, inspection_id, lpn, zpl FROM label WHERE printed = 0 ORDER BY created_at, "
             "rowid");
    std::vector<LabelRecord> labels;
    int rc = 0;
    while ((rc = query.step()) == SQLITE_ROW) {
        labels.push_back(LabelRecord{query.text(0), query.text(1), query.text(2), query.text(3)});
    }
    if (rc != SQLITE_DONE) {
        return std::unexpected(dbError(db_, "read pending labels"));
    }
    return labels;
}

Result<std::int64_t> Store::pendingLabelCount() const
{
    Statement query(db_, "SELECT count(*) FROM label WHERE printed = 0");
    if (query.step() != SQLITE_ROW) {
        return std::unexpected(dbError(db_, "count pending labels"));
    }
    return query.int64(0);
}

Result<std::int64_t> Store::lastLpnSeq() const
{
    Statement query(db_, "SELECT value FROM counter WHERE name = 'lpn'");
    if (query.step() != SQLITE_ROW) {
        return std::unexpected(dbError(db_, "read LPN counter"));
    }
    return query.int64(0);
}

Result<std::optional<LpnInfo>> Store::findLpn(const std::string& lpn) const
{
    Statement query(db_,
                    "SELECT i.lpn, i.inspection_id, i.parcel_id, i.rma_id, i.sku, i.description, i.grade, "
                    "i.disposition, i.location, p.closed_at, i.voided_at, i.gtin FROM inspection i "
                    "JOIN parcel p ON p.parcel_id = i.parcel_id WHERE i.lpn = ?");
    query.bind(1, lpn);
    const int rc = query.step();
    if (rc == SQLITE_DONE) {
        return std::optional<LpnInfo>();
    }
    if (rc != SQLITE_ROW) {
        return std::unexpected(dbError(db_, "find LPN " + lpn));
    }
    LpnInfo info;
    info.lpn = query.text(0);
    info.inspectionId = query.text(1);
    info.parcelId = query.text(2);
    if (!query.isNull(3)) {
        info.rmaId = query.text(3);
    }
    info.sku = query.text(4);
    info.description = query.text(5);
    info.grade = query.text(6);
    info.disposition = query.text(7);
    info.location = query.text(8);
    if (!query.isNull(9)) {
        info.parcelClosedAt = query.text(9);
    }
    info.voided = !query.isNull(10);
    info.gtin = query.text(11);
    return std::optional<LpnInfo>(std::move(info));
}

Result<std::size_t> Store::acknowledge(const std::vector<std::string>& eventIds)
{
    Transaction tx(db_, false);
    if (!tx.active()) {
        return std::unexpected(dbError(db_, "begin (ack)"));
    }
    auto removed = outbox_->acknowledge(eventIds);
    if (!removed) {
        return std::unexpected(syncError(removed.error()));
    }
    // One statement for the whole acknowledgement (its ids as one JSON array), not one per id.
    Statement mark(db_, "UPDATE inspection SET acked = 1 WHERE event_id IN (SELECT value FROM json_each(?))");
    mark.bind(1, nlohmann::json(eventIds).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (!mark.run()) {
        return std::unexpected(dbError(db_, "mark inspection acked"));
    }
    if (*removed > 0) {
        if (auto ok = audit("central", "events.acknowledged", std::to_string(*removed) + " event(s)",
                            {{"event_ids", eventIds}});
            !ok) {
            return std::unexpected(ok.error());
        }
    }
    if (auto ok = tx.commit(); !ok) {
        return std::unexpected(ok.error());
    }
    return *removed;
}

Result<json> Store::report() const
{
    json parcels = json::array();
    std::map<std::string, std::size_t> index;
    Statement parcelQuery(db_,
                          "SELECT parcel_id, rma_id, channel, identified_by, scanned, operator, received_at, "
                          "closed_at, findings, missing FROM parcel ORDER BY received_at, rowid");
    int rc = 0;
    while ((rc = parcelQuery.step()) == SQLITE_ROW) {
        json parcel = {{"parcel_id", parcelQuery.text(0)},
                       {"rma_id", parcelQuery.isNull(1) ? json(nullptr) : json(parcelQuery.text(1))},
                       {"channel", parcelQuery.text(2)},
                       {"identified_by", parcelQuery.text(3)},
                       {"scanned", parcelQuery.text(4)},
                       {"operator", parcelQuery.text(5)},
                       {"received_at", parcelQuery.text(6)},
                       {"closed_at", parcelQuery.isNull(7) ? json(nullptr) : json(parcelQuery.text(7))},
                       {"findings", json::parse(parcelQuery.text(8), nullptr, false)},
                       {"missing", json::parse(parcelQuery.text(9), nullptr, false)},
                       {"items", json::array()}};
        index[parcelQuery.text(0)] = parcels.size();
        parcels.push_back(std::move(parcel));
    }
    if (rc != SQLITE_DONE) {
        return std::unexpected(dbError(db_, "report parcels"));
    }
    // Each photo's quality scores and retake reason (migration 2), for the operator and the audit.
    Statement photoQuery(db_, "SELECT view, sha256, focus, clipped, crushed, frame_change, retake_reason "
                              "FROM photo WHERE inspection_id = ? ORDER BY rowid");
    auto optionalReal = [&](int column) {
        return photoQuery.isNull(column) ? json(nullptr) : json(photoQuery.real(column));
    };
    auto photoQuality = [&](const std::string& inspectionId) {
        json photos = json::array();
        photoQuery.reset();
        photoQuery.bind(1, inspectionId);
        while (photoQuery.step() == SQLITE_ROW) {
            photos.push_back(
                {{"view", photoQuery.text(0)},
                 {"sha256", photoQuery.text(1)},
                 {"focus", optionalReal(2)},
                 {"clipped", optionalReal(3)},
                 {"crushed", optionalReal(4)},
                 {"change", optionalReal(5)},
                 {"retake_reason", photoQuery.isNull(6) ? json(nullptr) : json(photoQuery.text(6))}});
        }
        return photos;
    };
    Statement itemQuery(db_, "SELECT i.parcel_id, i.body, i.acked, "
                             "(SELECT count(*) FROM photo p WHERE p.inspection_id = i.inspection_id), "
                             "(SELECT max(l.printed) FROM label l WHERE l.inspection_id = i.inspection_id) "
                             "FROM inspection i ORDER BY i.confirmed_at, i.rowid");
    while ((rc = itemQuery.step()) == SQLITE_ROW) {
        const json body = json::parse(itemQuery.text(1), nullptr, false);
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
                     {"photos", itemQuery.int64(3)},
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
                     {"label_printed", itemQuery.int64(4) != 0},
                     {"acked", itemQuery.int64(2) != 0}};
        if (body.contains("trade_in")) {
            item["trade_in"] = body["trade_in"];
        }
        if (auto it = index.find(itemQuery.text(0)); it != index.end()) {
            parcels[it->second]["items"].push_back(std::move(item));
        }
    }
    if (rc != SQLITE_DONE) {
        return std::unexpected(dbError(db_, "report inspections"));
    }
    return parcels;
}

Result<std::vector<PhotoRecord>> Store::photos() const
{
    Statement query(db_, "SELECT inspection_id, view, sha256, taken_at FROM photo ORDER BY rowid");
    std::vector<PhotoRecord> photos;
    int rc = 0;
    while ((rc = query.step()) == SQLITE_ROW) {
        photos.push_back({query.text(0), query.text(1), query.text(2), query.text(3)});
    }
    if (rc != SQLITE_DONE) {
        return std::unexpected(dbError(db_, "list photos"));
    }
    return photos;
}

} // namespace retour::station
