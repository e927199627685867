#pragma once

#include "app/config.h"

#include <string_view>

namespace retour::central {

// Read-only commands over refunds, stock and reports (they work while `run` runs: WAL). Each
// prints to stdout, an error to stderr, and returns the exit status (0, or 1 when the database
// cannot be read).
//   retour-central stock export [--since T]   the stock movements as CSV (RFC 4180)
//   retour-central stock levels [--json]      units by SKU × location × condition
//   retour-central refunds [--json]           every refund decision; failures with the adapter's reason
//   retour-central report [--since T] [--csv] returns reports (JSON by default)
int stockCommand(const Config& config, std::string_view action, std::string_view since, bool json);
int refundsCommand(const Config& config, bool json);
int reportCommand(const Config& config, std::string_view since, bool csv);

} // namespace retour::central
