#include "workflow/records.h"

namespace retour::station {

namespace {

using nlohmann::json;

template <class T> json orNull(const std::optional<T>& value)
{
    return value ? json(*value) : json(nullptr);
}

} // namespace

json toEventData(const Parcel& parcel)
{
    return {{"parcel_id", parcel.parcelId},
            {"rma_id", orNull(parcel.rmaId)},
            {"channel", parcel.channel.empty() ? json(nullptr) : json(parcel.channel)},
            {"identified_by", parcel.identifiedBy},
            {"scanned", parcel.scanned},
            {"label", orNull(parcel.label)},
            {"operator", parcel.operatorId}};
}

json toEventData(const Inspection& inspection)
{
    json photos = json::array();
    for (const auto& photo : inspection.photos) {
        photos.push_back({{"sha256", photo.sha256},
                          {"view", photo.view},
                          {"bytes", photo.bytes},
                          {"width", photo.width},
                          {"height", photo.height}});
    }
    json data = {
        {"inspection_id", inspection.inspectionId},
        {"parcel_id", inspection.parcelId},
        {"rma_id", orNull(inspection.rmaId)},
        {"line_id", orNull(inspection.lineId)},
        {"channel", inspection.channel},
        {"identified_by", inspection.identifiedBy},
        {"item",
         {{"sku", inspection.item.sku},
          {"gtin", inspection.item.gtin},
          {"serial", inspection.item.serial.empty() ? json(nullptr) : json(inspection.item.serial)},
          {"category", inspection.item.category},
          {"description", inspection.item.description}}},
        {"weight",
         {{"measured_g", orNull(inspection.weight.measuredG)},
          {"expected_g", orNull(inspection.weight.expectedG)},
          {"tolerance_g", inspection.weight.toleranceG},
          {"result", inspection.weight.result}}},
        {"photos", std::move(photos)},
        {"photo_missing_reason", orNull(inspection.photoMissingReason)},
        {"findings", inspection.findings},
        {"grade",
         {{"function", inspection.grade.function},
          {"cosmetic", std::string(1, inspection.grade.cosmetic)},
          {"grade", std::string(1, inspection.grade.grade)}}},
        {"disposition",
         {{"code", std::string(toString(inspection.disposition.disposition))},
          {"location", inspection.disposition.location},
          {"rule", inspection.disposition.rule}}},
        {"lpn", inspection.lpn},
        {"operator", inspection.operatorId},
        {"confirmed_at", inspection.confirmedAt},
    };
    if (inspection.gradeOverride) {
        data["grade"]["override"] = {{"table_grade", std::string(1, inspection.gradeOverride->tableGrade)},
                                     {"reason", inspection.gradeOverride->reason},
                                     {"operator", inspection.gradeOverride->operatorId}};
    }
    if (!inspection.checklist.empty()) {
        json answers = json::array();
        for (const auto& answer : inspection.checklist) {
            answers.push_back({{"id", answer.id},
                               {"answer", answer.answer},
                               {"finding", answer.finding.empty() ? json(nullptr) : json(answer.finding)}});
        }
        data["checklist"] = std::move(answers);
    }
    if (!inspection.skippedPhotos.empty()) {
        json skipped = json::array();
        for (const auto& photo : inspection.skippedPhotos) {
            skipped.push_back({{"view", photo.view}, {"reason", photo.reason}});
        }
        data["photos_skipped"] = std::move(skipped);
    }
    if (inspection.gradeTerms) {
        const GradeTerms& t = *inspection.gradeTerms;
        data["grade"]["terms"] = {{"retailer", t.retailer},
                                  {"amazon", t.amazon.empty() ? json(nullptr) : json(t.amazon)},
                                  {"ebay_id", t.ebayId == 0 ? json(nullptr) : json(t.ebayId)},
                                  {"ebay", t.ebay.empty() ? json(nullptr) : json(t.ebay)},
                                  {"ctia", t.ctia}};
    }
    if (inspection.tradeIn) {
        data["trade_in"] = {{"provisional_value", inspection.tradeIn->provisionalValue},
                            {"factor", inspection.tradeIn->factor},
                            {"value", inspection.tradeIn->value}};
    }
    return data;
}

} // namespace retour::station
