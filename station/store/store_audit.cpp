// Store operations of undo and the audit trail (migration 3): voiding a confirmed inspection
// (CMD:UNDO), audit rows with before/after, and the reads over them.
#include "retour/contract/message.h"
#include "retour/link/outbox.h"
#include "store/store.h"

namespace retour::station {

using nlohmann::json;

namespace {

json parsedOrNull(const base::sqlite::Statement& statement, int column)
{
    if (statement.isNull(column)) {
        return nullptr;
    }
    json value = json::parse(statement.text(column), nullptr, false);
    return value.is_discarded() ? json(statement.text(column)) : value;
}

} // namespace

Result<void> Store::recordChange(const std::string& actor, const std::string& action,
                                 const std::string& subject, const json& before, const json& after)
{
    auto insert = db_.prepare("INSERT INTO audit (at, actor, action, subject, detail, before, after) "
                              "VALUES (?, ?, ?, ?, '{}', ?, ?)");
    if (!insert) {
        return std::unexpected(databaseError(insert.error()));
    }
    insert->bind(1, nowTimestamp())
        .bind(2, actor)
        .bind(3, action)
        .bind(4, subject)
        .bind(5, before.dump(-1, ' ', false, json::error_handler_t::replace))
        .bind(6, after.dump(-1, ' ', false, json::error_handler_t::replace));
    if (!insert->run()) {
        return std::unexpected(databaseError(db_.error("audit " + action)));
    }
    return {};
}

Result<void> Store::voidInspection(const std::string& inspectionId, const std::string& actor,
                                   const std::string& at)
{
    auto tx = base::sqlite::Transaction::begin(db_, {.durable = true});
    if (!tx) {
        return std::unexpected(databaseError(db_.error("begin (void)")));
    }
    auto read = db_.prepare("SELECT i.parcel_id, i.lpn, i.grade, i.disposition, i.location, i.voided_at, "
                            "p.closed_at, i.rma_id, i.line_id FROM inspection i "
                            "JOIN parcel p ON p.parcel_id = i.parcel_id WHERE i.inspection_id = ?");
    if (!read) {
        return std::unexpected(databaseError(read.error()));
    }
    read->bind(1, inspectionId);
    if (!read->step().value_or(false)) {
        return fail(ErrorCode::Database, "station database: no inspection " + inspectionId + " to void");
    }
    if (!read->isNull(5)) {
        return fail(ErrorCode::Database, "station database: inspection " + inspectionId +
                                             " was voided already at " + read->text(5));
    }
    if (!read->isNull(6)) {
        return fail(ErrorCode::Database, "station database: inspection " + inspectionId +
                                             " cannot be voided: parcel " + read->text(0) +
                                             " was closed at " + read->text(6));
    }
    const std::string lpn = read->text(1);
    const json before = {{"lpn", lpn},
                         {"grade", read->text(2)},
                         {"disposition", read->text(3)},
                         {"location", read->text(4)},
                         {"state", "confirmed"}};
    sync::InspectionVoided data{inspectionId, read->text(0), std::nullopt, std::nullopt, lpn, actor, at};
    if (!read->isNull(7)) {
        data.rmaId = read->text(7);
    }
    if (!read->isNull(8)) {
        data.lineId = read->text(8);
    }

    auto mark = db_.prepare("UPDATE inspection SET voided_at = ?, voided_by = ? WHERE inspection_id = ?");
    if (!mark) {
        return std::unexpected(databaseError(mark.error()));
    }
    mark->bind(1, at).bind(2, actor).bind(3, inspectionId);
    // A job still waiting for the printer is retired, so a void label is never printed.
    auto labels = db_.prepare("UPDATE label SET void = 1, printed = 1, reason = 'void' "
                              "WHERE inspection_id = ? AND printed = 0");
    if (!labels) {
        return std::unexpected(databaseError(labels.error()));
    }
    labels->bind(1, inspectionId);
    auto printedLabels = db_.prepare("UPDATE label SET void = 1 WHERE inspection_id = ?");
    if (!printedLabels) {
        return std::unexpected(databaseError(printedLabels.error()));
    }
    printedLabels->bind(1, inspectionId);
    if (!mark->run() || !labels->run() || !printedLabels->run()) {
        return std::unexpected(databaseError(db_.error("void inspection " + inspectionId)));
    }
    auto event = enqueue(data);
    if (!event) {
        return std::unexpected(event.error());
    }
    if (auto ok = recordChange(actor, "inspection.voided", inspectionId, before,
                               {{"lpn", lpn}, {"state", "void"}, {"event_id", event->eventId}});
        !ok) {
        return ok;
    }
    return commit(*tx);
}

Result<json> Store::auditTrail() const
{
    auto query =
        db_.prepare("SELECT at, actor, action, subject, detail, before, after FROM audit ORDER BY id");
    if (!query) {
        return std::unexpected(databaseError(query.error()));
    }
    json rows = json::array();
    base::Result<bool> rc;
    while ((rc = query->step()) && *rc) {
        rows.push_back({{"at", query->text(0)},
                        {"actor", query->text(1)},
                        {"action", query->text(2)},
                        {"subject", query->text(3)},
                        {"detail", parsedOrNull(*query, 4)},
                        {"before", parsedOrNull(*query, 5)},
                        {"after", parsedOrNull(*query, 6)}});
    }
    if (!rc) {
        return std::unexpected(databaseError(db_.error("read audit trail")));
    }
    return rows;
}

Result<std::vector<std::string>> Store::voidedInspections() const
{
    auto query =
        db_.prepare("SELECT inspection_id FROM inspection WHERE voided_at IS NOT NULL ORDER BY voided_at");
    if (!query) {
        return std::unexpected(databaseError(query.error()));
    }
    std::vector<std::string> ids;
    base::Result<bool> rc;
    while ((rc = query->step()) && *rc) {
        ids.push_back(query->text(0));
    }
    if (!rc) {
        return std::unexpected(databaseError(db_.error("read voided inspections")));
    }
    return ids;
}

} // namespace retour::station
