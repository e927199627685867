#pragma once

#include "ledger/error.h"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace retour::base::sqlite {
class Database;
}

namespace retour::central {

namespace sqlite {
using Database = base::sqlite::Database;
}

// The returns reports (issue 7 "Reports"), read from central's database (read-only connection;
// works while `run` runs):
//   returns     totals by channel and by state
//   reasons     the customers' stated reasons: lines and units
//   rates       return rate per SKU: units returned / units ordered (orders imported)
//   grades, dispositions   inspected units per grade and per disposition code
//   recovery    value of the inspected units, estimated recovery by disposition (kRecoveryShare),
//               refunded amount and refund states
//   fraud       inspections flagged weight_mismatch, wrong_item or serial_mismatch (a serial that
//               none of the return's lines shipped), with the flagged items
//   throughput  inspections per station and operator, first and last, per hour in between
// `since` (RFC 3339; empty: everything) limits inspections, returns and refunds to that time on.
Result<nlohmann::json> returnsReports(sqlite::Database& db, std::string_view since);

// The same as CSV (RFC 4180): section,key,count,value — one row per figure. Pure.
std::string reportsCsv(const nlohmann::json& report);

// The evidence of a return's inspections for customer service: station, operator, time, grade,
// disposition, findings, weight and every photo's SHA-256 (the photo store is content-addressed).
// NotFound for an unknown return.
Result<nlohmann::json> inspectionEvidence(sqlite::Database& db, std::string_view rmaId);

// Share of a unit's price a disposition is expected to recover (docs/protocols/returns-domain.md §2 "Common
// retail A/B/C/D(/E) scales": A 80–100 %, B 40–65 %, C 20–40 %, D 5–15 %, E 0). Pure.
double recoveryShare(std::string_view disposition);

} // namespace retour::central
