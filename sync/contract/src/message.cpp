// Event envelopes and acknowledgements (DESIGN.md "Contract over MQTT", docs/messages.md).
#include "retour/contract/message.h"

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace retour::sync {

namespace {

using nlohmann::json;

constexpr std::string_view kSchemaPrefix = "retour.";
constexpr std::string_view kAckSchema = "retour.ack";

Error malformed(std::string_view what, std::string message)
{
    return Error{ErrorCode::Malformed, std::string(what) + ": " + std::move(message)};
}

// nlohmann's parser is iterative, but a deeply nested document still costs memory and later
// recursion (dump, comparisons); refuse it before parsing. Counts brackets outside strings.
bool nestingWithin(std::string_view text, int limit)
{
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : text) {
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                inString = false;
            }
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            if (++depth > limit) {
                return false;
            }
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return true;
}

// Size limit, nesting limit and JSON syntax; the result is an object.
Result<json> parseObject(std::string_view payload, std::string_view what)
{
    if (payload.size() > kMaxPayloadBytes) {
        return std::unexpected(malformed(what, "payload of " + std::to_string(payload.size()) +
                                                   " bytes exceeds the limit of " +
                                                   std::to_string(kMaxPayloadBytes)));
    }
    if (!nestingWithin(payload, kMaxJsonDepth)) {
        return std::unexpected(
            malformed(what, "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"));
    }
    json doc = json::parse(payload.begin(), payload.end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
        return std::unexpected(malformed(what, "not valid JSON"));
    }
    if (!doc.is_object()) {
        return std::unexpected(malformed(what, "not a JSON object"));
    }
    return doc;
}

const json* field(const json& doc, const char* name)
{
    const auto it = doc.find(name);
    return it == doc.end() ? nullptr : &*it;
}

Result<std::string> stringField(const json& doc, const char* name, std::string_view what)
{
    const json* value = field(doc, name);
    if (value == nullptr) {
        return std::unexpected(malformed(what, std::string("missing field \"") + name + "\""));
    }
    if (!value->is_string()) {
        return std::unexpected(malformed(what, std::string("field \"") + name + "\" must be a string"));
    }
    return value->get<std::string>();
}

Result<std::int64_t> integerField(const json& doc, const char* name, std::string_view what)
{
    const json* value = field(doc, name);
    if (value == nullptr) {
        return std::unexpected(malformed(what, std::string("missing field \"") + name + "\""));
    }
    if (value->is_number_unsigned()) {
        const auto u = value->get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            return std::unexpected(malformed(what, std::string("field \"") + name + "\" is out of range"));
        }
        return static_cast<std::int64_t>(u);
    }
    if (!value->is_number_integer()) {
        return std::unexpected(malformed(what, std::string("field \"") + name + "\" must be an integer"));
    }
    return value->get<std::int64_t>();
}

// "schema" and "version": Malformed when absent or mistyped, Unsupported when unknown.
Result<std::string> schemaOf(const json& doc, std::string_view what)
{
    auto schema = stringField(doc, "schema", what);
    if (!schema) {
        return std::unexpected(schema.error());
    }
    auto version = integerField(doc, "version", what);
    if (!version) {
        return std::unexpected(version.error());
    }
    if (*version != kEventVersion) {
        return std::unexpected(Error{ErrorCode::Unsupported, std::string(what) + ": " + *schema +
                                                                 " version " + std::to_string(*version) +
                                                                 " is not supported (only " +
                                                                 std::to_string(kEventVersion) + ")"});
    }
    return schema;
}

std::string dump(const json& doc)
{
    // Replace invalid UTF-8 rather than throw: encoding never fails on odd data.
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
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

Result<Envelope> decodeEnvelope(std::string_view payload)
{
    constexpr std::string_view what = "event";
    auto parsed = parseObject(payload, what);
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    const json& doc = *parsed;

    auto schema = schemaOf(doc, what);
    if (!schema) {
        return std::unexpected(schema.error());
    }
    const std::string_view schemaName = *schema;
    if (!schemaName.starts_with(kSchemaPrefix) ||
        !isKnownEventType(schemaName.substr(kSchemaPrefix.size()))) {
        return std::unexpected(Error{ErrorCode::Unsupported, "event: unknown schema \"" + *schema +
                                                                 "\" (expected retour.<event type>)"});
    }

    Envelope envelope;
    envelope.type = std::string(schemaName.substr(kSchemaPrefix.size()));
    envelope.version = kEventVersion;

    auto eventId = stringField(doc, "event_id", what);
    if (!eventId) {
        return std::unexpected(eventId.error());
    }
    if (!isUuid(*eventId)) {
        return std::unexpected(malformed(what, "event_id \"" + *eventId + "\" is not a UUID"));
    }
    envelope.eventId = std::move(*eventId);

    auto seq = integerField(doc, "station_seq", what);
    if (!seq) {
        return std::unexpected(seq.error());
    }
    if (*seq < 0) {
        return std::unexpected(malformed(what, "station_seq must not be negative"));
    }
    envelope.stationSeq = *seq;

    auto occurredAt = stringField(doc, "occurred_at", what);
    if (!occurredAt) {
        return std::unexpected(occurredAt.error());
    }
    if (!parseTimestamp(*occurredAt)) {
        return std::unexpected(
            malformed(what, "occurred_at \"" + *occurredAt + "\" is not an RFC 3339 time"));
    }
    envelope.occurredAt = std::move(*occurredAt);

    for (auto [name, target] : {std::pair{"site", &envelope.site}, std::pair{"station", &envelope.station}}) {
        auto value = stringField(doc, name, what);
        if (!value) {
            return std::unexpected(value.error());
        }
        if (!topics::isValidLevel(*value)) {
            return std::unexpected(
                malformed(what, std::string(name) + " \"" + *value + "\" is not a valid topic level"));
        }
        *target = std::move(*value);
    }

    const json* data = field(doc, "data");
    if (data == nullptr) {
        return std::unexpected(malformed(what, "missing field \"data\""));
    }
    if (!data->is_object()) {
        return std::unexpected(malformed(what, "field \"data\" must be an object"));
    }
    envelope.data = *data;
    return envelope;
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
    constexpr std::string_view what = "ack";
    auto parsed = parseObject(payload, what);
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    const json& doc = *parsed;
    auto schema = schemaOf(doc, what);
    if (!schema) {
        return std::unexpected(schema.error());
    }
    if (*schema != kAckSchema) {
        return std::unexpected(
            Error{ErrorCode::Unsupported, "ack: unknown schema \"" + *schema + "\" (expected retour.ack)"});
    }
    const json* ids = field(doc, "event_ids");
    if (ids == nullptr) {
        return std::unexpected(malformed(what, "missing field \"event_ids\""));
    }
    if (!ids->is_array()) {
        return std::unexpected(malformed(what, "field \"event_ids\" must be an array"));
    }
    std::vector<std::string> out;
    out.reserve(ids->size());
    for (const json& id : *ids) {
        if (!id.is_string() || !isUuid(id.get_ref<const std::string&>())) {
            return std::unexpected(
                malformed(what, "event_ids[" + std::to_string(out.size()) + "] is not a UUID string"));
        }
        out.push_back(id.get<std::string>());
    }
    return out;
}

// ---- central status ----

namespace {
constexpr std::string_view kCentralStatusSchema = "retour.central_status";
constexpr std::string_view kLookupRequestSchema = "retour.lookup_request";
constexpr std::string_view kLookupResponseSchema = "retour.lookup_response";
constexpr std::size_t kMaxLookupValue = 256;

Result<void> expectSchema(const json& doc, std::string_view expected, std::string_view what)
{
    auto schema = schemaOf(doc, what);
    if (!schema) {
        return std::unexpected(schema.error());
    }
    if (*schema != expected) {
        return std::unexpected(Error{ErrorCode::Unsupported, std::string(what) + ": unknown schema \"" +
                                                                 *schema + "\" (expected " +
                                                                 std::string(expected) + ")"});
    }
    return {};
}

bool isLookupKey(std::string_view key)
{
    return key == "any" || key == "label" || key == "gtin" || key == "serial" || key == "order" ||
           key == "tracking";
}
} // namespace

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
    constexpr std::string_view what = "central status";
    auto parsed = parseObject(payload, what);
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    if (auto ok = expectSchema(*parsed, kCentralStatusSchema, what); !ok) {
        return std::unexpected(ok.error());
    }
    auto state = stringField(*parsed, "state", what);
    if (!state) {
        return std::unexpected(state.error());
    }
    if (*state != "online" && *state != "offline") {
        return std::unexpected(malformed(what, "state \"" + *state + "\" is neither online nor offline"));
    }
    CentralStatus status;
    status.online = *state == "online";
    auto session = stringField(*parsed, "session", what);
    if (!session) {
        return std::unexpected(session.error());
    }
    status.session = std::move(*session);
    if (const json* at = field(*parsed, "at"); at != nullptr && at->is_string()) {
        status.at = at->get<std::string>();
    }
    return status;
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
    constexpr std::string_view what = "lookup request";
    auto parsed = parseObject(payload, what);
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    if (auto ok = expectSchema(*parsed, kLookupRequestSchema, what); !ok) {
        return std::unexpected(ok.error());
    }
    LookupRequest request;
    for (auto [name, target] :
         {std::pair{"request_id", &request.requestId}, std::pair{"station", &request.station},
          std::pair{"key", &request.key}, std::pair{"value", &request.value}}) {
        auto value = stringField(*parsed, name, what);
        if (!value) {
            return std::unexpected(value.error());
        }
        *target = std::move(*value);
    }
    if (!isUuid(request.requestId)) {
        return std::unexpected(malformed(what, "request_id \"" + request.requestId + "\" is not a UUID"));
    }
    if (!topics::isValidLevel(request.station)) {
        return std::unexpected(
            malformed(what, "station \"" + request.station + "\" is not a valid topic level"));
    }
    if (!isLookupKey(request.key)) {
        return std::unexpected(malformed(
            what, "key \"" + request.key + "\" is not one of any, label, gtin, serial, order, tracking"));
    }
    if (request.value.empty() || request.value.size() > kMaxLookupValue) {
        return std::unexpected(
            malformed(what, "value must be 1 to " + std::to_string(kMaxLookupValue) + " bytes"));
    }
    return request;
}

std::string encodeLookupResponse(const LookupResponse& response)
{
    json doc = {{"schema", kLookupResponseSchema},
                {"version", kEventVersion},
                {"request_id", response.requestId},
                {"matches", response.matches}};
    return dump(doc);
}

Result<LookupResponse> decodeLookupResponse(std::string_view payload)
{
    constexpr std::string_view what = "lookup response";
    auto parsed = parseObject(payload, what);
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    if (auto ok = expectSchema(*parsed, kLookupResponseSchema, what); !ok) {
        return std::unexpected(ok.error());
    }
    LookupResponse response;
    auto id = stringField(*parsed, "request_id", what);
    if (!id) {
        return std::unexpected(id.error());
    }
    if (!isUuid(*id)) {
        return std::unexpected(malformed(what, "request_id \"" + *id + "\" is not a UUID"));
    }
    response.requestId = std::move(*id);
    const json* matches = field(*parsed, "matches");
    if (matches == nullptr || !matches->is_array()) {
        return std::unexpected(malformed(what, "field \"matches\" must be an array"));
    }
    for (const json& match : *matches) {
        if (!match.is_object()) {
            return std::unexpected(malformed(what, "every match must be an RMA object"));
        }
        response.matches.push_back(match);
    }
    return response;
}

} // namespace retour::sync
