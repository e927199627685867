#pragma once

#include "ledger/error.h"
#include "ledger/model.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace retour::central {

// Typed readers of the `data` of the events central acts on (docs/messages.md "Uplink"). Pure and
// reentrant. A missing required field or a field of the wrong type is ErrorCode::Invalid with a
// message naming the field ("data.grade.grade: missing"); unknown extra fields are ignored, and
// an optional field may be null.

struct ParcelReceived
{
    std::string parcelId;
    std::optional<std::string> rmaId; // nothing for an unannounced parcel
    std::optional<std::string> identifiedBy, scanned, operatorId;
    // A pre-printed label the bench scanned without knowing its return: channel "preprinted",
    // rmaId nothing, label the label's text (docs/schemas/parcel.received.json).
    std::optional<std::string> channel, label;
};
Result<ParcelReceived> decodeParcelReceived(const nlohmann::json& data);

// Fills every field of Inspection from the body except eventId, station and rmaId (the ledger's
// return; reportedRma holds what the station sent).
// Required: inspection_id, parcel_id, grade.grade, disposition.code.
Result<Inspection> decodeInspectionCompleted(const nlohmann::json& data);

// parcel.closed: the lines the parcel's RMA expected, the items found (their inspections), the
// lines missing and the items on no line. Required: parcel_id, and sku of each missing line.
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
Result<ParcelClosed> decodeParcelClosed(const nlohmann::json& data);

} // namespace retour::central
