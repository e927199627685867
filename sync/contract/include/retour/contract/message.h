#pragma once

#include "retour/base/time.h"
#include "retour/contract/error.h"
#include "retour/contract/rma.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::sync {

// The wire contract (docs/architecture.md "Contract over MQTT", docs/asyncapi.yaml).
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
std::string allEvents(std::string_view site); // returns/v1/<site>/+/evt/#
std::string allRmas(std::string_view site);   // returns/v1/<site>/rma/+

// Request/response over MQTT v5 (response topic + correlation data; docs/protocols/returns-domain.md
// §4.4): a station publishes a request on returns/v1/<site>/<station>/req/<name> and names
// returns/v1/<site>/<station>/cmd/<name> as the response topic; central answers there. The broker
// ACL (config/broker/acl) lets a station write only its own req/# and read only its own cmd/#.
std::string request(std::string_view site, std::string_view station, std::string_view name);
std::string command(std::string_view site, std::string_view station, std::string_view name);
std::string allRequests(std::string_view site); // returns/v1/<site>/+/req/#

// Central's liveness, retained, will = offline (Sparkplug's primary-host STATE,
// docs/protocols/returns-domain.md §4.1): returns/v1/<site>/central/status. Stations resend all
// unacknowledged events when central comes (back) online, so none waits for a timeout.
std::string centralStatus(std::string_view site);

// True when `level` may be one level of our topics: not empty, no '/', no wildcard ('+', '#'),
// no NUL, and not starting with '$' (reserved for broker topics).
bool isValidLevel(std::string_view level);

// Split an event topic (exactly returns/v1/<site>/<station>/evt/<type>) into its parts; false
// when the topic is not an event topic, has an empty level or contains a wildcard. `out` is only
// written on success.
struct EventTopic
{
    std::string site, station, type;
};
bool parseEventTopic(std::string_view topic, EventTopic& out);
} // namespace topics

// Largest message body accepted by the decoders (and by the outbox).
inline constexpr std::size_t kMaxPayloadBytes = 256 * 1024;
// Deepest JSON nesting accepted by the decoders.
inline constexpr int kMaxJsonDepth = 64;

inline constexpr int kEventVersion = 1;

// Event types the station publishes.
namespace event_type {
inline constexpr std::string_view ParcelReceived = "parcel.received";
inline constexpr std::string_view InspectionCompleted = "inspection.completed";
inline constexpr std::string_view RestockCompleted = "restock.completed";
inline constexpr std::string_view LabelPrinted = "label.printed";
// The operator closed a parcel: what was expected, found, missing and extra (docs/messages.md).
inline constexpr std::string_view ParcelClosed = "parcel.closed";
// The operator took back a confirmed item before closing its parcel (CMD:UNDO): the inspection and
// its LPN are void; the item is inspected again under a new inspection id (docs/messages.md).
inline constexpr std::string_view InspectionVoided = "inspection.voided";
} // namespace event_type

struct Envelope
{
    std::string type; // "inspection.completed"
    int version = kEventVersion;
    std::string eventId;
    std::int64_t stationSeq = 0;
    std::string occurredAt; // RFC 3339 UTC with milliseconds
    std::string site;
    std::string station;
    nlohmann::json data; // the type-specific body
};

// True for a known event type (the event_type constants above).
bool isKnownEventType(std::string_view type);

// All functions below are pure and reentrant.

// The JSON body of an event. Strings that are not valid UTF-8 are replaced (U+FFFD), never thrown.
std::string encodeEnvelope(const Envelope& envelope);
// Parse and validate the envelope of an event body (docs/schemas/envelope.json): size
// (kMaxPayloadBytes) and nesting limit, JSON object, required fields with their types and
// patterns, schema "retour.<known type>" and version 1 (else Unsupported), data an object; its data
// is not checked (decodeEvent in events.h checks both). Unknown extra fields are ignored, as the
// schema allows them. Malformed for everything else, naming the field.
Result<Envelope> decodeEnvelope(std::string_view payload);
// Check that a decoded envelope agrees with the topic it arrived on (site, station and type);
// Unauthorised when it does not, Malformed when the topic is not an event topic. Central uses this
// so that a station cannot speak for another one in the body (docs/architecture.md "Contract over MQTT").
Result<void> checkEventTopic(const Envelope& envelope, std::string_view topic);

std::string encodeAck(const std::vector<std::string>& eventIds);
// Accepted iff the body satisfies docs/schemas/ack.json.
Result<std::vector<std::string>> decodeAck(std::string_view payload);

// Central's status document (retained on topics::centralStatus):
//   {"schema":"retour.central_status","version":1,"state":"online"|"offline",
//    "session":"<uuidv7 of this connection>","at":"<RFC 3339>"}
// A new `session` on every connection, so a station can tell a reconnected central from a stale
// retained "online" (a broker restart keeps the retained document of a central that is gone).
struct CentralStatus
{
    bool online = false;
    std::string session;
    std::string at;
};
std::string encodeCentralStatus(const CentralStatus& status);
// Accepted iff the body satisfies docs/schemas/central_status.json.
Result<CentralStatus> decodeCentralStatus(std::string_view payload);

// Looking up an identifier the station's RMA cache does not know (MQTT v5 request/response,
// docs/architecture.md "Contract over MQTT"): the station publishes on topics::request(site, station,
// "lookup"), response topic topics::command(site, station, "lookup"), correlation data = request_id.
//   {"schema":"retour.lookup_request","version":1,"request_id":"<uuid>","station":"…",
//    "key":"any"|"label"|"gtin"|"serial"|"order"|"tracking","value":"…"}
// Central answers with the RMA documents (the retained retour.rma body) of the open returns that
// match:
//   {"schema":"retour.lookup_response","version":1,"request_id":"<uuid>","matches":[{…rma…}]}
inline constexpr std::string_view kLookupRequestName = "lookup";
struct LookupRequest
{
    std::string requestId;
    std::string station;
    std::string key = "any";
    std::string value;
};
struct LookupResponse
{
    std::string requestId;
    std::vector<RmaDocument> matches;
};
std::string encodeLookupRequest(const LookupRequest& request);
// Accepted iff the body satisfies docs/schemas/lookup_request.json: a UUID request_id, a known key,
// a value of 1 to 256 characters.
Result<LookupRequest> decodeLookupRequest(std::string_view payload);
std::string encodeLookupResponse(const LookupResponse& response);
// Accepted iff the body satisfies docs/schemas/lookup_response.json (every match an RMA document).
Result<LookupResponse> decodeLookupResponse(std::string_view payload);

// A UUIDv7 (RFC 9562 §5.7), lower-case, 36 characters: 48-bit Unix milliseconds, version 7,
// 12 bits of sub-millisecond time (RFC 9562 §6.2 method 3, so ids from one clock sort by time to
// about 0.25 µs without any shared state), variant 0b10, 62 random bits from getrandom(2).
// Thread-safe.
std::string newUuidV7();
std::string newUuidV7(std::chrono::system_clock::time_point t);
// True for the 8-4-4-4-12 hex form of any UUID (either case).
bool isUuid(std::string_view text);

// RFC 3339 timestamps, the tree's one formatter and parser (base/include/retour/base/time.h):
// formatTimestamp gives UTC with milliseconds ("2026-11-26T11:29:56.123Z"); parseTimestamp reads a
// date-time with "Z" or a numeric offset and an optional fraction, nullopt when invalid.
using base::formatTimestamp;
using base::parseTimestamp;

} // namespace retour::sync
