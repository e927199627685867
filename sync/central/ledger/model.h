#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retour::central {

// The returns ledger's vocabulary (docs/messages.md, docs/architecture.md "What it is for").

// Where a return comes from (docs/messages.md "Downlink: expected returns").
bool isKnownChannel(
    std::string_view channel); // portal | customer_service | store | preprinted | unannounced | tradein
// Which checklists and rules apply to a line.
bool isKnownCategory(std::string_view category); // electronics | apparel | generic

// A return's life (issue 7 "Ledger"). Which moves are allowed is Ledger::allowed (a pure table);
// every move is a Transition with an audit row.
enum class ReturnState
{
    Requested,         // asked for; waiting for manual review (or a pre-printed number not yet used)
    Authorised,        // an RMA central issued or imported; expected at a bench
    InTransit,         // the carrier has the parcel
    Received,          // a station identified its parcel (parcel.received)
    Inspected,         // every line has as many inspections as its quantity (inspection.completed)
    Refunded,          // the whole amount was refunded
    PartiallyRefunded, // part of it (restocking fee, missing or damaged items)
    Rejected,          // refused: by the authorisation rules, a reviewer or after inspection
    Exchanged,         // settled with a replacement instead of money
    Closed,            // settled and done
    Cancelled,         // withdrawn before the parcel arrived
    Expired,           // authorised, but no parcel came within the return window
};
std::string_view toString(ReturnState state);
std::optional<ReturnState> parseReturnState(std::string_view text);
// Every state with its name, in the order of the enum.
std::span<const std::pair<ReturnState, std::string_view>> returnStates();

struct ReturnLine
{
    std::string lineId;
    std::string sku;
    std::optional<std::string> gtin;
    std::string description;
    std::string category = "generic";
    std::int64_t quantity = 1;
    std::optional<double> unitPrice;
    std::optional<double> expectedWeightG; // item + packaging
    std::vector<std::string> serials;
    std::optional<std::string> reason; // the customer's stated reason
};

struct Return
{
    std::string rmaId;
    std::string channel;
    ReturnState state = ReturnState::Authorised;
    std::optional<std::string> orderId;
    std::optional<std::string> customer;
    std::optional<std::string> tracking; // carrier tracking number of the return parcel
    std::string labelBarcode;            // what the return label's barcode reads
    std::optional<double> tradeInValue;
    std::vector<ReturnLine> lines;
    std::vector<std::string> parcelIds; // filled by reads; written through Store::addParcel
    std::string createdAt;
    std::string updatedAt;
};

// One audited state change: who (a station, the seed, an operator), when and why.
struct Transition
{
    std::string rmaId;
    std::optional<ReturnState> from; // nothing when the return was created
    ReturnState to = ReturnState::Authorised;
    std::string actor;
    std::string reason;
    std::string at;
    std::optional<std::string> eventId; // the station event that caused it
};

struct Photo
{
    std::string sha256;
    std::optional<std::string> view;
    std::optional<std::int64_t> bytes, width, height;
};

// One inspection.completed, as docs/messages.md defines it, booked to a return of the ledger.
struct Inspection
{
    std::string inspectionId;
    std::string eventId;
    std::string station;
    std::string parcelId;
    std::string rmaId;                      // the ledger's return (central-assigned when unannounced)
    std::optional<std::string> reportedRma; // the rma_id the station sent (null when unannounced)
    std::optional<std::string> lineId;
    std::optional<std::string> channel, identifiedBy;
    std::optional<std::string> sku, gtin, serial, category, description;
    std::optional<double> measuredG, expectedG, toleranceG;
    std::string weightResult = "not_checked"; // ok | mismatch | not_checked
    std::vector<Photo> photos;
    std::optional<std::string> photoMissingReason;
    std::vector<std::string> findings;
    std::optional<std::int64_t> gradeFunction;
    std::optional<std::string> gradeCosmetic;
    std::string grade;
    std::string dispositionCode;
    std::optional<std::string> dispositionLocation, dispositionRule;
    std::optional<std::string> lpn, operatorId, confirmedAt;
};

// A station event central holds (the raw body is kept verbatim).
struct StoredEvent
{
    std::string eventId;
    std::string site;
    std::string station;
    std::int64_t stationSeq = 0;
    std::string type;
    int version = 1;
    std::string occurredAt;
    std::string receivedAt;
    std::string topic;
    std::string payload;
};

// A message central refused: kept with its reason, topic and payload; the same (topic, payload)
// arriving again only bumps `count`.
struct DeadLetter
{
    std::string topic;
    std::string payload;
    std::string reason;
    std::string receivedAt;
    std::int64_t count = 1;
};

// A finding parcel.closed raised on a return: a line (or part of it) missing from the parcel, or
// an item that matched no line of the return.
struct ReturnFinding
{
    std::string rmaId;
    std::string parcelId;
    std::string finding; // missing_item | extra_item
    std::optional<std::string> lineId, sku;
    std::int64_t quantity = 1;
    std::optional<std::string> inspectionId; // extra_item: the item's inspection
    std::string eventId;
    std::string at;
};

// A parcel its station closed (parcel.closed): the inspections of the items found in it.
struct ParcelClosure
{
    std::string parcelId;
    std::string rmaId;
    std::string station;
    std::string eventId;
    std::optional<std::string> closedAt;
    std::vector<std::string> foundInspectionIds;
};

} // namespace retour::central
