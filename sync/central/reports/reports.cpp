// Returns reports and inspection evidence from central's database (see reports.h).
#include "reports/reports.h"

#include "ledger/try.h"
#include "retour/base/time.h"
#include "stock/stock.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

namespace retour::central {

namespace {

using nlohmann::json;

json counts(const std::vector<KeyCount>& rows)
{
    json out = json::object();
    for (const KeyCount& row : rows) {
        out[row.key] = row.count;
    }
    return out;
}

double hoursBetween(const std::string& first, const std::string& last)
{
    // RFC 3339 text through the one parser, so a span over a month's (or year's) end counts.
    const auto from = base::parseTimestamp(first);
    const auto to = base::parseTimestamp(last);
    if (!from || !to) {
        return 0;
    }
    return std::chrono::duration<double, std::ratio<3600>>(*to - *from).count();
}

} // namespace

double recoveryShare(std::string_view disposition)
{
    static constexpr std::pair<std::string_view, double> kShares[] = {
        {"restock_new", 0.90}, {"open_box", 0.55},         {"resale_second_hand", 0.40},
        {"refurbish", 0.30},   {"return_to_vendor", 0.50}, {"donate", 0.0},
        {"recycle", 0.05},     {"destroy", 0.0},           {"quarantine", 0.0},
    };
    for (const auto& [code, share] : kShares) {
        if (code == disposition) {
            return share;
        }
    }
    return 0.0;
}

Result<json> returnsReports(ReportStore& store, std::string_view since)
{
    json report;
    report["since"] = since.empty() ? json() : json(since);

    CENTRAL_TRY_ASSIGN(channels, store.returnsByChannel(since));
    CENTRAL_TRY_ASSIGN(stateRows, store.returnsByState(since));
    const json byChannel = counts(channels);
    std::int64_t total = 0;
    for (const auto& [key, value] : byChannel.items()) {
        total += value.get<std::int64_t>();
    }
    report["returns"] = {{"total", total}, {"by_channel", byChannel}, {"by_state", counts(stateRows)}};

    CENTRAL_TRY_ASSIGN(reasonRows, store.reasons(since));
    json reasons = json::array();
    for (const ReasonCount& reason : reasonRows) {
        reasons.push_back({{"reason", reason.reason}, {"lines", reason.lines}, {"units", reason.units}});
    }
    report["reasons"] = reasons;

    CENTRAL_TRY_ASSIGN(skus, store.returnsBySku(since));
    json rates = json::array();
    for (const SkuReturns& sku : skus) {
        rates.push_back(
            {{"sku", sku.sku},
             {"ordered_units", sku.ordered},
             {"returned_units", sku.returned},
             {"rate",
              sku.ordered > 0 ? static_cast<double>(sku.returned) / static_cast<double>(sku.ordered) : 0.0}});
    }
    report["rates"] = rates;
    CENTRAL_TRY_ASSIGN(grades, store.inspectionsByGrade(since));
    CENTRAL_TRY_ASSIGN(dispositions, store.inspectionsByDisposition(since));
    report["grades"] = counts(grades);
    report["dispositions"] = counts(dispositions);

    // Recovery, fraud flags and throughput from every inspection with its line.
    CENTRAL_TRY_ASSIGN(inspections, store.inspectionFacts(since));
    double value = 0;
    double recovery = 0;
    json flagged = json::array();
    std::map<std::string, std::int64_t> flagCounts{
        {"weight_mismatch", 0}, {"wrong_item", 0}, {"serial_mismatch", 0}};
    std::set<std::string> flaggedReturns;
    struct Bench
    {
        std::int64_t inspections = 0;
        std::string first, last;
    };
    std::map<std::pair<std::string, std::string>, Bench> benches;
    for (const InspectionFacts& inspection : inspections) {
        value += inspection.unitPrice;
        recovery += inspection.unitPrice * recoveryShare(inspection.dispositionCode);
        std::set<std::string> flags;
        for (const std::string& finding : inspection.findings) {
            if (flagCounts.contains(finding)) {
                flags.insert(finding);
            }
        }
        if (inspection.weightResult == "mismatch") {
            flags.insert("weight_mismatch");
        }
        // A line whose SKU differs from the item's is a wrong item; a serial none of the return's
        // line shipped is a serial mismatch.
        if (inspection.lineSku && inspection.itemSku && *inspection.lineSku != *inspection.itemSku) {
            flags.insert("wrong_item");
        }
        const auto& shipped = inspection.shippedSerials;
        if (inspection.itemSerial && !shipped.empty() &&
            std::find(shipped.begin(), shipped.end(), *inspection.itemSerial) == shipped.end()) {
            flags.insert("serial_mismatch");
        }
        if (!flags.empty()) {
            for (const std::string& flag : flags) {
                ++flagCounts[flag];
            }
            flaggedReturns.insert(inspection.rmaId);
            flagged.push_back({{"inspection_id", inspection.inspectionId},
                               {"rma_id", inspection.rmaId},
                               {"station", inspection.station},
                               {"flags", std::vector<std::string>(flags.begin(), flags.end())}});
        }
        Bench& bench = benches[{inspection.station, inspection.operatorId}];
        ++bench.inspections;
        bench.first = bench.first.empty() ? inspection.at : std::min(bench.first, inspection.at);
        bench.last = std::max(bench.last, inspection.at);
    }
    CENTRAL_TRY_ASSIGN(refunds, store.refundTotals(since));
    json states = json::object();
    std::int64_t paid = 0;
    for (const RefundTotal& refund : refunds) {
        states[refund.state] = refund.count;
        paid += refund.state == "refunded" ? refund.amountCents : 0;
    }
    report["recovery"] = {{"inspected_value", std::round(value * 100) / 100},
                          {"estimated_recovery", std::round(recovery * 100) / 100},
                          {"recovery_rate", value > 0 ? recovery / value : 0.0},
                          {"refunded", static_cast<double>(paid) / 100.0},
                          {"refunds_by_state", states}};
    report["fraud"] = {{"weight_mismatch", flagCounts["weight_mismatch"]},
                       {"wrong_item", flagCounts["wrong_item"]},
                       {"serial_mismatch", flagCounts["serial_mismatch"]},
                       {"returns_flagged", flaggedReturns.size()},
                       {"items", flagged}};
    json throughput = json::array();
    for (const auto& [key, bench] : benches) {
        const double hours = hoursBetween(bench.first, bench.last);
        throughput.push_back(
            {{"station", key.first},
             {"operator", key.second},
             {"inspections", bench.inspections},
             {"first", bench.first},
             {"last", bench.last},
             {"per_hour", hours > 0 ? json(static_cast<double>(bench.inspections) / hours) : json()}});
    }
    report["throughput"] = throughput;
    return report;
}

std::string reportsCsv(const json& report)
{
    std::string out = "section,key,count,value\r\n";
    auto row = [&](std::string_view section, std::string_view key, const json& count, const json& value) {
        auto text = [](const json& v) {
            return v.is_null() ? std::string() : v.is_string() ? v.get<std::string>() : v.dump();
        };
        out += csvField(section) + "," + csvField(key) + "," + csvField(text(count)) + "," +
               csvField(text(value)) + "\r\n";
    };
    const json& returns = report.at("returns");
    row("returns", "total", returns.at("total"), nullptr);
    for (const auto& [key, value] : returns.at("by_channel").items()) {
        row("returns.channel", key, value, nullptr);
    }
    for (const auto& [key, value] : returns.at("by_state").items()) {
        row("returns.state", key, value, nullptr);
    }
    for (const json& reason : report.at("reasons")) {
        row("reasons", reason.at("reason").get<std::string>(), reason.at("units"), reason.at("lines"));
    }
    for (const json& rate : report.at("rates")) {
        row("rates", rate.at("sku").get<std::string>(), rate.at("returned_units"), rate.at("rate"));
    }
    for (const auto& [key, value] : report.at("grades").items()) {
        row("grades", key, value, nullptr);
    }
    for (const auto& [key, value] : report.at("dispositions").items()) {
        row("dispositions", key, value, nullptr);
    }
    for (const char* key : {"inspected_value", "estimated_recovery", "recovery_rate", "refunded"}) {
        row("recovery", key, nullptr, report.at("recovery").at(key));
    }
    for (const char* key : {"weight_mismatch", "wrong_item", "serial_mismatch", "returns_flagged"}) {
        row("fraud", key, report.at("fraud").at(key), nullptr);
    }
    for (const json& bench : report.at("throughput")) {
        row("throughput",
            bench.at("station").get<std::string>() + "/" + bench.at("operator").get<std::string>(),
            bench.at("inspections"), bench.at("per_hour"));
    }
    return out;
}

Result<json> inspectionEvidence(Store& store, std::string_view rmaId)
{
    CENTRAL_TRY_ASSIGN(ret, store.findReturn(rmaId));
    if (!ret) {
        return fail(ErrorCode::NotFound, "return " + std::string(rmaId) + " not found");
    }
    CENTRAL_TRY_ASSIGN(inspections, store.inspections(rmaId));
    // By confirmation time (none first), then id.
    std::sort(inspections.begin(), inspections.end(), [](const Inspection& a, const Inspection& b) {
        return std::tie(a.confirmedAt, a.inspectionId) < std::tie(b.confirmedAt, b.inspectionId);
    });
    auto opt = [](const auto& value) { return value ? json(*value) : json(); };
    json out{{"rma_id", rmaId}, {"state", toString(ret->state)}, {"inspections", json::array()}};
    for (const Inspection& in : inspections) {
        json inspection{{"inspection_id", in.inspectionId},
                        {"station", in.station},
                        {"operator", opt(in.operatorId)},
                        {"confirmed_at", opt(in.confirmedAt)},
                        {"line_id", opt(in.lineId)},
                        {"sku", opt(in.sku)},
                        {"serial", opt(in.serial)},
                        {"grade", in.grade},
                        {"disposition", in.dispositionCode},
                        {"findings", in.findings},
                        {"weight",
                         {{"result", in.weightResult},
                          {"measured_g", opt(in.measuredG)},
                          {"expected_g", opt(in.expectedG)}}},
                        {"event_id", in.eventId},
                        {"photo_missing_reason", opt(in.photoMissingReason)},
                        {"photos", json::array()}};
        for (const Photo& photo : in.photos) {
            inspection["photos"].push_back(
                {{"sha256", photo.sha256}, {"view", opt(photo.view)}, {"bytes", opt(photo.bytes)}});
        }
        out["inspections"].push_back(std::move(inspection));
    }
    return out;
}

} // namespace retour::central
