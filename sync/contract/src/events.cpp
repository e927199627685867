// Event data (docs/schemas/<type>.json), one encoder and one decoder per event type;
// inspection.completed is in inspection.cpp.
#include "retour/contract/events.h"

#include "codecs.h"

#include <array>

namespace retour::sync {

namespace {

using detail::Fields;
using detail::Integers;
using detail::orNull;
using detail::Pattern;
using detail::Presence;
using detail::putIfSet;
using detail::Text;
using nlohmann::json;

constexpr Text kUuid{.pattern = Pattern::Uuid};
constexpr Text kTimestamp{.pattern = Pattern::Timestamp};
constexpr Text kNotEmpty{.minLength = 1};
constexpr std::array<std::string_view, 7> kIdentifiedBy{
    "rma_label", "preprinted_label", "tracking", "sscc", "order", "item", "unannounced"};
constexpr std::array<std::string_view, 2> kExtraReasons{"wrong_item", "over_quantity"};

// ---- parcel.received ----

json write(const ParcelReceived& d)
{
    return {{"parcel_id", d.parcelId},         {"rma_id", orNull(d.rmaId)}, {"channel", orNull(d.channel)},
            {"identified_by", d.identifiedBy}, {"scanned", d.scanned},      {"label", orNull(d.label)},
            {"operator", orNull(d.operatorId)}};
}

ParcelReceived readParcelReceived(Fields& f)
{
    ParcelReceived d;
    d.parcelId = f.string("parcel_id", kUuid);
    d.rmaId = f.nullableString("rma_id", Presence::Required);
    d.channel = f.nullableString("channel", Presence::Optional);
    d.identifiedBy = f.string("identified_by", Text{.oneOf = kIdentifiedBy});
    d.scanned = f.string("scanned");
    d.label = f.nullableString("label", Presence::Optional);
    d.operatorId = f.nullableString("operator", Presence::Optional);
    return d;
}

// ---- inspection.voided ----

json write(const InspectionVoided& d)
{
    return {{"inspection_id", d.inspectionId},
            {"parcel_id", d.parcelId},
            {"rma_id", orNull(d.rmaId)},
            {"line_id", orNull(d.lineId)},
            {"lpn", d.lpn},
            {"operator", d.operatorId},
            {"voided_at", d.voidedAt}};
}

InspectionVoided readInspectionVoided(Fields& f)
{
    InspectionVoided d;
    d.inspectionId = f.string("inspection_id", kUuid);
    d.parcelId = f.string("parcel_id", kUuid);
    d.rmaId = f.nullableString("rma_id", Presence::Optional);
    d.lineId = f.nullableString("line_id", Presence::Optional);
    d.lpn = f.string("lpn", kNotEmpty);
    d.operatorId = f.string("operator", kNotEmpty);
    d.voidedAt = f.string("voided_at", kTimestamp);
    return d;
}

// ---- label.printed ----

json write(const LabelPrinted& d)
{
    json out = {{"lpn", d.lpn}};
    putIfSet(out, "inspection_id", d.inspectionId);
    putIfSet(out, "job_id", d.jobId);
    putIfSet(out, "printer", d.printer);
    putIfSet(out, "printed_at", d.printedAt);
    return out;
}

LabelPrinted readLabelPrinted(Fields& f)
{
    LabelPrinted d;
    d.inspectionId = f.optionalString("inspection_id", kUuid);
    d.lpn = f.string("lpn", kNotEmpty);
    d.jobId = f.optionalString("job_id");
    d.printer = f.optionalString("printer");
    d.printedAt = f.optionalString("printed_at", kTimestamp);
    return d;
}

// ---- parcel.closed ----

json write(const ParcelClosed::Line& line)
{
    return {{"line_id", line.lineId}, {"sku", line.sku}, {"quantity", line.quantity}};
}

json write(const ParcelClosed::Item& item)
{
    json out = {{"inspection_id", item.inspectionId},
                {"line_id", orNull(item.lineId)},
                {"sku", item.sku},
                {"gtin", orNull(item.gtin)},
                {"serial", orNull(item.serial)}};
    putIfSet(out, "reason", item.reason);
    putIfSet(out, "findings", item.findings);
    return out;
}

template <class T> json writeAll(const std::vector<T>& elements)
{
    json out = json::array();
    for (const T& element : elements) {
        out.push_back(write(element));
    }
    return out;
}

json write(const ParcelClosed& d)
{
    json out = {{"parcel_id", d.parcelId},
                {"rma_id", orNull(d.rmaId)},
                {"operator", orNull(d.operatorId)},
                {"label", orNull(d.label)},
                {"expected", writeAll(d.expected)},
                {"found", writeAll(d.found)},
                {"missing", writeAll(d.missing)},
                {"extra", writeAll(d.extra)},
                {"findings", d.findings}};
    putIfSet(out, "closed_at", d.closedAt);
    return out;
}

std::vector<ParcelClosed::Line> readLines(Fields& f, const char* key)
{
    std::vector<ParcelClosed::Line> lines;
    for (Fields& l : f.objects(key, Presence::Required)) {
        ParcelClosed::Line line;
        line.lineId = l.string("line_id");
        line.sku = l.string("sku");
        line.quantity = l.integer("quantity", Integers{.minimum = 1});
        lines.push_back(std::move(line));
    }
    return lines;
}

std::vector<ParcelClosed::Item> readItems(Fields& f, const char* key)
{
    std::vector<ParcelClosed::Item> items;
    for (Fields& i : f.objects(key, Presence::Required)) {
        ParcelClosed::Item item;
        item.inspectionId = i.string("inspection_id", kUuid);
        item.lineId = i.nullableString("line_id", Presence::Optional);
        item.sku = i.string("sku");
        item.gtin = i.nullableString("gtin", Presence::Optional);
        item.serial = i.nullableString("serial", Presence::Optional);
        item.reason = i.optionalString("reason", Text{.oneOf = kExtraReasons});
        item.findings = i.optionalStrings("findings");
        items.push_back(std::move(item));
    }
    return items;
}

ParcelClosed readParcelClosed(Fields& f)
{
    ParcelClosed d;
    d.parcelId = f.string("parcel_id", kUuid);
    d.rmaId = f.nullableString("rma_id", Presence::Required);
    d.closedAt = f.optionalString("closed_at", kTimestamp);
    d.operatorId = f.nullableString("operator", Presence::Optional);
    d.label = f.nullableString("label", Presence::Optional);
    d.expected = readLines(f, "expected");
    d.found = readItems(f, "found");
    d.missing = readLines(f, "missing");
    d.extra = readItems(f, "extra");
    d.findings = f.strings("findings", Presence::Required);
    return d;
}

// ---- restock.completed ----

json write(const RestockCompleted& d)
{
    json out = {{"inspection_id", d.inspectionId}, {"location", d.location}};
    putIfSet(out, "lpn", d.lpn);
    putIfSet(out, "sku", d.sku);
    putIfSet(out, "condition", d.condition);
    return out;
}

RestockCompleted readRestockCompleted(Fields& f)
{
    RestockCompleted d;
    d.inspectionId = f.string("inspection_id", kUuid);
    d.lpn = f.optionalString("lpn");
    d.sku = f.optionalString("sku");
    d.location = f.string("location", kNotEmpty);
    d.condition = f.optionalString("condition");
    return d;
}

json write(const InspectionCompleted& d)
{
    return detail::writeInspectionCompleted(d);
}

} // namespace

std::string_view eventType(const EventData& data)
{
    return std::visit([](const auto& d) { return std::decay_t<decltype(d)>::kType; }, data);
}

json encodeData(const EventData& data)
{
    return std::visit([](const auto& d) { return write(d); }, data);
}

Result<EventData> decodeData(std::string_view type, const json& data)
{
    const std::string what(type);
    if (!data.is_object()) {
        return std::unexpected(detail::malformed(what, "data: must be an object"));
    }
    Fields f(data, "data");
    EventData out;
    if (type == event_type::ParcelReceived) {
        out = readParcelReceived(f);
    } else if (type == event_type::InspectionCompleted) {
        out = detail::readInspectionCompleted(f);
    } else if (type == event_type::InspectionVoided) {
        out = readInspectionVoided(f);
    } else if (type == event_type::LabelPrinted) {
        out = readLabelPrinted(f);
    } else if (type == event_type::ParcelClosed) {
        out = readParcelClosed(f);
    } else if (type == event_type::RestockCompleted) {
        out = readRestockCompleted(f);
    } else {
        return std::unexpected(Error{ErrorCode::Unsupported, "unknown event type \"" + what + "\""});
    }
    if (!f.ok()) {
        return std::unexpected(detail::malformed(what, *f.problem()));
    }
    return out;
}

std::string encodeEvent(Envelope envelope, const EventData& data)
{
    envelope.type = std::string(eventType(data));
    envelope.data = encodeData(data);
    return encodeEnvelope(envelope);
}

Result<Event> decodeEvent(std::string_view payload)
{
    auto parsed = detail::parseObject(payload, "event");
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    auto envelope = detail::readEnvelope(*parsed);
    if (!envelope) {
        return std::unexpected(envelope.error());
    }
    auto data = decodeData(envelope->type, envelope->data);
    if (!data) {
        return std::unexpected(data.error());
    }
    return Event{std::move(*envelope), std::move(*data)};
}

} // namespace retour::sync
