// Staff routes of refunds, stock and reports (see routes.h).
#include "reports/routes.h"

#include "refunds/refunds.h"
#include "reports/reports.h"
#include "stock/stock.h"
#include "storage/sqlite/sqlite_db.h"

namespace retour::central {

namespace {

using nlohmann::json;

ApiResponse reply(int status, const json& body)
{
    return ApiResponse{status, "application/json", body.dump(-1, ' ', false, json::error_handler_t::replace)};
}

ApiResponse problem(int status, const std::string& message)
{
    return reply(status, json{{"error", {{"status", status}, {"message", message}}}});
}

std::string queryValue(const ApiRequest& request, const std::string& key)
{
    const auto it = request.query.find(key);
    return it == request.query.end() ? "" : it->second;
}

ApiResponse fromError(const Error& error)
{
    return problem(error.code == ErrorCode::NotFound ? 404 : 500, error.message);
}

json refundJson(sqlite::Statement& stmt)
{
    return {{"refund_id", stmt.text(0)},
            {"rma_id", stmt.text(1)},
            {"trigger", stmt.text(2)},
            {"rule", stmt.text(3)},
            {"amount_cents", stmt.integer(4)},
            {"full_cents", stmt.integer(5)},
            {"currency", stmt.text(6)},
            {"keep_item", stmt.integer(7) != 0},
            {"state", stmt.text(8)},
            {"reason", stmt.isNull(9) ? json() : json(stmt.text(9))},
            {"decided_at", stmt.text(10)},
            {"settled_at", stmt.isNull(11) ? json() : json(stmt.text(11))},
            {"lines", json::parse(stmt.text(12), nullptr, false)}};
}

} // namespace

Result<json> refundsList(sqlite::Database& db)
{
    auto stmt = db.prepare(
        "SELECT refund_id, rma_id, trigger, trigger_rule, amount_cents, full_cents, currency, "
        "keep_item, state, reason, decided_at, settled_at, lines FROM refunds ORDER BY decided_at");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    json out = json::array();
    while (true) {
        auto row = stmt->step();
        if (!row) {
            return std::unexpected(row.error());
        }
        if (!*row) {
            break;
        }
        out.push_back(refundJson(*stmt));
    }
    return out;
}

std::optional<ApiResponse> answerOutcomeRoute(const std::filesystem::path& database,
                                              const ApiRequest& request,
                                              const std::vector<std::string>& parts)
{
    if (request.method != "GET" || parts.size() < 3) {
        return std::nullopt;
    }
    const std::size_t n = parts.size();
    const bool reports = n == 3 && parts[2] == "reports";
    const bool evidence = n == 5 && parts[2] == "returns" && parts[4] == "evidence";
    const bool refunds = n == 3 && parts[2] == "refunds";
    const bool movements = n == 4 && parts[2] == "stock" && parts[3] == "movements";
    const bool levels = n == 4 && parts[2] == "stock" && parts[3] == "levels";
    if (!reports && !evidence && !refunds && !movements && !levels) {
        return std::nullopt;
    }
    auto db = sqlite::Database::open(database, true);
    if (!db) {
        return fromError(db.error());
    }
    if (reports) {
        const std::string format = queryValue(request, "format");
        if (!format.empty() && format != "json" && format != "csv") {
            return problem(400, "format: \"" + format + "\" is not json or csv");
        }
        auto report = returnsReports(*db, queryValue(request, "since"));
        if (!report) {
            return fromError(report.error());
        }
        if (format == "csv") {
            return ApiResponse{200, "text/csv; charset=utf-8", reportsCsv(*report)};
        }
        return reply(200, *report);
    }
    if (evidence) {
        auto found = inspectionEvidence(*db, parts[3]);
        return found ? reply(200, *found) : fromError(found.error());
    }
    if (refunds) {
        auto list = refundsList(*db);
        return list ? reply(200, json{{"refunds", *list}}) : fromError(list.error());
    }
    if (movements) {
        auto list = readMovements(*db, queryValue(request, "since"));
        if (!list) {
            return fromError(list.error());
        }
        json out = json::array();
        for (const StockMovement& m : *list) {
            out.push_back(toJson(m));
        }
        return reply(200, json{{"movements", out}});
    }
    StockLedger stock(defaultRoutingTable(), std::nullopt, *db);
    auto list = stock.levels();
    if (!list) {
        return fromError(list.error());
    }
    json out = json::array();
    for (const StockLevel& level : *list) {
        out.push_back({{"sku", level.sku},
                       {"location", level.location},
                       {"condition", level.condition},
                       {"quantity", level.quantity}});
    }
    return reply(200, json{{"levels", out}});
}

} // namespace retour::central
