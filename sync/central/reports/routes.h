#pragma once

#include "http/api.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace retour::base::sqlite {
class Database;
}

namespace retour::central {

namespace sqlite {
using Database = base::sqlite::Database;
}

// Every refund decision, oldest first (GET /api/v1/refunds, `retour-central refunds`).
Result<nlohmann::json> refundsList(sqlite::Database& db);

// The staff routes of refunds, stock and reports (docs/openapi.yaml), answered from a read-only
// connection to central's database opened per request:
//   GET /api/v1/reports[?since=…][&format=csv]     returns reports (JSON, or CSV)
//   GET /api/v1/returns/{rma_id}/evidence          inspection evidence for customer service
//   GET /api/v1/refunds                            every refund decision and its state
//   GET /api/v1/stock/movements[?since=…]          the inventory ledger's movements
//   GET /api/v1/stock/levels                       units by SKU × location × condition
// Nothing for any other path (the desk's 404 stands). Thread contract: reentrant.
std::optional<ApiResponse> answerOutcomeRoute(const std::filesystem::path& database,
                                              const ApiRequest& request,
                                              const std::vector<std::string>& parts);

} // namespace retour::central
