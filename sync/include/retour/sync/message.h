#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "retour/sync/error.h"

namespace retour::sync {

// The wire contract (DESIGN.md "Contract over MQTT", docs/asyncapi.yaml).
//
// Business events: returns/v1/<site>/<station>/evt/<type>, QoS 1, not retained. The JSON body:
//   {"schema":"retour.<type>","version":1,"event_id":"<uuidv7>","station_seq":N,
//    "occurred_at":"2026-11-26T11:29:56.123Z","site":"…","station":"…","data":{…}}
// Acknowledgements: returns/v1/<site>/<station>/ack  {"schema":"retour.ack","version":1,"event_ids":[…]}
// Station status (retained, will = offline): returns/v1/<site>/<station>/status
// RMAs (retained, empty payload = closed): returns/v1/<site>/rma/<rma_id>
namespace topics {
std::string event(std::string_view site, std::string_view station, std::string_view type);
std::string ack(std::string_view site, std::string_view station);
std::string status(std::string_view site, std::string_view station);
std::string rma(std::string_view site, std::string_view rmaId);
// Subscription filters.
std::string allEvents(std::string_view site);  // returns/v1/<site>/+/evt/#
std::string allRmas(std::string_view site);    // returns/v1/<site>/rma/+

// Split an event topic into its parts; false when the topic is not an event topic.
struct EventTopic
{
    std::string site, station, type;
};
bool parseEventTopic(std::string_view topic, EventTopic& out);
}  // namespace topics

inline constexpr int kEventVersion = 1;

// Event types the station publishes.
namespace event_type {
inline constexpr std::string_view ParcelReceived = "parcel.received";
inline constexpr std::string_view InspectionCompleted = "inspection.completed";
inline constexpr std::string_view RestockCompleted = "restock.completed";
inline constexpr std::string_view LabelPrinted = "label.printed";
}  // namespace event_type

struct Envelope
{
    std::string type;  // "inspection.completed"
    int version = kEventVersion;
    std::string eventId;
    std::int64_t stationSeq = 0;
    std::string occurredAt;  // RFC 3339 UTC with milliseconds
    std::string site;
    std::string station;
    nlohmann::json data;  // the type-specific body
};

std::string encodeEnvelope(const Envelope& envelope);
// Parse and validate an event body (required fields, types, known type and version, size limit).
Result<Envelope> decodeEnvelope(std::string_view payload);

std::string encodeAck(const std::vector<std::string>& eventIds);
Result<std::vector<std::string>> decodeAck(std::string_view payload);

// A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits. Thread-safe.
std::string newUuidV7();
// RFC 3339 UTC with milliseconds.
std::string formatTimestamp(std::chrono::system_clock::time_point t);

}  // namespace retour::sync
