// inspection.completed (docs/schemas/inspection.completed.json): one confirmed item.
#include "codecs.h"

#include <array>

namespace retour::sync::detail {

namespace {

constexpr Text kUuid{.pattern = Pattern::Uuid};
constexpr std::array<std::string_view, 3> kWeightResults{"ok", "mismatch", "not_checked"};
constexpr std::array<std::string_view, 9> kDispositions{
    "restock_new", "open_box", "refurbish", "resale_second_hand", "return_to_vendor",
    "donate",      "recycle",  "destroy",   "quarantine"};
constexpr std::array<std::string_view, 3> kAnswers{"yes", "no", "na"};
constexpr Integers kCount{.minimum = 0};

json writeGrade(const InspectionCompleted::Grade& g)
{
    json out = {{"function", orNull(g.function)}, {"cosmetic", orNull(g.cosmetic)}, {"grade", g.grade}};
    if (g.terms) {
        const auto& t = *g.terms;
        json terms = {{"amazon", orNull(t.amazon)}, {"ebay_id", orNull(t.ebayId)}, {"ebay", orNull(t.ebay)}};
        putIfSet(terms, "retailer", t.retailer);
        putIfSet(terms, "ctia", t.ctia);
        out["terms"] = std::move(terms);
    }
    if (g.override) {
        out["override"] = {{"table_grade", g.override->tableGrade},
                           {"reason", g.override->reason},
                           {"operator", g.override->operatorId}};
    }
    return out;
}

InspectionCompleted::Grade readGrade(Fields g)
{
    InspectionCompleted::Grade out;
    out.function = g.nullableInteger("function", Presence::Optional);
    out.cosmetic = g.nullableString("cosmetic", Presence::Optional);
    out.grade = g.string("grade", Text{.minLength = 1});
    if (auto t = g.optionalObject("terms")) {
        InspectionCompleted::Terms terms;
        terms.retailer = t->optionalString("retailer");
        terms.amazon = t->nullableString("amazon", Presence::Optional);
        terms.ebayId = t->nullableInteger("ebay_id", Presence::Optional);
        terms.ebay = t->nullableString("ebay", Presence::Optional);
        terms.ctia = t->optionalString("ctia");
        out.terms = std::move(terms);
    }
    if (auto o = g.optionalObject("override")) {
        InspectionCompleted::Override override;
        override.tableGrade = o->string("table_grade", Text{.minLength = 1});
        override.reason = o->string("reason");
        override.operatorId = o->string("operator");
        out.override = std::move(override);
    }
    return out;
}

} // namespace

json writeInspectionCompleted(const InspectionCompleted& d)
{
    json photos = json::array();
    for (const auto& photo : d.photos) {
        json p = {{"sha256", photo.sha256}, {"view", orNull(photo.view)}};
        putIfSet(p, "bytes", photo.bytes);
        putIfSet(p, "width", photo.width);
        putIfSet(p, "height", photo.height);
        photos.push_back(std::move(p));
    }
    json out = {
        {"inspection_id", d.inspectionId},
        {"parcel_id", d.parcelId},
        {"rma_id", orNull(d.rmaId)},
        {"line_id", orNull(d.lineId)},
        {"channel", orNull(d.channel)},
        {"identified_by", orNull(d.identifiedBy)},
        {"item",
         {{"sku", orNull(d.item.sku)},
          {"gtin", orNull(d.item.gtin)},
          {"serial", orNull(d.item.serial)},
          {"category", orNull(d.item.category)},
          {"description", orNull(d.item.description)}}},
        {"weight",
         {{"measured_g", orNull(d.weight.measuredG)},
          {"expected_g", orNull(d.weight.expectedG)},
          {"tolerance_g", orNull(d.weight.toleranceG)},
          {"result", d.weight.result}}},
        {"photos", std::move(photos)},
        {"photo_missing_reason", orNull(d.photoMissingReason)},
        {"grade", writeGrade(d.grade)},
        {"disposition",
         {{"code", d.disposition.code},
          {"location", orNull(d.disposition.location)},
          {"rule", orNull(d.disposition.rule)}}},
        {"lpn", orNull(d.lpn)},
        {"operator", orNull(d.operatorId)},
    };
    putIfSet(out, "findings", d.findings);
    putIfSet(out, "confirmed_at", d.confirmedAt);
    if (d.tradeIn) {
        out["trade_in"] = {{"provisional_value", d.tradeIn->provisionalValue},
                           {"factor", d.tradeIn->factor},
                           {"value", d.tradeIn->value}};
    }
    if (d.checklist) {
        json answers = json::array();
        for (const auto& a : *d.checklist) {
            answers.push_back({{"id", a.id}, {"answer", a.answer}, {"finding", orNull(a.finding)}});
        }
        out["checklist"] = std::move(answers);
    }
    if (d.photosSkipped) {
        json skipped = json::array();
        for (const auto& s : *d.photosSkipped) {
            skipped.push_back({{"view", s.view}, {"reason", s.reason}});
        }
        out["photos_skipped"] = std::move(skipped);
    }
    return out;
}

InspectionCompleted readInspectionCompleted(Fields& f)
{
    InspectionCompleted d;
    d.inspectionId = f.string("inspection_id", kUuid);
    d.parcelId = f.string("parcel_id", kUuid);
    d.rmaId = f.nullableString("rma_id", Presence::Required);
    d.lineId = f.nullableString("line_id", Presence::Optional);
    d.channel = f.nullableString("channel", Presence::Optional);
    d.identifiedBy = f.nullableString("identified_by", Presence::Optional);

    Fields item = f.object("item");
    d.item.sku = item.nullableString("sku", Presence::Optional);
    d.item.gtin = item.nullableString("gtin", Presence::Optional);
    d.item.serial = item.nullableString("serial", Presence::Optional);
    d.item.category = item.nullableString("category", Presence::Optional);
    d.item.description = item.nullableString("description", Presence::Optional);

    Fields weight = f.object("weight");
    d.weight.measuredG = weight.nullableNumber("measured_g", Presence::Optional);
    d.weight.expectedG = weight.nullableNumber("expected_g", Presence::Optional);
    d.weight.toleranceG = weight.nullableNumber("tolerance_g", Presence::Optional);
    d.weight.result = weight.string("result", Text{.oneOf = kWeightResults});

    for (Fields& p : f.objects("photos", Presence::Required)) {
        InspectionCompleted::Photo photo;
        photo.sha256 = p.string("sha256", Text{.pattern = Pattern::Sha256});
        photo.view = p.nullableString("view", Presence::Optional);
        photo.bytes = p.optionalInteger("bytes", kCount);
        photo.width = p.optionalInteger("width", kCount);
        photo.height = p.optionalInteger("height", kCount);
        d.photos.push_back(std::move(photo));
    }
    d.photoMissingReason = f.nullableString("photo_missing_reason", Presence::Optional);
    d.findings = f.optionalStrings("findings");
    d.grade = readGrade(f.object("grade"));

    Fields disposition = f.object("disposition");
    d.disposition.code = disposition.string("code", Text{.oneOf = kDispositions});
    d.disposition.location = disposition.nullableString("location", Presence::Optional);
    d.disposition.rule = disposition.nullableString("rule", Presence::Optional);

    if (auto t = f.optionalObject("trade_in")) {
        InspectionCompleted::TradeIn tradeIn;
        tradeIn.provisionalValue = t->number("provisional_value", Numbers{.minimum = 0});
        tradeIn.factor = t->number("factor", Numbers{.minimum = 0, .maximum = 1});
        tradeIn.value = t->number("value", Numbers{.minimum = 0});
        d.tradeIn = tradeIn;
    }
    if (auto answers = f.optionalObjects("checklist")) {
        d.checklist.emplace();
        for (Fields& a : *answers) {
            d.checklist->push_back({a.string("id"), a.string("answer", Text{.oneOf = kAnswers}),
                                    a.nullableString("finding", Presence::Optional)});
        }
    }
    if (auto skipped = f.optionalObjects("photos_skipped")) {
        d.photosSkipped.emplace();
        for (Fields& s : *skipped) {
            d.photosSkipped->push_back({s.string("view"), s.string("reason")});
        }
    }
    d.lpn = f.nullableString("lpn", Presence::Optional);
    d.operatorId = f.nullableString("operator", Presence::Optional);
    d.confirmedAt = f.optionalString("confirmed_at", Text{.pattern = Pattern::Timestamp});
    return d;
}

} // namespace retour::sync::detail
