// The SQLite backend of Store (tables of migrations/0001_ledger.sql and 0004_parcel_closures.sql).
#include "ledger/try.h"
#include "retour/contract/message.h"
#include "storage/sqlite/columns.h"
#include "storage/sqlite/stores.h"

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>

namespace retour::central {

namespace {

using sqlite::Database;
using sqlite::Statement;

using sqlite::fromJsonArray;
using sqlite::toJsonArray;

ReturnState stateFrom(const std::string& text)
{
    return parseReturnState(text).value_or(ReturnState::Authorised);
}

// state is an enum: readReturn() and insertReturn() convert it.
const auto kReturns = sqlite::columns<Return>(
    "rma_id, channel, state, order_id, customer, tracking, label_barcode, trade_in_value, created_at, "
    "updated_at",
    &Return::rmaId, &Return::channel, sqlite::Unmapped{}, &Return::orderId, &Return::customer,
    &Return::tracking, &Return::labelBarcode, &Return::tradeInValue, &Return::createdAt, &Return::updatedAt);

Return readReturn(const Statement& row)
{
    Return ret = kReturns.read(row);
    ret.state = stateFrom(row.text(2));
    return ret;
}

// rma_id is the parent's: addLine() binds it.
const auto kLines = sqlite::columns<ReturnLine>(
    "rma_id, line_id, sku, gtin, description, category, quantity, unit_price, expected_weight_g, serials, "
    "reason",
    sqlite::Unmapped{}, &ReturnLine::lineId, &ReturnLine::sku, &ReturnLine::gtin, &ReturnLine::description,
    &ReturnLine::category, &ReturnLine::quantity, &ReturnLine::unitPrice, &ReturnLine::expectedWeightG,
    &ReturnLine::serials, &ReturnLine::reason);

const auto kEvents = sqlite::columns<StoredEvent>(
    "event_id, site, station, station_seq, type, version, occurred_at, received_at, topic, payload",
    &StoredEvent::eventId, &StoredEvent::site, &StoredEvent::station, &StoredEvent::stationSeq,
    &StoredEvent::type, &StoredEvent::version, &StoredEvent::occurredAt, &StoredEvent::receivedAt,
    &StoredEvent::topic, &StoredEvent::payload);

const auto kClosures = sqlite::columns<ParcelClosure>(
    "parcel_id, rma_id, station, event_id, closed_at, found", &ParcelClosure::parcelId, &ParcelClosure::rmaId,
    &ParcelClosure::station, &ParcelClosure::eventId, &ParcelClosure::closedAt,
    &ParcelClosure::foundInspectionIds);

const auto kFindings = sqlite::columns<ReturnFinding>(
    "rma_id, parcel_id, finding, line_id, sku, quantity, inspection_id, event_id, at", &ReturnFinding::rmaId,
    &ReturnFinding::parcelId, &ReturnFinding::finding, &ReturnFinding::lineId, &ReturnFinding::sku,
    &ReturnFinding::quantity, &ReturnFinding::inspectionId, &ReturnFinding::eventId, &ReturnFinding::at);

// The inspection and the photo's position are the caller's to bind.
const auto kPhotos = sqlite::columns<Photo>("inspection_id, position, sha256, view, bytes, width, height",
                                            sqlite::Unmapped{}, sqlite::Unmapped{}, &Photo::sha256,
                                            &Photo::view, &Photo::bytes, &Photo::width, &Photo::height);

// The photos are rows of their own (inspection_photos).
const auto kInspections = sqlite::columns<Inspection>(
    "inspection_id, event_id, station, parcel_id, rma_id, reported_rma_id, line_id, channel, identified_by, "
    "item_sku, item_gtin, item_serial, item_category, item_description, weight_measured_g, "
    "weight_expected_g, weight_tolerance_g, weight_result, photo_missing_reason, findings, grade_function, "
    "grade_cosmetic, grade, disposition_code, disposition_location, disposition_rule, lpn, operator, "
    "confirmed_at",
    &Inspection::inspectionId, &Inspection::eventId, &Inspection::station, &Inspection::parcelId,
    &Inspection::rmaId, &Inspection::reportedRma, &Inspection::lineId, &Inspection::channel,
    &Inspection::identifiedBy, &Inspection::sku, &Inspection::gtin, &Inspection::serial,
    &Inspection::category, &Inspection::description, &Inspection::measuredG, &Inspection::expectedG,
    &Inspection::toleranceG, &Inspection::weightResult, &Inspection::photoMissingReason,
    &Inspection::findings, &Inspection::gradeFunction, &Inspection::gradeCosmetic, &Inspection::grade,
    &Inspection::dispositionCode, &Inspection::dispositionLocation, &Inspection::dispositionRule,
    &Inspection::lpn, &Inspection::operatorId, &Inspection::confirmedAt);

class SqliteStore final : public Store
{
public:
    explicit SqliteStore(Database& db) : db_(db) {}

    Result<void> transaction(const std::function<Result<void>()>& body) override
    {
        return db_.transaction(body);
    }

    Result<bool> hasEvent(std::string_view eventId) override
    {
        return sqlite::exists(db_, "SELECT 1 FROM events WHERE event_id = ?", eventId);
    }

    Result<void> insertEvent(const StoredEvent& event) override
    {
        return kEvents.insert(db_, "INSERT INTO events", event);
    }

    Result<std::vector<StoredEvent>> events(std::string_view station) override
    {
        return kEvents.all(db_, "FROM events WHERE ?1 = '' OR station = ?1 ORDER BY rowid", station);
    }

    Result<void> recordDeadLetter(const DeadLetter& letter) override
    {
        CENTRAL_TRY_ASSIGN(
            stmt,
            db_.prepare(
                "INSERT INTO dead_letters (topic, payload, reason, first_received_at, last_received_at) "
                "VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (topic, payload) DO UPDATE SET "
                "count = count + 1, reason = excluded.reason, "
                "last_received_at = excluded.last_received_at"));
        stmt.bind(1, letter.topic)
            .bindBlob(2, letter.payload)
            .bind(3, letter.reason)
            .bind(4, letter.receivedAt);
        return stmt.run();
    }

    Result<std::vector<DeadLetter>> deadLetters() override
    {
        CENTRAL_TRY_ASSIGN(stmt, db_.prepare("SELECT topic, payload, reason, last_received_at, count "
                                             "FROM dead_letters ORDER BY id"));
        return stmt.all([](const Statement& row) {
            return DeadLetter{row.text(0), row.text(1), row.text(2), row.text(3), row.integer(4)};
        });
    }

    Result<std::int64_t> deadLetterCount() override
    {
        return sqlite::scalar(db_, "SELECT count(*) FROM dead_letters");
    }

    Result<std::optional<Return>> findReturn(std::string_view rmaId) override
    {
        CENTRAL_TRY_ASSIGN(stmt, db_.prepare("SELECT " + kReturns.list() + " FROM returns WHERE rma_id = ?"));
        stmt.bind(1, rmaId);
        CENTRAL_TRY_ASSIGN(found, stmt.first(readReturn));
        if (found) {
            CENTRAL_TRY(fillDetails(*found));
        }
        return found;
    }

    Result<std::optional<std::string>> findReturnByParcel(std::string_view parcelId) override
    {
        CENTRAL_TRY_ASSIGN(stmt, db_.prepare("SELECT rma_id FROM return_parcels WHERE parcel_id = ? "
                                             "ORDER BY first_seen_at LIMIT 1"));
        stmt.bind(1, parcelId);
        return stmt.first([](const Statement& row) { return row.text(0); });
    }

    Result<void> insertReturn(const Return& ret) override
    {
        CENTRAL_TRY_ASSIGN(stmt, db_.prepare("INSERT INTO returns (" + kReturns.list() + ") VALUES (" +
                                             kReturns.placeholders() + ")"));
        kReturns.bind(stmt, ret);
        stmt.bind(3, toString(ret.state));
        CENTRAL_TRY(stmt.run());
        for (const ReturnLine& line : ret.lines) {
            CENTRAL_TRY(addLine(ret.rmaId, line));
        }
        return {};
    }

    Result<void> addLine(std::string_view rmaId, const ReturnLine& line) override
    {
        CENTRAL_TRY_ASSIGN(stmt,
                           db_.prepare("INSERT INTO return_lines (position, " + kLines.list() +
                                       ") VALUES ((SELECT coalesce(max(position), -1) + 1 FROM return_lines "
                                       "WHERE rma_id = ?1), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
        kLines.bind(stmt, line);
        stmt.bind(1, rmaId);
        return stmt.run();
    }

    Result<void> attachOrder(std::string_view rmaId, std::string_view orderId,
                             std::string_view customer) override
    {
        CENTRAL_TRY_ASSIGN(stmt, db_.prepare("UPDATE returns SET order_id = coalesce(order_id, ?2), "
                                             "customer = coalesce(customer, ?3) WHERE rma_id = ?1"));
        stmt.bind(1, rmaId).bind(2, orderId).bind(3, customer);
        return stmt.run();
    }

    Result<void> addParcel(std::string_view rmaId, std::string_view parcelId, std::string_view station,
                           std::string_view at) override
    {
        CENTRAL_TRY_ASSIGN(
            stmt, db_.prepare("INSERT INTO return_parcels (rma_id, parcel_id, station, first_seen_at) "
                              "VALUES (?, ?, ?, ?) ON CONFLICT (rma_id, parcel_id) DO NOTHING"));
        stmt.bind(1, rmaId).bind(2, parcelId).bind(3, station).bind(4, at);
        return stmt.run();
    }

    Result<void> recordTransition(const Transition& transition) override
    {
        CENTRAL_TRY_ASSIGN(update,
                           db_.prepare("UPDATE returns SET state = ?, updated_at = ? WHERE rma_id = ?"));
        update.bind(1, toString(transition.to)).bind(2, transition.at).bind(3, transition.rmaId);
        CENTRAL_TRY(update.run());
        if (db_.changes() != 1) {
            return fail(ErrorCode::NotFound, "no return " + transition.rmaId + " to move to " +
                                                 std::string(toString(transition.to)));
        }
        CENTRAL_TRY_ASSIGN(insert, db_.prepare("INSERT INTO return_transitions "
                                               "(rma_id, from_state, to_state, actor, reason, at, event_id) "
                                               "VALUES (?, ?, ?, ?, ?, ?, ?)"));
        insert.bind(1, transition.rmaId);
        if (transition.from) {
            insert.bind(2, toString(*transition.from));
        } else {
            insert.bindNull(2);
        }
        insert.bind(3, toString(transition.to))
            .bind(4, transition.actor)
            .bind(5, transition.reason)
            .bind(6, transition.at)
            .bind(7, transition.eventId);
        return insert.run();
    }

    Result<std::vector<Transition>> transitions(std::string_view rmaId) override
    {
        CENTRAL_TRY_ASSIGN(stmt,
                           db_.prepare("SELECT rma_id, from_state, to_state, actor, reason, at, event_id "
                                       "FROM return_transitions WHERE rma_id = ? ORDER BY id"));
        stmt.bind(1, rmaId);
        return stmt.all([](const Statement& row) {
            Transition transition;
            transition.rmaId = row.text(0);
            if (const auto from = row.optText(1)) {
                transition.from = parseReturnState(*from);
            }
            transition.to = stateFrom(row.text(2));
            transition.actor = row.text(3);
            transition.reason = row.text(4);
            transition.at = row.text(5);
            transition.eventId = row.optText(6);
            return transition;
        });
    }

    Result<std::vector<LedgerChange>> changesAfter(std::int64_t position, int limit) override
    {
        CENTRAL_TRY_ASSIGN(stmt,
                           db_.prepare("SELECT id, rma_id, to_state FROM return_transitions WHERE id > ? "
                                       "ORDER BY id LIMIT ?"));
        stmt.bind(1, position).bind(2, limit);
        return stmt.all([](const Statement& row) {
            return LedgerChange{row.integer(0), row.text(1), row.text(2)};
        });
    }

    Result<std::vector<Return>> returns() override
    {
        std::map<std::string, std::size_t, std::less<>> index;
        CENTRAL_TRY_ASSIGN(
            stmt, db_.prepare("SELECT " + kReturns.list() + " FROM returns ORDER BY created_at, rma_id"));
        CENTRAL_TRY_ASSIGN(out, stmt.all(readReturn));
        for (std::size_t i = 0; i < out.size(); ++i) {
            index.emplace(out[i].rmaId, i);
        }
        CENTRAL_TRY_ASSIGN(
            lines, db_.prepare("SELECT " + kLines.list() + " FROM return_lines ORDER BY rma_id, position"));
        CENTRAL_TRY(lines.each([&](const Statement& row) {
            if (const auto it = index.find(row.text(0)); it != index.end()) {
                out[it->second].lines.push_back(kLines.read(row));
            }
        }));
        CENTRAL_TRY_ASSIGN(parcels, db_.prepare("SELECT rma_id, parcel_id FROM return_parcels "
                                                "ORDER BY first_seen_at, parcel_id"));
        CENTRAL_TRY(parcels.each([&](const Statement& row) {
            if (const auto it = index.find(row.text(0)); it != index.end()) {
                out[it->second].parcelIds.push_back(row.text(1));
            }
        }));
        return std::move(out);
    }

    Result<bool> hasInspection(std::string_view inspectionId) override
    {
        return sqlite::exists(db_, "SELECT 1 FROM inspections WHERE inspection_id = ?", inspectionId);
    }

    Result<void> insertInspection(const Inspection& in) override
    {
        CENTRAL_TRY(kInspections.insert(db_, "INSERT INTO inspections", in));
        for (std::size_t i = 0; i < in.photos.size(); ++i) {
            const Photo& photo = in.photos[i];
            CENTRAL_TRY_ASSIGN(insert, db_.prepare("INSERT INTO inspection_photos (" + kPhotos.list() +
                                                   ") VALUES (" + kPhotos.placeholders() + ")"));
            kPhotos.bind(insert, photo);
            insert.bind(1, in.inspectionId).bind(2, static_cast<std::int64_t>(i));
            CENTRAL_TRY(insert.run());
        }
        return {};
    }

    Result<void> recordParcelClosure(const ParcelClosure& closure) override
    {
        return kClosures.insert(db_, "INSERT OR IGNORE INTO parcel_closures", closure);
    }

    Result<std::vector<ParcelClosure>> parcelClosures(std::string_view rmaId) override
    {
        return kClosures.all(db_, "FROM parcel_closures WHERE rma_id = ? ORDER BY rowid", rmaId);
    }

    Result<void> addReturnFinding(const ReturnFinding& finding) override
    {
        return kFindings.insert(db_, "INSERT INTO return_findings", finding);
    }

    Result<std::vector<ReturnFinding>> returnFindings(std::string_view rmaId) override
    {
        return kFindings.all(db_, "FROM return_findings WHERE rma_id = ? ORDER BY id", rmaId);
    }

    Result<std::vector<Inspection>> inspections(std::string_view rmaId) override
    {
        std::map<std::string, std::size_t, std::less<>> index;
        CENTRAL_TRY_ASSIGN(out,
                           kInspections.all(db_, "FROM inspections WHERE rma_id = ? ORDER BY rowid", rmaId));
        for (std::size_t i = 0; i < out.size(); ++i) {
            index.emplace(out[i].inspectionId, i);
        }
        CENTRAL_TRY_ASSIGN(stmt,
                           db_.prepare("SELECT p.inspection_id, p.sha256, p.view, p.bytes, p.width, p.height "
                                       "FROM inspection_photos p JOIN inspections i USING (inspection_id) "
                                       "WHERE i.rma_id = ? ORDER BY p.inspection_id, p.position"));
        stmt.bind(1, rmaId);
        CENTRAL_TRY(stmt.each([&](const Statement& row) {
            if (const auto it = index.find(row.text(0)); it != index.end()) {
                out[it->second].photos.push_back(Photo{row.text(1), row.optText(2), row.optInteger(3),
                                                       row.optInteger(4), row.optInteger(5)});
            }
        }));
        return std::move(out);
    }

private:
    Result<void> fillDetails(Return& ret)
    {
        CENTRAL_TRY_ASSIGN(
            readLines, kLines.all(db_, "FROM return_lines WHERE rma_id = ? ORDER BY position", ret.rmaId));
        ret.lines = std::move(readLines);
        CENTRAL_TRY_ASSIGN(parcels, db_.prepare("SELECT parcel_id FROM return_parcels WHERE rma_id = ? "
                                                "ORDER BY first_seen_at, parcel_id"));
        parcels.bind(1, ret.rmaId);
        CENTRAL_TRY_ASSIGN(ids, parcels.all([](const Statement& row) { return row.text(0); }));
        ret.parcelIds = std::move(ids);
        return {};
    }

    Database& db_;
};

} // namespace

namespace sqlite {

std::unique_ptr<Store> ledgerStore(Database& db)
{
    return std::make_unique<SqliteStore>(db);
}

} // namespace sqlite

} // namespace retour::central
