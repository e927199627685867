#include "workflow/records.h"

namespace retour::station {

std::optional<std::string> unlessEmpty(const std::string& text)
{
    return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

sync::ParcelReceived toContract(const Parcel& parcel)
{
    sync::ParcelReceived out;
    out.parcelId = parcel.parcelId;
    out.rmaId = parcel.rmaId;
    out.channel = unlessEmpty(parcel.channel);
    out.identifiedBy = parcel.identifiedBy;
    out.scanned = parcel.scanned;
    out.label = parcel.label;
    out.operatorId = parcel.operatorId;
    return out;
}

sync::InspectionCompleted toContract(const Inspection& inspection)
{
    sync::InspectionCompleted out;
    out.inspectionId = inspection.inspectionId;
    out.parcelId = inspection.parcelId;
    out.rmaId = inspection.rmaId;
    out.lineId = inspection.lineId;
    out.channel = inspection.channel;
    out.identifiedBy = inspection.identifiedBy;
    out.item = {inspection.item.sku, inspection.item.gtin, unlessEmpty(inspection.item.serial),
                inspection.item.category, inspection.item.description};
    out.weight = {inspection.weight.measuredG, inspection.weight.expectedG, inspection.weight.toleranceG,
                  inspection.weight.result};
    for (const auto& photo : inspection.photos) {
        out.photos.push_back(
            {photo.sha256, photo.view, static_cast<std::int64_t>(photo.bytes), photo.width, photo.height});
    }
    out.photoMissingReason = inspection.photoMissingReason;
    out.findings = inspection.findings;
    out.grade.function = inspection.grade.function;
    out.grade.cosmetic = std::string(1, inspection.grade.cosmetic);
    out.grade.grade = std::string(1, inspection.grade.grade);
    if (inspection.gradeTerms) {
        const GradeTerms& t = *inspection.gradeTerms;
        out.grade.terms = sync::InspectionCompleted::Terms{
            t.retailer, unlessEmpty(t.amazon),
            t.ebayId == 0 ? std::nullopt : std::optional<std::int64_t>(t.ebayId), unlessEmpty(t.ebay),
            t.ctia};
    }
    if (inspection.gradeOverride) {
        out.grade.override = sync::InspectionCompleted::Override{
            std::string(1, inspection.gradeOverride->tableGrade), inspection.gradeOverride->reason,
            inspection.gradeOverride->operatorId};
    }
    out.disposition = {std::string(toString(inspection.disposition.disposition)),
                       inspection.disposition.location, inspection.disposition.rule};
    if (inspection.tradeIn) {
        out.tradeIn = {inspection.tradeIn->provisionalValue, inspection.tradeIn->factor,
                       inspection.tradeIn->value};
    }
    if (!inspection.checklist.empty()) {
        out.checklist.emplace();
        for (const auto& answer : inspection.checklist) {
            out.checklist->push_back({answer.id, answer.answer, unlessEmpty(answer.finding)});
        }
    }
    if (!inspection.skippedPhotos.empty()) {
        out.photosSkipped.emplace();
        for (const auto& photo : inspection.skippedPhotos) {
            out.photosSkipped->push_back({photo.view, photo.reason});
        }
    }
    out.lpn = inspection.lpn;
    out.operatorId = inspection.operatorId;
    out.confirmedAt = inspection.confirmedAt;
    return out;
}

nlohmann::json toEventData(const Parcel& parcel)
{
    return sync::encodeData(toContract(parcel));
}

nlohmann::json toEventData(const Inspection& inspection)
{
    return sync::encodeData(toContract(inspection));
}

} // namespace retour::station
