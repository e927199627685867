// The events central acts on, from the contract's typed bodies (retour/contract/events.h) to the
// ledger's records.
#include "ledger/event_data.h"

namespace retour::central {

namespace {

// An empty rma_id or label names nothing: the parcel is unannounced or has no label.
std::optional<std::string> nonEmpty(const std::optional<std::string>& value)
{
    return value && !value->empty() ? value : std::nullopt;
}

} // namespace

ParcelReceived toParcelReceived(const sync::ParcelReceived& data)
{
    ParcelReceived out;
    out.parcelId = data.parcelId;
    out.rmaId = nonEmpty(data.rmaId);
    out.identifiedBy = data.identifiedBy;
    out.scanned = data.scanned;
    out.operatorId = data.operatorId;
    out.channel = data.channel;
    out.label = nonEmpty(data.label);
    return out;
}

Inspection toInspection(const sync::InspectionCompleted& data)
{
    Inspection in;
    in.inspectionId = data.inspectionId;
    in.parcelId = data.parcelId;
    in.reportedRma = nonEmpty(data.rmaId);
    in.lineId = data.lineId;
    in.channel = data.channel;
    in.identifiedBy = data.identifiedBy;
    in.sku = data.item.sku;
    in.gtin = data.item.gtin;
    in.serial = data.item.serial;
    in.category = data.item.category;
    in.description = data.item.description;
    in.measuredG = data.weight.measuredG;
    in.expectedG = data.weight.expectedG;
    in.toleranceG = data.weight.toleranceG;
    in.weightResult = data.weight.result;
    for (const auto& photo : data.photos) {
        in.photos.push_back(Photo{photo.sha256, photo.view, photo.bytes, photo.width, photo.height});
    }
    in.photoMissingReason = data.photoMissingReason;
    in.findings = data.findings.value_or(std::vector<std::string>{});
    in.gradeFunction = data.grade.function;
    in.gradeCosmetic = data.grade.cosmetic;
    in.grade = data.grade.grade;
    in.dispositionCode = data.disposition.code;
    in.dispositionLocation = data.disposition.location;
    in.dispositionRule = data.disposition.rule;
    in.lpn = data.lpn;
    in.operatorId = data.operatorId;
    in.confirmedAt = data.confirmedAt;
    return in;
}

ParcelClosed toParcelClosed(const sync::ParcelClosed& data)
{
    ParcelClosed out;
    out.parcelId = data.parcelId;
    out.rmaId = nonEmpty(data.rmaId);
    out.closedAt = data.closedAt;
    out.operatorId = data.operatorId;
    auto lines = [](const std::vector<sync::ParcelClosed::Line>& from) {
        std::vector<ParcelClosed::Line> to;
        for (const auto& line : from) {
            to.push_back({line.lineId, line.sku, line.quantity});
        }
        return to;
    };
    auto items = [](const std::vector<sync::ParcelClosed::Item>& from) {
        std::vector<ParcelClosed::Item> to;
        for (const auto& item : from) {
            to.push_back({item.inspectionId, item.lineId, item.sku});
        }
        return to;
    };
    out.expected = lines(data.expected);
    out.missing = lines(data.missing);
    out.found = items(data.found);
    out.extra = items(data.extra);
    out.findings = data.findings;
    return out;
}

} // namespace retour::central
