// Event envelopes and acknowledgements: round trips and every validation error (message.h).
#include "retour/contract/message.h"

#include <functional>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

namespace retour::sync {
namespace {

using nlohmann::json;

Envelope sampleEnvelope()
{
    Envelope e;
    e.type = std::string(event_type::InspectionCompleted);
    e.eventId = "01937b2e-8f3a-7c41-9d2e-5a6b7c8d9e0f";
    e.stationSeq = 42;
    e.occurredAt = "2026-11-26T11:29:56.123Z";
    e.site = "demo-site";
    e.station = "bench-01";
    e.data = {{"inspection_id", "0193"}, {"grade", {{"grade", "A"}}}, {"photos", json::array()}};
    return e;
}

json sampleJson()
{
    return json::parse(encodeEnvelope(sampleEnvelope()));
}

TEST(Envelope, RoundTripKeepsEveryField)
{
    const Envelope in = sampleEnvelope();
    const auto out = decodeEnvelope(encodeEnvelope(in));
    ASSERT_TRUE(out.has_value()) << out.error().message;
    EXPECT_EQ(out->type, in.type);
    EXPECT_EQ(out->version, 1);
    EXPECT_EQ(out->eventId, in.eventId);
    EXPECT_EQ(out->stationSeq, 42);
    EXPECT_EQ(out->occurredAt, in.occurredAt);
    EXPECT_EQ(out->site, in.site);
    EXPECT_EQ(out->station, in.station);
    EXPECT_EQ(out->data, in.data);
}

TEST(Envelope, RoundTripForEveryKnownType)
{
    for (std::string_view type : {event_type::ParcelReceived, event_type::InspectionCompleted,
                                  event_type::RestockCompleted, event_type::LabelPrinted}) {
        Envelope in = sampleEnvelope();
        in.type = std::string(type);
        const auto out = decodeEnvelope(encodeEnvelope(in));
        ASSERT_TRUE(out.has_value()) << type << ": " << out.error().message;
        EXPECT_EQ(out->type, type);
    }
}

TEST(Envelope, EncodesTheWireFieldNames)
{
    const json doc = sampleJson();
    EXPECT_EQ(doc.at("schema"), "retour.inspection.completed");
    EXPECT_EQ(doc.at("version"), 1);
    EXPECT_EQ(doc.at("event_id"), "01937b2e-8f3a-7c41-9d2e-5a6b7c8d9e0f");
    EXPECT_EQ(doc.at("station_seq"), 42);
    EXPECT_EQ(doc.at("occurred_at"), "2026-11-26T11:29:56.123Z");
    EXPECT_EQ(doc.at("site"), "demo-site");
    EXPECT_EQ(doc.at("station"), "bench-01");
    EXPECT_TRUE(doc.at("data").is_object());
    EXPECT_EQ(doc.size(), 8u);
}

TEST(Envelope, NullDataIsEncodedAsEmptyObject)
{
    Envelope in = sampleEnvelope();
    in.data = nullptr;
    const auto out = decodeEnvelope(encodeEnvelope(in));
    ASSERT_TRUE(out.has_value()) << out.error().message;
    EXPECT_EQ(out->data, json::object());
}

TEST(Envelope, InvalidUtf8InDataIsReplacedNotThrown)
{
    Envelope in = sampleEnvelope();
    in.data = {{"scanned", std::string("RMA-\xff\xfe-1")}};
    std::string payload;
    ASSERT_NO_THROW(payload = encodeEnvelope(in));
    const auto out = decodeEnvelope(payload);
    ASSERT_TRUE(out.has_value()) << out.error().message;
    EXPECT_NE(out->data.at("scanned").get<std::string>().find("RMA-"), std::string::npos);
}

TEST(Envelope, UnknownExtraFieldsAreIgnored)
{
    json doc = sampleJson();
    doc["trace_id"] = "abc";
    const auto out = decodeEnvelope(doc.dump());
    ASSERT_TRUE(out.has_value()) << out.error().message;
    EXPECT_EQ(out->stationSeq, 42);
}

TEST(Envelope, AcceptsTimestampWithOffset)
{
    json doc = sampleJson();
    doc["occurred_at"] = "2026-11-26T12:29:56+01:00";
    EXPECT_TRUE(decodeEnvelope(doc.dump()).has_value());
}

struct InvalidCase
{
    const char* name;
    std::function<void(json&)> mutate;
    ErrorCode expected;
    const char* messagePart;
};

// Names the case in ctest output instead of gtest's byte dump.
void PrintTo(const InvalidCase& c, std::ostream* os)
{
    *os << c.name;
}

class EnvelopeValidation : public ::testing::TestWithParam<InvalidCase>
{};

TEST_P(EnvelopeValidation, IsRefusedWithTheRightCode)
{
    const InvalidCase& c = GetParam();
    json doc = sampleJson();
    c.mutate(doc);
    const auto out = decodeEnvelope(doc.dump());
    ASSERT_FALSE(out.has_value()) << c.name;
    EXPECT_EQ(out.error().code, c.expected) << out.error().message;
    EXPECT_NE(out.error().message.find(c.messagePart), std::string::npos) << out.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    AllFields, EnvelopeValidation,
    ::
        testing::Values(InvalidCase{"MissingSchema", [](json& d) { d.erase("schema"); }, ErrorCode::Malformed,
                                    "schema"},
                        InvalidCase{"SchemaNotString", [](json& d) { d["schema"] = 7; }, ErrorCode::Malformed,
                                    "schema"},
                        InvalidCase{"UnknownType", [](json& d) { d["schema"] = "retour.parcel.exploded"; },
                                    ErrorCode::Unsupported, "retour.parcel.exploded"},
                        InvalidCase{"SchemaWithoutPrefix",
                                    [](json& d) { d["schema"] = "inspection.completed"; },
                                    ErrorCode::Unsupported, "unknown schema"},
                        InvalidCase{"AckSchemaIsNoEvent", [](json& d) { d["schema"] = "retour.ack"; },
                                    ErrorCode::Unsupported, "retour.ack"},
                        InvalidCase{"MissingVersion", [](json& d) { d.erase("version"); },
                                    ErrorCode::Malformed, "version"},
                        InvalidCase{"VersionTwo", [](json& d) { d["version"] = 2; }, ErrorCode::Unsupported,
                                    "version 2"},
                        InvalidCase{"VersionZero", [](json& d) { d["version"] = 0; }, ErrorCode::Unsupported,
                                    "version 0"},
                        InvalidCase{"VersionString", [](json& d) { d["version"] = "1"; },
                                    ErrorCode::Malformed, "version"},
                        InvalidCase{"VersionFloat", [](json& d) { d["version"] = 1.5; }, ErrorCode::Malformed,
                                    "version"},
                        InvalidCase{"MissingEventId", [](json& d) { d.erase("event_id"); },
                                    ErrorCode::Malformed, "event_id"},
                        InvalidCase{"EventIdNotString", [](json& d) { d["event_id"] = 12; },
                                    ErrorCode::Malformed, "event_id"},
                        InvalidCase{"EventIdNotUuid", [](json& d) { d["event_id"] = "not-a-uuid"; },
                                    ErrorCode::Malformed, "not a UUID"},
                        InvalidCase{"EventIdBadHex",
                                    [](json& d) { d["event_id"] = "01937b2e-8f3a-7c41-9d2e-5a6b7c8d9e0g"; },
                                    ErrorCode::Malformed, "not a UUID"},
                        InvalidCase{"MissingSeq", [](json& d) { d.erase("station_seq"); },
                                    ErrorCode::Malformed, "station_seq"},
                        InvalidCase{"SeqString", [](json& d) { d["station_seq"] = "42"; },
                                    ErrorCode::Malformed, "station_seq"},
                        InvalidCase{"SeqFloat", [](json& d) { d["station_seq"] = 4.2; }, ErrorCode::Malformed,
                                    "station_seq"},
                        InvalidCase{"SeqNegative", [](json& d) { d["station_seq"] = -1; },
                                    ErrorCode::Malformed, "negative"},
                        InvalidCase{"SeqOutOfRange",
                                    [](json& d) { d["station_seq"] = 18446744073709551615ULL; },
                                    ErrorCode::Malformed, "out of range"},
                        InvalidCase{"MissingOccurredAt", [](json& d) { d.erase("occurred_at"); },
                                    ErrorCode::Malformed, "occurred_at"},
                        InvalidCase{"OccurredAtNotTime", [](json& d) { d["occurred_at"] = "yesterday"; },
                                    ErrorCode::Malformed, "RFC 3339"},
                        InvalidCase{"OccurredAtNoZone",
                                    [](json& d) { d["occurred_at"] = "2026-11-26T11:29:56.123"; },
                                    ErrorCode::Malformed, "RFC 3339"},
                        InvalidCase{"OccurredAtBadDate",
                                    [](json& d) { d["occurred_at"] = "2026-02-30T11:29:56Z"; },
                                    ErrorCode::Malformed, "RFC 3339"},
                        InvalidCase{"MissingSite", [](json& d) { d.erase("site"); }, ErrorCode::Malformed,
                                    "site"},
                        InvalidCase{"EmptySite", [](json& d) { d["site"] = ""; }, ErrorCode::Malformed,
                                    "site"},
                        InvalidCase{"SiteWithSlash", [](json& d) { d["site"] = "a/b"; }, ErrorCode::Malformed,
                                    "site"},
                        InvalidCase{"MissingStation", [](json& d) { d.erase("station"); },
                                    ErrorCode::Malformed, "station"},
                        InvalidCase{"StationWildcard", [](json& d) { d["station"] = "+"; },
                                    ErrorCode::Malformed, "station"},
                        InvalidCase{"StationHash", [](json& d) { d["station"] = "bench#1"; },
                                    ErrorCode::Malformed, "station"},
                        InvalidCase{"StationNotString", [](json& d) { d["station"] = json::array(); },
                                    ErrorCode::Malformed, "station"},
                        InvalidCase{"MissingData", [](json& d) { d.erase("data"); }, ErrorCode::Malformed,
                                    "data"},
                        InvalidCase{
                            "DataArray",
                            [](json& d) {
                                d["data"] = json::array({1, 2});
                            },
                            ErrorCode::Malformed, "data"},
                        InvalidCase{"DataNull", [](json& d) { d["data"] = nullptr; }, ErrorCode::Malformed,
                                    "data"}),
    [](const ::testing::TestParamInfo<InvalidCase>& param) { return std::string(param.param.name); });

TEST(EnvelopeDecode, RefusesNonJson)
{
    const auto out = decodeEnvelope("{\"schema\": ");
    ASSERT_FALSE(out.has_value());
    EXPECT_EQ(out.error().code, ErrorCode::Malformed);
    EXPECT_NE(out.error().message.find("not valid JSON"), std::string::npos);
}

TEST(EnvelopeDecode, RefusesEmptyPayload)
{
    const auto out = decodeEnvelope("");
    ASSERT_FALSE(out.has_value());
    EXPECT_EQ(out.error().code, ErrorCode::Malformed);
}

TEST(EnvelopeDecode, RefusesNonObject)
{
    for (const char* payload : {"[1,2]", "\"text\"", "42", "null"}) {
        const auto out = decodeEnvelope(payload);
        ASSERT_FALSE(out.has_value()) << payload;
        EXPECT_EQ(out.error().code, ErrorCode::Malformed) << payload;
        EXPECT_NE(out.error().message.find("not a JSON object"), std::string::npos) << payload;
    }
}

TEST(EnvelopeDecode, RefusesPayloadOverTheSizeLimit)
{
    Envelope in = sampleEnvelope();
    in.data = {{"blob", std::string(kMaxPayloadBytes, 'x')}};
    const auto out = decodeEnvelope(encodeEnvelope(in));
    ASSERT_FALSE(out.has_value());
    EXPECT_EQ(out.error().code, ErrorCode::Malformed);
    EXPECT_NE(out.error().message.find("exceeds the limit"), std::string::npos);
}

TEST(EnvelopeDecode, AcceptsPayloadJustUnderTheSizeLimit)
{
    Envelope in = sampleEnvelope();
    in.data = {{"blob", ""}};
    const std::size_t overhead = encodeEnvelope(in).size();
    in.data = {{"blob", std::string(kMaxPayloadBytes - overhead, 'x')}};
    const std::string payload = encodeEnvelope(in);
    ASSERT_EQ(payload.size(), kMaxPayloadBytes);
    EXPECT_TRUE(decodeEnvelope(payload).has_value());
}

TEST(EnvelopeDecode, RefusesDeepNesting)
{
    json doc = sampleJson();
    std::string nested = std::string(200, '[') + std::string(200, ']');
    std::string payload = doc.dump();
    payload.insert(payload.size() - 1, ",\"deep\":" + nested);
    const auto out = decodeEnvelope(payload);
    ASSERT_FALSE(out.has_value());
    EXPECT_EQ(out.error().code, ErrorCode::Malformed);
    EXPECT_NE(out.error().message.find("nested"), std::string::npos);
}

TEST(EnvelopeDecode, BracketsInsideStringsDoNotCountAsNesting)
{
    Envelope in = sampleEnvelope();
    in.data = {{"note", std::string(500, '[') + "\\\"" + std::string(500, '{')}};
    EXPECT_TRUE(decodeEnvelope(encodeEnvelope(in)).has_value());
}

TEST(EnvelopeDecode, GarbageNeverThrows)
{
    const std::string seeds[] = {"\xff\xfe\x00", "{\"schema\":\"retour.label.printed\",\"version\":1e400}",
                                 "{\"a\":\"\\ud800\"}", std::string(1000, '{'), "{\"schema\":null}"};
    for (const std::string& s : seeds) {
        EXPECT_NO_THROW({
            auto r = decodeEnvelope(s);
            (void)r;
        });
        EXPECT_NO_THROW({
            auto r = decodeAck(s);
            (void)r;
        });
    }
}

TEST(EventTopicCheck, AcceptsTheMatchingTopic)
{
    const Envelope e = sampleEnvelope();
    EXPECT_TRUE(checkEventTopic(e, topics::event(e.site, e.station, e.type)).has_value());
}

TEST(EventTopicCheck, RefusesABodyFromAnotherStation)
{
    const Envelope e = sampleEnvelope();
    const auto r = checkEventTopic(e, topics::event(e.site, "bench-02", e.type));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::Unauthorised);
    EXPECT_NE(r.error().message.find("bench-02"), std::string::npos);
}

TEST(EventTopicCheck, RefusesAnotherSiteOrType)
{
    const Envelope e = sampleEnvelope();
    auto r = checkEventTopic(e, topics::event("other-site", e.station, e.type));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::Unauthorised);
    r = checkEventTopic(e, topics::event(e.site, e.station, event_type::LabelPrinted));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::Unauthorised);
}

TEST(EventTopicCheck, RefusesANonEventTopic)
{
    const Envelope e = sampleEnvelope();
    const auto r = checkEventTopic(e, topics::ack(e.site, e.station));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::Malformed);
}

TEST(Ack, RoundTrip)
{
    const std::vector<std::string> ids = {"01937b2e-8f3a-7c41-9d2e-5a6b7c8d9e0f",
                                          "01937b2e-8f3a-7c41-9d2e-5a6b7c8d9e10"};
    const std::string payload = encodeAck(ids);
    const json doc = json::parse(payload);
    EXPECT_EQ(doc.at("schema"), "retour.ack");
    EXPECT_EQ(doc.at("version"), 1);
    const auto out = decodeAck(payload);
    ASSERT_TRUE(out.has_value()) << out.error().message;
    EXPECT_EQ(*out, ids);
}

TEST(Ack, EmptyListRoundTrips)
{
    const auto out = decodeAck(encodeAck({}));
    ASSERT_TRUE(out.has_value()) << out.error().message;
    EXPECT_TRUE(out->empty());
}

TEST(Ack, ValidationErrors)
{
    const std::string id = "\"01937b2e-8f3a-7c41-9d2e-5a6b7c8d9e0f\"";
    struct Case
    {
        std::string payload;
        ErrorCode code;
    };
    const Case cases[] = {
        {"not json", ErrorCode::Malformed},
        {"[]", ErrorCode::Malformed},
        {R"({"version":1,"event_ids":[]})", ErrorCode::Malformed},
        {R"({"schema":"retour.ack","event_ids":[]})", ErrorCode::Malformed},
        {R"({"schema":"retour.status","version":1,"event_ids":[]})", ErrorCode::Unsupported},
        {R"({"schema":"retour.ack","version":2,"event_ids":[]})", ErrorCode::Unsupported},
        {R"({"schema":"retour.ack","version":1})", ErrorCode::Malformed},
        {R"({"schema":"retour.ack","version":1,"event_ids":"x"})", ErrorCode::Malformed},
        {R"({"schema":"retour.ack","version":1,"event_ids":[)" + id + R"(,"nope"]})", ErrorCode::Malformed},
        {R"({"schema":"retour.ack","version":1,"event_ids":[)" + id + R"(,17]})", ErrorCode::Malformed},
    };
    for (const Case& c : cases) {
        const auto out = decodeAck(c.payload);
        ASSERT_FALSE(out.has_value()) << c.payload;
        EXPECT_EQ(out.error().code, c.code) << c.payload << ": " << out.error().message;
    }
}

TEST(EventTypes, KnownTypes)
{
    EXPECT_TRUE(isKnownEventType("parcel.received"));
    EXPECT_TRUE(isKnownEventType("inspection.completed"));
    EXPECT_TRUE(isKnownEventType("restock.completed"));
    EXPECT_TRUE(isKnownEventType("label.printed"));
    EXPECT_FALSE(isKnownEventType(""));
    EXPECT_FALSE(isKnownEventType("ack"));
    EXPECT_FALSE(isKnownEventType("label.printed.x"));
}

} // namespace
} // namespace retour::sync

namespace retour::sync {
namespace {

TEST(CentralStatusMessage, RoundTripsAndRefusesUnknownStates)
{
    const CentralStatus online{true, newUuidV7(), "2026-11-26T11:29:56.123Z"};
    auto decoded = decodeCentralStatus(encodeCentralStatus(online));
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_TRUE(decoded->online);
    EXPECT_EQ(decoded->session, online.session);
    EXPECT_EQ(topics::centralStatus("site-a"), "returns/v1/site-a/central/status");
    EXPECT_FALSE(decodeCentralStatus(encodeCentralStatus({false, "", ""}))->online);

    auto bad = decodeCentralStatus(
        R"({"schema":"retour.central_status","version":1,"state":"dozing","session":""})");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::Malformed);
    auto other = decodeCentralStatus(R"({"schema":"retour.status","version":1,"state":"online"})");
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, ErrorCode::Unsupported);
    auto later = decodeCentralStatus(
        R"({"schema":"retour.central_status","version":2,"state":"online","session":""})");
    ASSERT_FALSE(later);
    EXPECT_EQ(later.error().code, ErrorCode::Unsupported);
    EXPECT_FALSE(decodeCentralStatus("not json"));
}

TEST(LookupMessages, RoundTripAndValidation)
{
    const LookupRequest request{newUuidV7(), "bench-01", "gtin", "04006381333931"};
    auto decoded = decodeLookupRequest(encodeLookupRequest(request));
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(decoded->requestId, request.requestId);
    EXPECT_EQ(decoded->station, "bench-01");
    EXPECT_EQ(decoded->key, "gtin");
    EXPECT_EQ(decoded->value, "04006381333931");

    for (const LookupRequest& bad : {LookupRequest{"not-a-uuid", "bench-01", "any", "x"},
                                     LookupRequest{newUuidV7(), "bench/01", "any", "x"},
                                     LookupRequest{newUuidV7(), "bench-01", "colour", "x"},
                                     LookupRequest{newUuidV7(), "bench-01", "any", ""},
                                     LookupRequest{newUuidV7(), "bench-01", "any", std::string(257, 'x')}}) {
        auto refused = decodeLookupRequest(encodeLookupRequest(bad));
        ASSERT_FALSE(refused) << encodeLookupRequest(bad);
        EXPECT_EQ(refused.error().code, ErrorCode::Malformed);
    }

    // A match is a whole RMA document (docs/schemas/lookup_response.json: items are rma.json).
    RmaDocument rma;
    rma.rmaId = "RMA-1";
    rma.site = "s";
    rma.channel = "portal";
    rma.state = "authorized";
    rma.labelBarcode = "RMA-1";
    LookupResponse response{request.requestId, {rma}};
    auto answer = decodeLookupResponse(encodeLookupResponse(response));
    ASSERT_TRUE(answer) << answer.error().message;
    EXPECT_EQ(answer->requestId, request.requestId);
    ASSERT_EQ(answer->matches.size(), 1u);
    EXPECT_EQ(answer->matches[0].rmaId, "RMA-1");
    EXPECT_FALSE(decodeLookupResponse(R"({"schema":"retour.lookup_response","version":1,"request_id":")" +
                                      request.requestId + R"(","matches":[1]})"));
    EXPECT_FALSE(decodeLookupResponse(R"({"schema":"retour.lookup_response","version":1,"request_id":")" +
                                      request.requestId + R"(","matches":[{"rma_id":"RMA-1"}]})"));
    EXPECT_EQ(topics::request("s", "b", kLookupRequestName), "returns/v1/s/b/req/lookup");
    EXPECT_EQ(topics::command("s", "b", kLookupRequestName), "returns/v1/s/b/cmd/lookup");
}

} // namespace
} // namespace retour::sync
