#pragma once

#include "retour/central/error.h"
#include "retour/central/model.h"
#include "retour/central/store.h"
#include "retour/sync/message.h"

#include <string>
#include <string_view>
#include <vector>

namespace retour::central {

// True when `ret` answers a station's lookup of (key, value) (sync::LookupRequest): "label" the
// label barcode or rma_id, "order" the order id, "tracking" the carrier tracking number, "gtin" a
// line's GTIN (leading zeros ignored, so GTIN-13 and GTIN-14 forms match), "serial" a line's
// serial; "any" tries them all. Pure.
bool matchesLookup(const Return& ret, std::string_view key, std::string_view value);

// Answer a lookup from the ledger: the RMA documents (publisher.h rmaDocument) of the open returns
// (isOpen) that match, oldest first, at most `limit`.
//
// Thread contract: thread-bound (the thread of its Store).
Result<sync::LookupResponse> answerLookup(Store& store, std::string_view site,
                                          const sync::LookupRequest& request, std::size_t limit = 20);

} // namespace retour::central
