// The reporting commands' output: JSON for scripts, aligned tables for people.
#include "reports/listings.h"

#include "ledger/try.h"

#include <algorithm>
#include <sstream>
#include <vector>

namespace retour::central {

namespace {

using nlohmann::json;

template <class T> json orNull(const std::optional<T>& value)
{
    return value ? json(*value) : json(nullptr);
}

std::string text(const json& value)
{
    if (value.is_null()) {
        return "-";
    }
    if (value.is_string()) {
        return value.get<std::string>();
    }
    return value.dump();
}

// Columns padded to their widest cell; the last column is not padded.
std::string table(const std::vector<std::vector<std::string>>& rows, std::string_view indent = "")
{
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        widths.resize(std::max(widths.size(), row.size()), 0);
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths[i] = std::max(widths[i], row[i].size());
        }
    }
    std::string out;
    for (const auto& row : rows) {
        out += indent;
        for (std::size_t i = 0; i < row.size(); ++i) {
            out += row[i];
            if (i + 1 < row.size()) {
                out += std::string(widths[i] - row[i].size() + 2, ' ');
            }
        }
        out += '\n';
    }
    return out;
}

json inspectionJson(const Inspection& in)
{
    json photos = json::array();
    for (const Photo& photo : in.photos) {
        photos.push_back({{"sha256", photo.sha256},
                          {"view", orNull(photo.view)},
                          {"bytes", orNull(photo.bytes)},
                          {"width", orNull(photo.width)},
                          {"height", orNull(photo.height)}});
    }
    return {
        {"inspection_id", in.inspectionId},
        {"event_id", in.eventId},
        {"station", in.station},
        {"parcel_id", in.parcelId},
        {"line_id", orNull(in.lineId)},
        {"reported_rma_id", orNull(in.reportedRma)},
        {"identified_by", orNull(in.identifiedBy)},
        {"item",
         {{"sku", orNull(in.sku)},
          {"gtin", orNull(in.gtin)},
          {"serial", orNull(in.serial)},
          {"category", orNull(in.category)},
          {"description", orNull(in.description)}}},
        {"weight",
         {{"result", in.weightResult},
          {"measured_g", orNull(in.measuredG)},
          {"expected_g", orNull(in.expectedG)},
          {"tolerance_g", orNull(in.toleranceG)}}},
        {"photos", std::move(photos)},
        {"photo_missing_reason", orNull(in.photoMissingReason)},
        {"findings", in.findings},
        {"grade",
         {{"function", orNull(in.gradeFunction)},
          {"cosmetic", orNull(in.gradeCosmetic)},
          {"grade", in.grade}}},
        {"disposition",
         {{"code", in.dispositionCode},
          {"location", orNull(in.dispositionLocation)},
          {"rule", orNull(in.dispositionRule)}}},
        {"lpn", orNull(in.lpn)},
        {"operator", orNull(in.operatorId)},
        {"confirmed_at", orNull(in.confirmedAt)},
    };
}

// When the return first reached `state`, from its history.
json firstReached(const std::vector<Transition>& history, ReturnState state)
{
    for (const Transition& transition : history) {
        if (static_cast<int>(transition.to) >= static_cast<int>(state)) {
            return transition.at;
        }
    }
    return nullptr;
}

} // namespace

Result<json> returnsReport(Store& store)
{
    CENTRAL_TRY_ASSIGN(all, store.returns());
    json returns = json::array();
    for (const Return& ret : all) {
        CENTRAL_TRY_ASSIGN(inspections, store.inspections(ret.rmaId));
        CENTRAL_TRY_ASSIGN(history, store.transitions(ret.rmaId));

        json lines = json::array();
        for (const ReturnLine& line : ret.lines) {
            json ids = json::array();
            for (const Inspection& in : inspections) {
                if (in.lineId == line.lineId) {
                    ids.push_back(in.inspectionId);
                }
            }
            lines.push_back({
                {"line_id", line.lineId},
                {"sku", line.sku},
                {"gtin", orNull(line.gtin)},
                {"description", line.description},
                {"category", line.category},
                {"quantity", line.quantity},
                {"unit_price", orNull(line.unitPrice)},
                {"expected_weight_g", orNull(line.expectedWeightG)},
                {"serials", line.serials},
                {"reason", orNull(line.reason)},
                {"inspected", ids.size()},
                {"inspection_ids", std::move(ids)},
            });
        }
        json inspected = json::array();
        for (const Inspection& in : inspections) {
            inspected.push_back(inspectionJson(in));
        }
        CENTRAL_TRY_ASSIGN(raised, store.returnFindings(ret.rmaId));
        json findings = json::array();
        for (const ReturnFinding& finding : raised) {
            findings.push_back({{"finding", finding.finding},
                                {"parcel_id", finding.parcelId},
                                {"line_id", orNull(finding.lineId)},
                                {"sku", orNull(finding.sku)},
                                {"quantity", finding.quantity},
                                {"inspection_id", orNull(finding.inspectionId)},
                                {"event_id", finding.eventId},
                                {"at", finding.at}});
        }
        json trail = json::array();
        for (const Transition& transition : history) {
            trail.push_back({
                {"from", transition.from ? json(toString(*transition.from)) : json(nullptr)},
                {"to", toString(transition.to)},
                {"actor", transition.actor},
                {"reason", transition.reason},
                {"at", transition.at},
                {"event_id", orNull(transition.eventId)},
            });
        }
        returns.push_back({
            {"rma_id", ret.rmaId},
            {"channel", ret.channel},
            {"state", toString(ret.state)},
            {"order_id", orNull(ret.orderId)},
            {"customer", orNull(ret.customer)},
            {"tracking", orNull(ret.tracking)},
            {"label_barcode", ret.labelBarcode},
            {"trade_in_value", orNull(ret.tradeInValue)},
            {"parcel_ids", ret.parcelIds},
            {"findings", std::move(findings)},
            {"lines", std::move(lines)},
            {"inspections", std::move(inspected)},
            {"created_at", ret.createdAt},
            {"updated_at", ret.updatedAt},
            {"received_at", firstReached(history, ReturnState::Received)},
            {"inspected_at", firstReached(history, ReturnState::Inspected)},
            {"history", std::move(trail)},
        });
    }
    return returns;
}

std::string formatReturnsTable(const json& report)
{
    const json& returns = report;
    if (returns.empty()) {
        return "no returns\n";
    }
    std::string out;
    for (const json& ret : returns) {
        std::size_t expected = 0;
        std::size_t done = 0;
        for (const json& line : ret.at("lines")) {
            const auto quantity = line.at("quantity").get<std::size_t>();
            expected += quantity;
            done += std::min(line.at("inspected").get<std::size_t>(), quantity);
        }
        out += table(
            {{"RMA", "CHANNEL", "STATE", "ORDER", "CUSTOMER", "PARCELS", "INSPECTED", "UPDATED"},
             {text(ret.at("rma_id")), text(ret.at("channel")), text(ret.at("state")),
              text(ret.at("order_id")), text(ret.at("customer")), std::to_string(ret.at("parcel_ids").size()),
              std::to_string(done) + "/" + std::to_string(expected), text(ret.at("updated_at"))}});
        std::vector<std::vector<std::string>> lines;
        for (const json& line : ret.at("lines")) {
            lines.push_back({"line " + text(line.at("line_id")), text(line.at("sku")),
                             text(line.at("description")), "expected " + text(line.at("quantity")),
                             "inspected " + text(line.at("inspected"))});
        }
        for (const json& in : ret.at("inspections")) {
            const json& disposition = in.at("disposition");
            lines.push_back({"inspection", text(in.at("inspection_id")), "line " + text(in.at("line_id")),
                             "grade " + text(in.at("grade").at("grade")),
                             text(disposition.at("code")) + " @ " + text(disposition.at("location")),
                             "weight " + text(in.at("weight").at("result")), text(in.at("station"))});
        }
        out += table(lines, "    ");
        out += '\n';
    }
    return out;
}

Result<json> eventsReport(Store& store, std::string_view station)
{
    CENTRAL_TRY_ASSIGN(events, store.events(station));
    CENTRAL_TRY_ASSIGN(deadLetters, store.deadLetterCount());
    json rows = json::array();
    for (const StoredEvent& event : events) {
        rows.push_back({
            {"event_id", event.eventId},
            {"station", event.station},
            {"station_seq", event.stationSeq},
            {"type", event.type},
            {"occurred_at", event.occurredAt},
            {"received_at", event.receivedAt},
        });
    }
    return json{{"events", std::move(rows)}, {"dead_letters", deadLetters}};
}

std::string formatEventsTable(const json& report)
{
    std::vector<std::vector<std::string>> rows{
        {"EVENT_ID", "STATION", "SEQ", "TYPE", "OCCURRED_AT", "RECEIVED_AT"}};
    for (const json& event : report.at("events")) {
        rows.push_back({text(event.at("event_id")), text(event.at("station")), text(event.at("station_seq")),
                        text(event.at("type")), text(event.at("occurred_at")),
                        text(event.at("received_at"))});
    }
    std::ostringstream out;
    out << table(rows) << report.at("events").size() << " event(s), " << text(report.at("dead_letters"))
        << " dead letter(s)\n";
    return out.str();
}

} // namespace retour::central
