// Event envelopes, acknowledgements, central status and lookups (docs/messages.md,
// docs/schemas/envelope.json, ack.json, central_status.json, lookup_request.json,
// lookup_response.json).
#include "retour/contract/message.h"

#include "codecs.h"
#include "fields.h"

#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace retour::sync {

namespace {

using detail::dump;
using detail::Fields;
using detail::Integers;
using detail::malformed;
using detail::parseObject;
using detail::Pattern;
using detail::Presence;
using detail::Text;
using nlohmann::json;

constexpr std::string_view kSchemaPrefix = "retour.";
constexpr std::string_view kAckSchema = "retour.ack";
constexpr std::string_view kCentralStatusSchema = "retour.central_status";
constexpr std::string_view kLookupRequestSchema = "retour.lookup_request";
constexpr std::string_view kLookupResponseSchema = "retour.lookup_response";

constexpr std::array<std::string_view, 2> kStates{"online", "offline"};
constexpr std::array<std::string_view, 6> kLookupKeys{"any", "label", "gtin", "serial", "order", "tracking"};
constexpr std::size_t kMaxLookupValue = 256;

// The reader's problem as an Error, or nothing.
Result<void> checked(const Fields& fields, std::string_view what)
{
    if (!fields.ok()) {
        return std::unexpected(malformed(what, *fields.problem()));
    }
    return {};
}

} // namespace

bool isKnownEventType(std::string_view type)
{
    return type == event_type::ParcelReceived || type == event_type::InspectionCompleted ||
           type == event_type::RestockCompleted || type == event_type::LabelPrinted ||
           type == event_type::ParcelClosed || type == event_type::InspectionVoided;
}

std::string encodeEnvelope(const Envelope& envelope)
{
    json doc = {
        {"schema", std::string(kSchemaPrefix) + envelope.type},
        {"version", envelope.version},
        {"event_id", envelope.eventId},
        {"station_seq", envelope.stationSeq},
        {"occurred_at", envelope.occurredAt},
        {"site", envelope.site},
        {"station", envelope.station},
        {"data", envelope.data.is_null() ? json::object() : envelope.data},
    };
    return dump(doc);
}

Result<Envelope> detail::readEnvelope(const json& doc)
{
    constexpr std::string_view what = "event";
    Fields fields(doc);
    const std::string schema = fields.string("schema");
    const std::int64_t version = fields.integer("version");
    if (auto ok = checked(fields, what); !ok) {
        return std::unexpected(ok.error());
    }
    const std::string_view name = schema;
    if (!name.starts_with(kSchemaPrefix) || !isKnownEventType(name.substr(kSchemaPrefix.size()))) {
        return std::unexpected(Error{ErrorCode::Unsupported, "event: unknown schema \"" + schema +
                                                                 "\" (expected retour.<event type>)"});
    }
    if (version != kEventVersion) {
        return std::unexpected(
            Error{ErrorCode::Unsupported,
                  "event: " + schema + " version " + std::to_string(version) + " is not supported (only 1)"});
    }
    Envelope envelope;
    envelope.type = std::string(name.substr(kSchemaPrefix.size()));
    envelope.version = kEventVersion;
    envelope.eventId = fields.string("event_id", Text{.pattern = Pattern::Uuid});
    envelope.stationSeq = fields.integer("station_seq", Integers{.minimum = 0});
    envelope.occurredAt = fields.string("occurred_at", Text{.pattern = Pattern::Timestamp});
    envelope.site = fields.string("site", Text{.minLength = 1, .pattern = Pattern::Level});
    envelope.station = fields.string("station", Text{.minLength = 1, .pattern = Pattern::Level});
    (void)fields.object("data");
    if (auto ok = checked(fields, what); !ok) {
        return std::unexpected(ok.error());
    }
    envelope.data = doc["data"];
    return envelope;
}

Result<Envelope> decodeEnvelope(std::string_view payload)
{
    auto parsed = parseObject(payload, "event");
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    return detail::readEnvelope(*parsed);
}

Result<void> checkEventTopic(const Envelope& envelope, std::string_view topic)
{
    topics::EventTopic parts;
    if (!topics::parseEventTopic(topic, parts)) {
        return std::unexpected(
            Error{ErrorCode::Malformed, "event topic \"" + std::string(topic) +
                                            "\" is not returns/v1/<site>/<station>/evt/<type>"});
    }
    auto mismatch = [&](const char* name, const std::string& body, const std::string& inTopic) {
        return std::unexpected(
            Error{ErrorCode::Unauthorised, "event " + envelope.eventId + ": " + name + " \"" + body +
                                               "\" in the body disagrees with \"" + inTopic + "\" in topic " +
                                               std::string(topic)});
    };
    if (parts.site != envelope.site) {
        return mismatch("site", envelope.site, parts.site);
    }
    if (parts.station != envelope.station) {
        return mismatch("station", envelope.station, parts.station);
    }
    if (parts.type != envelope.type) {
        return mismatch("type", envelope.type, parts.type);
    }
    return {};
}

std::string encodeAck(const std::vector<std::string>& eventIds)
{
    json doc = {{"schema", kAckSchema}, {"version", kEventVersion}, {"event_ids", eventIds}};
    return dump(doc);
}

Result<std::vector<std::string>> decodeAck(std::string_view payload)
{
    return detail::decodeMessage(payload, kAckSchema, "ack", [](Fields& fields) {
        return fields.strings("event_ids", Presence::Required, Text{.pattern = Pattern::Uuid});
    });
}

// ---- central status ----

std::string encodeCentralStatus(const CentralStatus& status)
{
    json doc = {{"schema", kCentralStatusSchema},
                {"version", kEventVersion},
                {"state", status.online ? "online" : "offline"},
                {"session", status.session},
                {"at", status.at}};
    return dump(doc);
}

Result<CentralStatus> decodeCentralStatus(std::string_view payload)
{
    return detail::decodeMessage(payload, kCentralStatusSchema, "central status", [](Fields& fields) {
        CentralStatus status;
        status.online = fields.string("state", Text{.oneOf = kStates}) == "online";
        // The will of a central that never connected carries no session and no time: "" for both.
        status.session = fields.string("session");
        if (!status.session.empty() && !detail::matches(Pattern::Uuid, status.session)) {
            fields.fail("session", "is neither a UUID nor empty");
        }
        status.at = fields.optionalString("at").value_or("");
        if (!status.at.empty() && !detail::matches(Pattern::Timestamp, status.at)) {
            fields.fail("at", "is neither an RFC 3339 date-time nor empty");
        }
        return status;
    });
}

// ---- lookup request / response ----

std::string encodeLookupRequest(const LookupRequest& request)
{
    json doc = {
        {"schema", kLookupRequestSchema}, {"version", kEventVersion}, {"request_id", request.requestId},
        {"station", request.station},     {"key", request.key},       {"value", request.value}};
    return dump(doc);
}

Result<LookupRequest> decodeLookupRequest(std::string_view payload)
{
    return detail::decodeMessage(payload, kLookupRequestSchema, "lookup request", [](Fields& fields) {
        LookupRequest request;
        request.requestId = fields.string("request_id", Text{.pattern = Pattern::Uuid});
        request.station = fields.string("station", Text{.minLength = 1, .pattern = Pattern::Level});
        request.key = fields.string("key", Text{.oneOf = kLookupKeys});
        request.value = fields.string("value", Text{.minLength = 1, .maxLength = kMaxLookupValue});
        return request;
    });
}

std::string encodeLookupResponse(const LookupResponse& response)
{
    json matches = json::array();
    for (const RmaDocument& rma : response.matches) {
        matches.push_back(detail::writeRma(rma));
    }
    json doc = {{"schema", kLookupResponseSchema},
                {"version", kEventVersion},
                {"request_id", response.requestId},
                {"matches", std::move(matches)}};
    return dump(doc);
}

Result<LookupResponse> decodeLookupResponse(std::string_view payload)
{
    return detail::decodeMessage(payload, kLookupResponseSchema, "lookup response", [](Fields& fields) {
        LookupResponse response;
        response.requestId = fields.string("request_id", Text{.pattern = Pattern::Uuid});
        for (Fields& match : fields.objects("matches", Presence::Required)) {
            response.matches.push_back(detail::readRma(match));
        }
        return response;
    });
}

} // namespace retour::sync
