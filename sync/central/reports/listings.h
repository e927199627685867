#pragma once

#include "ledger/error.h"
#include "storage/store.h"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace retour::central {

// What the reporting commands print (`retour-central returns`, `retour-central events`). The JSON
// is the stable form for scripts; the tables are for people and are drawn from the same JSON.
// Thread-bound (the store's thread); the format functions are pure.

// [{rma_id, channel, state, order_id, customer, tracking, label_barcode,
//   trade_in_value, parcel_ids, findings:[{finding, parcel_id, line_id, sku, quantity,
//   inspection_id, event_id, at}] (parcel.closed: missing_item | extra_item), lines:[{…expected…, inspected,
//   inspection_ids}], inspections:[{inspection_id, line_id, parcel_id, station, grade, disposition,
//   weight:{result,…}, photos, findings, …}], created_at, updated_at, received_at, inspected_at,
//   history:[{from, to, actor, reason, at, event_id}]}], oldest first
Result<nlohmann::json> returnsReport(Store& store);
std::string formatReturnsTable(const nlohmann::json& report);

// {"events":[{event_id, station, station_seq, type, occurred_at, received_at}], "dead_letters": N}
// `station` empty: every station.
Result<nlohmann::json> eventsReport(Store& store, std::string_view station);
std::string formatEventsTable(const nlohmann::json& report);

} // namespace retour::central
