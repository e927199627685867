// Staff routes of refunds, stock and reports (see routes.h).
#include "reports/routes.h"

#include "refunds/refunds.h"
#include "reports/reports.h"
#include "stock/stock.h"

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

json refundJson(const RefundRecord& refund)
{
    return {{"refund_id", refund.refundId},
            {"rma_id", refund.rmaId},
            {"trigger", refund.trigger},
            {"rule", refund.triggerRule},
            {"amount_cents", refund.amountCents},
            {"full_cents", refund.fullCents},
            {"currency", refund.currency},
            {"keep_item", refund.keepItem},
            {"state", refund.state},
            {"reason", refund.reason ? json(*refund.reason) : json()},
            {"decided_at", refund.decidedAt},
            {"settled_at", refund.settledAt ? json(*refund.settledAt) : json()},
            {"lines", refund.lines}};
}

} // namespace

Result<json> refundsList(RefundStore& refunds)
{
    auto all = refunds.all();
    if (!all) {
        return std::unexpected(all.error());
    }
    json out = json::array();
    for (const RefundRecord& refund : *all) {
        out.push_back(refundJson(refund));
    }
    return out;
}

std::optional<ApiResponse> answerOutcomeRoute(const StorageLocation& database, const ApiRequest& request,
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
    auto opened = openStorage(database, OpenMode::ReadOnly);
    if (!opened) {
        return fromError(opened.error());
    }
    Storage& storage = **opened;
    if (reports) {
        const std::string format = queryValue(request, "format");
        if (!format.empty() && format != "json" && format != "csv") {
            return problem(400, "format: \"" + format + "\" is not json or csv");
        }
        auto report = returnsReports(storage.reports(), queryValue(request, "since"));
        if (!report) {
            return fromError(report.error());
        }
        if (format == "csv") {
            return ApiResponse{200, "text/csv; charset=utf-8", reportsCsv(*report)};
        }
        return reply(200, *report);
    }
    if (evidence) {
        auto found = inspectionEvidence(storage.ledger(), parts[3]);
        return found ? reply(200, *found) : fromError(found.error());
    }
    if (refunds) {
        auto list = refundsList(storage.refunds());
        return list ? reply(200, json{{"refunds", *list}}) : fromError(list.error());
    }
    if (movements) {
        auto list = storage.stock().movements(queryValue(request, "since"));
        if (!list) {
            return fromError(list.error());
        }
        json out = json::array();
        for (const StockMovement& m : *list) {
            out.push_back(toJson(m));
        }
        return reply(200, json{{"movements", out}});
    }
    auto list = storage.stock().levels();
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
