// Returns reports and inspection evidence from central's database (see reports.h).
#include "reports/reports.h"

#include "ledger/try.h"
#include "retour/base/time.h"
#include "stock/stock.h"
#include "storage/sqlite/sqlite_db.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

namespace retour::central {

namespace {

using nlohmann::json;

std::vector<std::string> jsonStrings(const std::string& text)
{
    std::vector<std::string> out;
    const json doc = json::parse(text, nullptr, false);
    if (doc.is_array()) {
        for (const json& element : doc) {
            if (element.is_string()) {
                out.push_back(element.get<std::string>());
            }
        }
    }
    return out;
}

// Rows of (key, count) as a JSON object.
Result<json> counts(sqlite::Database& db, const std::string& sql, std::string_view since)
{
    CENTRAL_TRY_ASSIGN(stmt, db.prepare(sql));
    stmt.bind(1, since);
    json out = json::object();
    while (true) {
        CENTRAL_TRY_ASSIGN(row, stmt.step());
        if (!row) {
            break;
        }
        out[stmt.text(0)] = stmt.integer(1);
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

Result<json> returnsReports(sqlite::Database& db, std::string_view since)
{
    json report;
    report["since"] = since.empty() ? json() : json(since);

    CENTRAL_TRY_ASSIGN(byChannel, counts(db,
                                         "SELECT channel, COUNT(*) FROM returns WHERE created_at >= ? "
                                         "GROUP BY channel ORDER BY channel",
                                         since));
    CENTRAL_TRY_ASSIGN(byState, counts(db,
                                       "SELECT state, COUNT(*) FROM returns WHERE created_at >= ? "
                                       "GROUP BY state ORDER BY state",
                                       since));
    std::int64_t total = 0;
    for (const auto& [key, value] : byChannel.items()) {
        total += value.get<std::int64_t>();
    }
    report["returns"] = {{"total", total}, {"by_channel", byChannel}, {"by_state", byState}};

    {
        CENTRAL_TRY_ASSIGN(stmt, db.prepare("SELECT COALESCE(l.reason, '(none)'), COUNT(*), SUM(l.quantity) "
                                            "FROM return_lines l JOIN returns r ON r.rma_id = l.rma_id "
                                            "WHERE r.created_at >= ? GROUP BY 1 ORDER BY 3 DESC, 1"));
        stmt.bind(1, since);
        json reasons = json::array();
        while (true) {
            CENTRAL_TRY_ASSIGN(row, stmt.step());
            if (!row) {
                break;
            }
            reasons.push_back(
                {{"reason", stmt.text(0)}, {"lines", stmt.integer(1)}, {"units", stmt.integer(2)}});
        }
        report["reasons"] = reasons;
    }
    {
        CENTRAL_TRY_ASSIGN(
            stmt, db.prepare("SELECT o.sku, o.ordered, COALESCE(r.returned, 0) FROM "
                             "(SELECT sku, SUM(quantity) AS ordered FROM order_lines GROUP BY sku) o "
                             "LEFT JOIN (SELECT l.sku, SUM(l.quantity) AS returned FROM return_lines l "
                             "JOIN returns x ON x.rma_id = l.rma_id WHERE x.state NOT IN ('cancelled', "
                             "'rejected', 'expired') AND x.created_at >= ? GROUP BY l.sku) r "
                             "ON r.sku = o.sku ORDER BY o.sku"));
        stmt.bind(1, since);
        json rates = json::array();
        while (true) {
            CENTRAL_TRY_ASSIGN(row, stmt.step());
            if (!row) {
                break;
            }
            const std::int64_t ordered = stmt.integer(1);
            const std::int64_t returned = stmt.integer(2);
            rates.push_back(
                {{"sku", stmt.text(0)},
                 {"ordered_units", ordered},
                 {"returned_units", returned},
                 {"rate", ordered > 0 ? static_cast<double>(returned) / static_cast<double>(ordered) : 0.0}});
        }
        report["rates"] = rates;
    }
    CENTRAL_TRY_ASSIGN(grades, counts(db,
                                      "SELECT grade, COUNT(*) FROM inspections i JOIN events e "
                                      "ON e.event_id = i.event_id WHERE e.occurred_at >= ? GROUP BY grade "
                                      "ORDER BY grade",
                                      since));
    CENTRAL_TRY_ASSIGN(dispositions,
                       counts(db,
                              "SELECT disposition_code, COUNT(*) FROM inspections i JOIN events e "
                              "ON e.event_id = i.event_id WHERE e.occurred_at >= ? "
                              "GROUP BY disposition_code ORDER BY disposition_code",
                              since));
    report["grades"] = grades;
    report["dispositions"] = dispositions;

    // Recovery, fraud flags and throughput from every inspection with its line.
    CENTRAL_TRY_ASSIGN(stmt,
                       db.prepare("SELECT i.inspection_id, i.rma_id, i.station, COALESCE(i.operator, ''), "
                                  "COALESCE(i.confirmed_at, e.occurred_at), i.disposition_code, "
                                  "i.weight_result, i.findings, i.item_serial, COALESCE(l.unit_price, 0), "
                                  "l.serials, l.sku, i.item_sku, i.line_id "
                                  "FROM inspections i JOIN events e ON e.event_id = i.event_id "
                                  "LEFT JOIN return_lines l ON l.rma_id = i.rma_id AND l.line_id = i.line_id "
                                  "WHERE e.occurred_at >= ? ORDER BY 5"));
    stmt.bind(1, since);
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
    while (true) {
        CENTRAL_TRY_ASSIGN(row, stmt.step());
        if (!row) {
            break;
        }
        const double price = stmt.optReal(9).value_or(0);
        value += price;
        recovery += price * recoveryShare(stmt.text(5));
        std::set<std::string> flags;
        for (const std::string& finding : jsonStrings(stmt.text(7))) {
            if (flagCounts.contains(finding)) {
                flags.insert(finding);
            }
        }
        if (stmt.text(6) == "mismatch") {
            flags.insert("weight_mismatch");
        }
        // A line whose SKU differs from the item's is a wrong item; a serial none of the return's
        // line shipped is a serial mismatch.
        if (!stmt.isNull(11) && !stmt.isNull(12) && stmt.text(11) != stmt.text(12)) {
            flags.insert("wrong_item");
        }
        const auto shipped = jsonStrings(stmt.text(10));
        if (!stmt.isNull(8) && !shipped.empty() &&
            std::find(shipped.begin(), shipped.end(), stmt.text(8)) == shipped.end()) {
            flags.insert("serial_mismatch");
        }
        if (!flags.empty()) {
            for (const std::string& flag : flags) {
                ++flagCounts[flag];
            }
            flaggedReturns.insert(stmt.text(1));
            flagged.push_back({{"inspection_id", stmt.text(0)},
                               {"rma_id", stmt.text(1)},
                               {"station", stmt.text(2)},
                               {"flags", std::vector<std::string>(flags.begin(), flags.end())}});
        }
        Bench& bench = benches[{stmt.text(2), stmt.text(3)}];
        ++bench.inspections;
        const std::string at = stmt.text(4);
        bench.first = bench.first.empty() ? at : std::min(bench.first, at);
        bench.last = std::max(bench.last, at);
    }
    {
        CENTRAL_TRY_ASSIGN(refunds, db.prepare("SELECT state, COUNT(*), SUM(amount_cents) FROM refunds "
                                               "WHERE decided_at >= ? GROUP BY state ORDER BY state"));
        refunds.bind(1, since);
        json states = json::object();
        std::int64_t paid = 0;
        while (true) {
            CENTRAL_TRY_ASSIGN(row, refunds.step());
            if (!row) {
                break;
            }
            states[refunds.text(0)] = refunds.integer(1);
            paid += refunds.text(0) == "refunded" ? refunds.integer(2) : 0;
        }
        report["recovery"] = {{"inspected_value", std::round(value * 100) / 100},
                              {"estimated_recovery", std::round(recovery * 100) / 100},
                              {"recovery_rate", value > 0 ? recovery / value : 0.0},
                              {"refunded", static_cast<double>(paid) / 100.0},
                              {"refunds_by_state", states}};
    }
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

Result<json> inspectionEvidence(sqlite::Database& db, std::string_view rmaId)
{
    CENTRAL_TRY_ASSIGN(known, db.prepare("SELECT state FROM returns WHERE rma_id = ?"));
    known.bind(1, rmaId);
    CENTRAL_TRY_ASSIGN(exists, known.step());
    if (!exists) {
        return fail(ErrorCode::NotFound, "return " + std::string(rmaId) + " not found");
    }
    json out{{"rma_id", rmaId}, {"state", known.text(0)}, {"inspections", json::array()}};
    CENTRAL_TRY_ASSIGN(stmt,
                       db.prepare("SELECT inspection_id, station, operator, confirmed_at, line_id, item_sku, "
                                  "item_serial, grade, disposition_code, findings, weight_result, "
                                  "weight_measured_g, weight_expected_g, event_id, photo_missing_reason "
                                  "FROM inspections WHERE rma_id = ? ORDER BY confirmed_at, inspection_id"));
    stmt.bind(1, rmaId);
    while (true) {
        CENTRAL_TRY_ASSIGN(row, stmt.step());
        if (!row) {
            break;
        }
        auto opt = [&](int column) { return stmt.isNull(column) ? json() : json(stmt.text(column)); };
        json inspection{{"inspection_id", stmt.text(0)},
                        {"station", stmt.text(1)},
                        {"operator", opt(2)},
                        {"confirmed_at", opt(3)},
                        {"line_id", opt(4)},
                        {"sku", opt(5)},
                        {"serial", opt(6)},
                        {"grade", stmt.text(7)},
                        {"disposition", stmt.text(8)},
                        {"findings", jsonStrings(stmt.text(9))},
                        {"weight",
                         {{"result", stmt.text(10)},
                          {"measured_g", stmt.optReal(11) ? json(*stmt.optReal(11)) : json()},
                          {"expected_g", stmt.optReal(12) ? json(*stmt.optReal(12)) : json()}}},
                        {"event_id", stmt.text(13)},
                        {"photo_missing_reason", opt(14)},
                        {"photos", json::array()}};
        CENTRAL_TRY_ASSIGN(photos,
                           db.prepare("SELECT sha256, view, bytes, width, height FROM inspection_photos "
                                      "WHERE inspection_id = ? ORDER BY position"));
        photos.bind(1, stmt.text(0));
        while (true) {
            CENTRAL_TRY_ASSIGN(photo, photos.step());
            if (!photo) {
                break;
            }
            inspection["photos"].push_back(
                {{"sha256", photos.text(0)},
                 {"view", photos.isNull(1) ? json() : json(photos.text(1))},
                 {"bytes", photos.optInteger(2) ? json(*photos.optInteger(2)) : json()}});
        }
        out["inspections"].push_back(std::move(inspection));
    }
    return out;
}

} // namespace retour::central
