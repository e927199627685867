#pragma once

// The data of each business event (docs/schemas/<type>.json, docs/messages.md "Uplink: business
// events"), one struct per event type. A std::optional member is a field the schema lets be null
// (written as null) or absent (then not written), as its comment says.

#include "retour/contract/error.h"
#include "retour/contract/message.h"

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace retour::sync {

// parcel.received: a parcel was opened at a bench.
struct ParcelReceived
{
    static constexpr std::string_view kType = event_type::ParcelReceived;
    std::string parcelId; // UUID
    std::optional<std::string> rmaId;
    std::optional<std::string> channel;
    // rma_label | preprinted_label | tracking | sscc | order | item | unannounced
    std::string identifiedBy;
    std::string scanned;
    std::optional<std::string> label; // the pre-printed label scanned (identified_by preprinted_label)
    std::optional<std::string> operatorId;
};

// inspection.completed: one confirmed item.
struct InspectionCompleted
{
    static constexpr std::string_view kType = event_type::InspectionCompleted;
    struct Item
    {
        std::optional<std::string> sku, gtin, serial, category, description;
    };
    struct Weight
    {
        std::optional<double> measuredG, expectedG, toleranceG;
        std::string result = "not_checked"; // ok | mismatch | not_checked
    };
    struct Photo
    {
        std::string sha256;
        std::optional<std::string> view;
        std::optional<std::int64_t> bytes, width, height; // absent: not written
    };
    // The grade in the terms of resale channels (config/rules/grade_terms.toml).
    struct Terms
    {
        std::optional<std::string> retailer; // absent: not written
        std::optional<std::string> amazon;
        std::optional<std::int64_t> ebayId;
        std::optional<std::string> ebay;
        std::optional<std::string> ctia; // absent: not written
    };
    // The operator overrode the rules' grade (CMD:OVERRIDE).
    struct Override
    {
        std::string tableGrade, reason, operatorId;
    };
    struct Grade
    {
        std::optional<std::int64_t> function;
        std::optional<std::string> cosmetic;
        std::string grade;
        std::optional<Terms> terms;       // absent: not written
        std::optional<Override> override; // absent: not written
    };
    struct Disposition
    {
        std::string code; // restock_new | open_box | … | quarantine
        std::optional<std::string> location, rule;
    };
    struct TradeIn
    {
        double provisionalValue = 0, factor = 0, value = 0;
    };
    struct ChecklistAnswer
    {
        std::string id, answer; // answer: yes | no | na
        std::optional<std::string> finding;
    };
    struct SkippedPhoto
    {
        std::string view, reason;
    };

    std::string inspectionId, parcelId; // UUIDs
    std::optional<std::string> rmaId, lineId, channel, identifiedBy;
    Item item;
    Weight weight;
    std::vector<Photo> photos;
    std::optional<std::string> photoMissingReason;
    std::optional<std::vector<std::string>> findings; // absent: not written
    Grade grade;
    Disposition disposition;
    std::optional<TradeIn> tradeIn;                         // absent: not written
    std::optional<std::vector<ChecklistAnswer>> checklist;  // absent: not written
    std::optional<std::vector<SkippedPhoto>> photosSkipped; // absent: not written
    std::optional<std::string> lpn, operatorId;
    std::optional<std::string> confirmedAt; // absent: not written
};

// inspection.voided: the operator took back a confirmed item (CMD:UNDO) before closing its parcel.
struct InspectionVoided
{
    static constexpr std::string_view kType = event_type::InspectionVoided;
    std::string inspectionId, parcelId;
    std::optional<std::string> rmaId, lineId;
    std::string lpn, operatorId, voidedAt;
};

// label.printed: the disposition label of an inspected item was printed.
struct LabelPrinted
{
    static constexpr std::string_view kType = event_type::LabelPrinted;
    std::optional<std::string> inspectionId; // absent: not written (so for the others too)
    std::string lpn;
    std::optional<std::string> jobId, printer, printedAt;
};

// parcel.closed: what the parcel was expected to hold, found, missing and extra.
struct ParcelClosed
{
    static constexpr std::string_view kType = event_type::ParcelClosed;
    struct Line
    {
        std::string lineId, sku;
        std::int64_t quantity = 1;
    };
    struct Item
    {
        std::string inspectionId, sku;
        std::optional<std::string> lineId, gtin, serial;
        std::optional<std::string> reason; // in extra: wrong_item | over_quantity; absent: not written
        std::optional<std::vector<std::string>> findings; // absent: not written
    };
    std::string parcelId;
    std::optional<std::string> rmaId;
    std::optional<std::string> closedAt; // absent: not written
    std::optional<std::string> operatorId, label;
    std::vector<Line> expected;
    std::vector<Item> found;
    std::vector<Line> missing;
    std::vector<Item> extra;
    std::vector<std::string> findings;
};

// restock.completed: an inspected item was put away. Optional fields absent: not written.
struct RestockCompleted
{
    static constexpr std::string_view kType = event_type::RestockCompleted;
    std::string inspectionId;
    std::optional<std::string> lpn, sku;
    std::string location;
    std::optional<std::string> condition;
};

using EventData = std::variant<ParcelReceived, InspectionCompleted, InspectionVoided, LabelPrinted,
                               ParcelClosed, RestockCompleted>;

// An event: its envelope (envelope.data is the body as JSON) and the same body typed.
struct Event
{
    Envelope envelope;
    EventData data;
};

// All functions below are pure and reentrant.

// The event type of a body ("parcel.received", …).
std::string_view eventType(const EventData& data);

// The "data" object of an event (what Outbox::enqueue wraps in its envelope).
nlohmann::json encodeData(const EventData& data);
// Checks `data` against the schema of event `type` (docs/schemas/<type>.json "data"); Unsupported
// for an unknown type, Malformed naming the field otherwise.
Result<EventData> decodeData(std::string_view type, const nlohmann::json& data);

// The JSON body of an event: `envelope` (its data ignored) with `data`, and its type.
std::string encodeEvent(Envelope envelope, const EventData& data);
// decodeEnvelope, then decodeData of its type: accepted iff the body satisfies
// docs/schemas/<type>.json (within kMaxPayloadBytes and kMaxJsonDepth).
Result<Event> decodeEvent(std::string_view payload);

} // namespace retour::sync
