#pragma once

#include "ledger/error.h"
#include "ledger/model.h"
#include "retour/contract/events.h"

#include <optional>
#include <string>
#include <vector>

namespace retour::central {

// The events central acts on, as the ledger keeps them, from the contract's decoded bodies
// (retour/contract/events.h: sync::decodeEvent checks them against docs/schemas). Pure and
// reentrant. An empty rma_id or label is no RMA or label.

struct ParcelReceived
{
    std::string parcelId;
    std::optional<std::string> rmaId; // nothing for an unannounced parcel
    std::optional<std::string> identifiedBy, scanned, operatorId;
    // A pre-printed label the bench scanned without knowing its return: channel "preprinted",
    // rmaId nothing, label the label's text (docs/schemas/parcel.received.json).
    std::optional<std::string> channel, label;
};
ParcelReceived toParcelReceived(const sync::ParcelReceived& data);

// Fills every field of Inspection from the body except eventId, station and rmaId (the ledger's
// return; reportedRma holds what the station sent).
Inspection toInspection(const sync::InspectionCompleted& data);

// parcel.closed: the lines the parcel's RMA expected, the items found (their inspections), the
// lines missing and the items on no line.
struct ParcelClosed
{
    struct Line
    {
        std::optional<std::string> lineId;
        std::string sku;
        std::int64_t quantity = 1;
    };
    struct Item
    {
        std::string inspectionId;
        std::optional<std::string> lineId, sku;
    };
    std::string parcelId;
    std::optional<std::string> rmaId; // nothing for an unannounced parcel
    std::optional<std::string> closedAt, operatorId;
    std::vector<Line> expected, missing;
    std::vector<Item> found, extra;
    std::vector<std::string> findings;
};
ParcelClosed toParcelClosed(const sync::ParcelClosed& data);

} // namespace retour::central
