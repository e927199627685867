#pragma once

#include "ledger/error.h"
#include "ledger/model.h"
#include "retour/contract/message.h"
#include "storage/store.h"

#include <string>
#include <string_view>
#include <vector>

namespace retour::central {

// True when `ret` answers a station's lookup of (key, value) (sync::LookupRequest): "label" the
// label barcode or rma_id, "order" the order id, "tracking" the carrier tracking number (an SSCC
// matches as 18 digits, with or without its AI "00" in front, on either side), "gtin" a line's GTIN
// (leading zeros ignored, so GTIN-13 and GTIN-14 forms match), "serial" a line's serial; "any"
// tries them all. A requested return (a pre-printed number not used yet) matches by its label
// only. Pure.
bool matchesLookup(const Return& ret, std::string_view key, std::string_view value);

// The returns a lookup may name: the open ones (publisher.h isOpen) and the pre-printed numbers
// issued with an order and not used yet (requested): a bench that scans one opens its parcel
// against it (ingest activates it). Pure.
bool answersLookups(const Return& ret);

// Answer a lookup from the ledger: the RMA documents (publisher.h rmaDocument) of the returns
// that answer lookups (answersLookups) and match, oldest first, at most `limit`.
//
// Thread contract: thread-bound (the thread of its Store).
Result<sync::LookupResponse> answerLookup(Store& store, std::string_view site,
                                          const sync::LookupRequest& request, std::size_t limit = 20);

} // namespace retour::central
