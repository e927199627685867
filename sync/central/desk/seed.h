#pragma once

#include "app/source_error.h"
#include "ledger/error.h"
#include "ledger/ledger.h"
#include "ledger/model.h"
#include "storage/store.h"

#include <cstddef>
#include <filesystem>
#include <string_view>
#include <vector>

namespace retour::central {

// RMAs to authorise at start, from a TOML file:
//   [[rma]]
//   rma_id = "RMA-000101"        channel = "portal"   # portal | customer_service | store | preprinted |
//   tradein order_id = "SO-10001"        customer = "Ada Lovelace" tracking = "1Z…"             (optional)
//   label_barcode = "RMA-000101" (optional, default rma_id)
//   trade_in_value = 80.0        (optional, tradein only)
//   [[rma.line]]
//   line_id = "1"  sku = "…"  gtin = "…" (optional)  description = "…"  category = "electronics"
//   quantity = 1  unit_price = 129.9  expected_weight_g = 512 (optional)  serials = ["…"] (optional)
//   reason = "…"
// order_id may be left out for trade-ins only. Every problem is a SourceError at file:line:column.
// Reentrant.
SourceResult<std::vector<Return>> loadSeed(const std::filesystem::path& file);

struct SeedOutcome
{
    std::size_t added = 0;
    std::size_t existing = 0; // already in the ledger (in any state): left untouched
};

// Authorise every RMA not yet in the ledger, all in one transaction; re-running adds nothing.
// `source` names the file in the audit rows. Thread-bound (the store's thread).
Result<SeedOutcome> applySeed(Store& store, Ledger& ledger, const std::vector<Return>& rmas,
                              std::string_view source, std::string_view at);

} // namespace retour::central
