#include "tests/unit/central/ledger_fixture.h"

#include <gtest/gtest.h>

namespace retour::central {
namespace {

using nlohmann::json;
using test::eventBody;
using test::inspectionCompleted;
using test::parcelReceived;

using test::kSite;
constexpr std::string_view kReceivedAt = "2026-11-26T11:30:00.000Z";

class IngestTest : public test::LedgerTest
{
protected:
    IngestTest() : LedgerTest("central-ingest") {}

    void SetUp() override { ASSERT_NO_FATAL_FAILURE(openLedger(true)); }

    IngestResult handle(const std::string& topicName, const std::string& payload)
    {
        auto result = ingest_->handle(topicName, payload, kReceivedAt);
        EXPECT_TRUE(result) << result.error().message;
        return result ? *result : IngestResult{};
    }

    IngestResult send(std::string_view type, json data, std::string eventId = sync::newUuidV7())
    {
        auto result = deliver(type, std::move(data), std::move(eventId), kReceivedAt);
        EXPECT_TRUE(result) << result.error().message;
        return result ? *result : IngestResult{};
    }

    Return returnOf(std::string_view rmaId)
    {
        auto found = store_->findReturn(rmaId);
        EXPECT_TRUE(found && *found) << "no return " << rmaId;
        return found && *found ? **found : Return{};
    }

    std::size_t eventCount()
    {
        auto events = store_->events("");
        return events ? events->size() : 0;
    }

    std::int64_t deadLetterCount() { return store_->deadLetterCount().value_or(-1); }
};

TEST_F(IngestTest, ValidInspectionIsStoredWithEveryField)
{
    const std::string parcel = sync::newUuidV7();
    const std::string inspectionId = sync::newUuidV7();
    const std::string eventId = sync::newUuidV7();
    const auto result = send(sync::event_type::InspectionCompleted,
                             inspectionCompleted(inspectionId, parcel, "RMA-000101", "1"), eventId);
    EXPECT_EQ(result.outcome, IngestResult::Outcome::Stored);
    EXPECT_TRUE(result.acknowledge());
    EXPECT_EQ(result.eventId, eventId);
    EXPECT_EQ(result.station, "bench-01");

    const auto inspections = store_->inspections("RMA-000101");
    ASSERT_TRUE(inspections);
    ASSERT_EQ(inspections->size(), 1u);
    const Inspection& in = (*inspections)[0];
    EXPECT_EQ(in.inspectionId, inspectionId);
    EXPECT_EQ(in.eventId, eventId);
    EXPECT_EQ(in.station, "bench-01");
    EXPECT_EQ(in.parcelId, parcel);
    EXPECT_EQ(in.rmaId, "RMA-000101");
    EXPECT_EQ(in.reportedRma, "RMA-000101");
    EXPECT_EQ(in.lineId, "1");
    EXPECT_EQ(in.channel, "portal");
    EXPECT_EQ(in.identifiedBy, "rma_label");
    EXPECT_EQ(in.sku, "HEAD-BT-200");
    EXPECT_EQ(in.gtin, "4006381333931");
    EXPECT_EQ(in.serial, "SN-BT200-0001");
    EXPECT_EQ(in.category, "electronics");
    EXPECT_EQ(in.description, "Bluetooth headphones BT-200");
    EXPECT_DOUBLE_EQ(in.measuredG.value_or(0), 515.0);
    EXPECT_DOUBLE_EQ(in.expectedG.value_or(0), 512);
    EXPECT_DOUBLE_EQ(in.toleranceG.value_or(0), 30);
    EXPECT_EQ(in.weightResult, "ok");
    ASSERT_EQ(in.photos.size(), 2u);
    EXPECT_EQ(in.photos[0].sha256, std::string(64, 'a'));
    EXPECT_EQ(in.photos[0].view, "front");
    EXPECT_EQ(in.photos[0].bytes, 48211);
    EXPECT_EQ(in.photos[0].width, 1280);
    EXPECT_EQ(in.photos[0].height, 720);
    EXPECT_EQ(in.photos[1].sha256, std::string(64, 'b'));
    EXPECT_FALSE(in.photoMissingReason);
    EXPECT_EQ(in.findings, std::vector<std::string>{"weight_mismatch"});
    EXPECT_EQ(in.gradeFunction, 0);
    EXPECT_EQ(in.gradeCosmetic, "A");
    EXPECT_EQ(in.grade, "A");
    EXPECT_EQ(in.dispositionCode, "restock_new");
    EXPECT_EQ(in.dispositionLocation, "A-01");
    EXPECT_EQ(in.dispositionRule, "like-new-restock");
    EXPECT_EQ(in.lpn, "LPN-bench-01-000001");
    EXPECT_EQ(in.operatorId, "op-17");
    EXPECT_EQ(in.confirmedAt, "2026-11-26T11:29:56.123Z");

    // The raw event is held verbatim, and the parcel is recorded on the return.
    const auto events = store_->events("bench-01");
    ASSERT_TRUE(events);
    ASSERT_EQ(events->size(), 1u);
    EXPECT_EQ((*events)[0].eventId, eventId);
    EXPECT_EQ((*events)[0].type, "inspection.completed");
    EXPECT_EQ((*events)[0].receivedAt, kReceivedAt);
    EXPECT_EQ(returnOf("RMA-000101").parcelIds, std::vector<std::string>{parcel});
}

TEST_F(IngestTest, DuplicateEventIsStoredOnceButAcknowledgedEachTime)
{
    const std::string eventId = sync::newUuidV7();
    const std::string payload =
        eventBody(sync::event_type::InspectionCompleted,
                  inspectionCompleted(sync::newUuidV7(), sync::newUuidV7(), "RMA-000101", "1"), "bench-01",
                  kSite, eventId);

    const auto first = handle(topic(sync::event_type::InspectionCompleted), payload);
    const auto second = handle(topic(sync::event_type::InspectionCompleted), payload);
    EXPECT_EQ(first.outcome, IngestResult::Outcome::Stored);
    EXPECT_EQ(second.outcome, IngestResult::Outcome::Duplicate);

    for (const IngestResult& result : {first, second}) {
        const auto acks = batchAcks(std::vector<IngestResult>{result});
        ASSERT_EQ(acks.size(), 1u);
        EXPECT_EQ(acks[0].topic, sync::topics::ack(kSite, "bench-01"));
        const auto ids = sync::decodeAck(acks[0].payload);
        ASSERT_TRUE(ids) << ids.error().message;
        EXPECT_EQ(*ids, std::vector<std::string>{eventId});
    }
    EXPECT_EQ(eventCount(), 1u);
    EXPECT_EQ(store_->inspections("RMA-000101")->size(), 1u);
}

TEST_F(IngestTest, StationInBodyOtherThanTopicIsDeadLettered)
{
    const std::string payload = eventBody(sync::event_type::ParcelReceived,
                                          parcelReceived(sync::newUuidV7(), "RMA-000101"), "bench-02", kSite);
    const auto result = handle(topic(sync::event_type::ParcelReceived, "bench-01"), payload);
    EXPECT_EQ(result.outcome, IngestResult::Outcome::DeadLettered);
    EXPECT_FALSE(result.acknowledge());
    EXPECT_NE(result.reason.find("bench-02"), std::string::npos) << result.reason;
    EXPECT_TRUE(batchAcks(std::vector<IngestResult>{result}).empty());
    EXPECT_EQ(eventCount(), 0u);
    EXPECT_EQ(returnOf("RMA-000101").state, ReturnState::Authorised);

    const auto letters = store_->deadLetters();
    ASSERT_TRUE(letters);
    ASSERT_EQ(letters->size(), 1u);
    EXPECT_EQ((*letters)[0].topic, topic(sync::event_type::ParcelReceived, "bench-01"));
    EXPECT_EQ((*letters)[0].payload, payload);
    EXPECT_EQ((*letters)[0].reason, result.reason);
}

TEST_F(IngestTest, SiteInBodyOtherThanTopicIsDeadLettered)
{
    const std::string payload =
        eventBody(sync::event_type::ParcelReceived, parcelReceived(sync::newUuidV7(), "RMA-000101"),
                  "bench-01", "other-site");
    const auto result = handle(topic(sync::event_type::ParcelReceived), payload);
    EXPECT_EQ(result.outcome, IngestResult::Outcome::DeadLettered);
    EXPECT_EQ(deadLetterCount(), 1);
}

TEST_F(IngestTest, TypeInBodyOtherThanTopicIsDeadLettered)
{
    const std::string payload = eventBody(sync::event_type::LabelPrinted, json{{"lpn", "x"}});
    const auto result = handle(topic(sync::event_type::RestockCompleted), payload);
    EXPECT_EQ(result.outcome, IngestResult::Outcome::DeadLettered);
    EXPECT_EQ(eventCount(), 0u);
}

TEST_F(IngestTest, MalformedJsonIsDeadLetteredAndNeverFatal)
{
    const auto result =
        handle(topic(sync::event_type::ParcelReceived), "{\"schema\": \"retour.parcel.received\",");
    EXPECT_EQ(result.outcome, IngestResult::Outcome::DeadLettered);
    EXPECT_FALSE(result.reason.empty());
    EXPECT_EQ(deadLetterCount(), 1);
    // The same garbage again is one dead letter seen twice.
    handle(topic(sync::event_type::ParcelReceived), "{\"schema\": \"retour.parcel.received\",");
    const auto letters = store_->deadLetters();
    ASSERT_TRUE(letters);
    ASSERT_EQ(letters->size(), 1u);
    EXPECT_EQ((*letters)[0].count, 2);
    // And the service carries on.
    EXPECT_EQ(send(sync::event_type::ParcelReceived, parcelReceived(sync::newUuidV7(), "RMA-000101")).outcome,
              IngestResult::Outcome::Stored);
}

TEST_F(IngestTest, UnknownVersionIsDeadLettered)
{
    json body = json::parse(
        eventBody(sync::event_type::ParcelReceived, parcelReceived(sync::newUuidV7(), "RMA-000101")));
    body["version"] = 2;
    const auto result = handle(topic(sync::event_type::ParcelReceived), body.dump());
    EXPECT_EQ(result.outcome, IngestResult::Outcome::DeadLettered);
    EXPECT_NE(result.reason.find("version 2"), std::string::npos) << result.reason;
    EXPECT_EQ(eventCount(), 0u);
    EXPECT_EQ(returnOf("RMA-000101").state, ReturnState::Authorised);
}

TEST_F(IngestTest, OversizedMessageIsDeadLetteredWithItsSizeAndATruncatedCopy)
{
    json data = parcelReceived(sync::newUuidV7(), "RMA-000101");
    data["padding"] = std::string(sync::kMaxPayloadBytes, 'x');
    const std::string body = eventBody(sync::event_type::ParcelReceived, data);
    const auto result = handle(topic(sync::event_type::ParcelReceived), body);
    EXPECT_EQ(result.outcome, IngestResult::Outcome::DeadLettered);
    EXPECT_NE(result.reason.find("exceeds the limit"), std::string::npos) << result.reason;
    EXPECT_EQ(eventCount(), 0u);
    const auto letters = store_->deadLetters();
    ASSERT_TRUE(letters);
    ASSERT_EQ(letters->size(), 1u);
    // Kept for diagnosis, but a flood of huge messages cannot fill central's disk.
    EXPECT_LT((*letters)[0].payload.size(), 8192u);
    EXPECT_EQ((*letters)[0].payload, body.substr(0, (*letters)[0].payload.size()));
    // Never fatal: the next event is taken.
    EXPECT_EQ(send(sync::event_type::ParcelReceived, parcelReceived(sync::newUuidV7(), "RMA-000101")).outcome,
              IngestResult::Outcome::Stored);
}

TEST_F(IngestTest, UnknownSchemaNameIsDeadLettered)
{
    json body = json::parse(
        eventBody(sync::event_type::ParcelReceived, parcelReceived(sync::newUuidV7(), "RMA-000101")));
    body["schema"] = "retour.parcel.teleported";
    const auto result = handle(topic(sync::event_type::ParcelReceived), body.dump());
    EXPECT_EQ(result.outcome, IngestResult::Outcome::DeadLettered);
    EXPECT_NE(result.reason.find("unknown schema"), std::string::npos) << result.reason;
    EXPECT_EQ(eventCount(), 0u);
}

TEST_F(IngestTest, InspectionWithoutGradeIsDeadLettered)
{
    json data = inspectionCompleted(sync::newUuidV7(), sync::newUuidV7(), "RMA-000101", "1");
    data.erase("grade");
    const auto result = send(sync::event_type::InspectionCompleted, data);
    EXPECT_EQ(result.outcome, IngestResult::Outcome::DeadLettered);
    EXPECT_NE(result.reason.find("data.grade"), std::string::npos) << result.reason;
    EXPECT_EQ(eventCount(), 0u);
    EXPECT_TRUE(store_->inspections("RMA-000101")->empty());
}

TEST_F(IngestTest, NotAnEventTopicIsDeadLettered)
{
    const auto result = handle("returns/v1/demo-site/bench-01/status", "{}");
    EXPECT_EQ(result.outcome, IngestResult::Outcome::DeadLettered);
    EXPECT_EQ(deadLetterCount(), 1);
}

TEST_F(IngestTest, ParcelReceivedMovesTheReturnWithAnAuditRow)
{
    const std::string parcel = sync::newUuidV7();
    const std::string eventId = sync::newUuidV7();
    const auto result = send(sync::event_type::ParcelReceived, parcelReceived(parcel, "RMA-000101"), eventId);
    EXPECT_EQ(result.outcome, IngestResult::Outcome::Stored);
    EXPECT_EQ(result.changedReturns, std::vector<std::string>{"RMA-000101"});

    const Return ret = returnOf("RMA-000101");
    EXPECT_EQ(ret.state, ReturnState::Received);
    EXPECT_EQ(ret.parcelIds, std::vector<std::string>{parcel});
    EXPECT_EQ(ret.updatedAt, kReceivedAt);

    const auto history = store_->transitions("RMA-000101");
    ASSERT_TRUE(history);
    ASSERT_EQ(history->size(), 2u);
    const Transition& moved = (*history)[1];
    EXPECT_EQ(moved.from, ReturnState::Authorised);
    EXPECT_EQ(moved.to, ReturnState::Received);
    EXPECT_EQ(moved.actor, "station:bench-01");
    EXPECT_EQ(moved.at, kReceivedAt);
    EXPECT_EQ(moved.eventId, eventId);
    EXPECT_NE(moved.reason.find(parcel), std::string::npos) << moved.reason;
}

TEST_F(IngestTest, UnannouncedParcelOpensAReturn)
{
    const std::string parcel = sync::newUuidV7();
    const auto result = send(sync::event_type::ParcelReceived, parcelReceived(parcel, nullptr));
    EXPECT_EQ(result.outcome, IngestResult::Outcome::Stored);

    const std::string id = "U-" + parcel.substr(0, 18);
    EXPECT_EQ(result.changedReturns, std::vector<std::string>{id});
    const Return ret = returnOf(id);
    EXPECT_EQ(ret.channel, "unannounced");
    EXPECT_EQ(ret.state, ReturnState::Received);
    EXPECT_EQ(ret.parcelIds, std::vector<std::string>{parcel});
    EXPECT_TRUE(ret.lines.empty());
    const auto history = store_->transitions(id);
    ASSERT_TRUE(history);
    ASSERT_EQ(history->size(), 1u);
    EXPECT_FALSE((*history)[0].from);
    EXPECT_EQ((*history)[0].actor, "station:bench-01");

    // Its inspections land on the same return, each item becoming a line.
    const auto inspected = send(sync::event_type::InspectionCompleted,
                                inspectionCompleted(sync::newUuidV7(), parcel, nullptr, nullptr));
    EXPECT_EQ(inspected.outcome, IngestResult::Outcome::Stored);
    const Return after = returnOf(id);
    ASSERT_EQ(after.lines.size(), 1u);
    EXPECT_EQ(after.lines[0].sku, "HEAD-BT-200");
    EXPECT_EQ(after.state, ReturnState::Inspected);
    EXPECT_EQ(store_->inspections(id)->size(), 1u);
}

TEST_F(IngestTest, ParcelForAnRmaCentralNeverIssuedIsKeptUnderThatId)
{
    const std::string parcel = sync::newUuidV7();
    const auto result = send(sync::event_type::ParcelReceived, parcelReceived(parcel, "RMA-999999"));
    EXPECT_EQ(result.outcome, IngestResult::Outcome::Stored);
    const Return ret = returnOf("RMA-999999");
    EXPECT_EQ(ret.channel, "unannounced");
    EXPECT_EQ(ret.state, ReturnState::Received);
}

TEST_F(IngestTest, EveryLineInspectedMovesTheReturnToInspected)
{
    const std::string parcel = sync::newUuidV7();
    send(sync::event_type::ParcelReceived, parcelReceived(parcel, "RMA-000101"));

    auto first = send(sync::event_type::InspectionCompleted,
                      inspectionCompleted(sync::newUuidV7(), parcel, "RMA-000101", "1"));
    EXPECT_EQ(first.outcome, IngestResult::Outcome::Stored);
    EXPECT_TRUE(first.changedReturns.empty());
    EXPECT_EQ(returnOf("RMA-000101").state, ReturnState::Received);

    const std::string lastEvent = sync::newUuidV7();
    auto second = send(sync::event_type::InspectionCompleted,
                       inspectionCompleted(sync::newUuidV7(), parcel, "RMA-000101", "2"), lastEvent);
    EXPECT_EQ(second.outcome, IngestResult::Outcome::Stored);
    EXPECT_EQ(second.changedReturns, std::vector<std::string>{"RMA-000101"});
    const Return ret = returnOf("RMA-000101");
    EXPECT_EQ(ret.state, ReturnState::Inspected);
    EXPECT_EQ(ret.parcelIds, std::vector<std::string>{parcel});

    const auto history = store_->transitions("RMA-000101");
    ASSERT_TRUE(history);
    ASSERT_EQ(history->size(), 3u);
    EXPECT_EQ((*history)[2].from, ReturnState::Received);
    EXPECT_EQ((*history)[2].to, ReturnState::Inspected);
    EXPECT_EQ((*history)[2].eventId, lastEvent);
}

TEST_F(IngestTest, InspectionBeforeParcelReceivedStillCounts)
{
    // RMA-000102 has one line: its one inspection completes it even without parcel.received.
    const std::string parcel = sync::newUuidV7();
    send(sync::event_type::InspectionCompleted,
         inspectionCompleted(sync::newUuidV7(), parcel, "RMA-000102", "1"));
    const Return ret = returnOf("RMA-000102");
    EXPECT_EQ(ret.state, ReturnState::Inspected);
    EXPECT_EQ(ret.parcelIds, std::vector<std::string>{parcel});
    // A late parcel.received does not move it back.
    send(sync::event_type::ParcelReceived, parcelReceived(parcel, "RMA-000102"));
    EXPECT_EQ(returnOf("RMA-000102").state, ReturnState::Inspected);
}

TEST_F(IngestTest, InspectionIdBookedByAnotherEventIsDeadLettered)
{
    const std::string inspectionId = sync::newUuidV7();
    const json data = inspectionCompleted(inspectionId, sync::newUuidV7(), "RMA-000101", "1");
    EXPECT_EQ(send(sync::event_type::InspectionCompleted, data).outcome, IngestResult::Outcome::Stored);
    const auto again = send(sync::event_type::InspectionCompleted, data); // new event_id, same inspection
    EXPECT_EQ(again.outcome, IngestResult::Outcome::DeadLettered);
    EXPECT_EQ(store_->inspections("RMA-000101")->size(), 1u);
}

TEST_F(IngestTest, LabelAndRestockEventsAreHeldWithoutLedgerEffect)
{
    EXPECT_EQ(
        send(sync::event_type::LabelPrinted,
             json{{"inspection_id", test::testId("i")}, {"lpn", "L"}, {"job_id", "j"}, {"printer", "tcp:x"}})
            .outcome,
        IngestResult::Outcome::Stored);
    EXPECT_EQ(send(sync::event_type::RestockCompleted, json{{"inspection_id", test::testId("i")},
                                                            {"lpn", "L"},
                                                            {"sku", "S"},
                                                            {"location", "A-01"},
                                                            {"condition", "new"}})
                  .outcome,
              IngestResult::Outcome::Stored);
    EXPECT_EQ(eventCount(), 2u);
    EXPECT_EQ(returnOf("RMA-000101").state, ReturnState::Authorised);
}

TEST_F(IngestTest, AcksAreBatchedPerStation)
{
    std::vector<IngestResult> results;
    for (const char* station : {"bench-01", "bench-02", "bench-01"}) {
        const std::string payload =
            eventBody(sync::event_type::LabelPrinted, json{{"lpn", "L"}}, station, kSite, sync::newUuidV7());
        results.push_back(handle(topic(sync::event_type::LabelPrinted, station), payload));
    }
    results.push_back(handle(topic(sync::event_type::LabelPrinted), "not json"));
    const auto acks = batchAcks(results);
    ASSERT_EQ(acks.size(), 2u);
    EXPECT_EQ(acks[0].topic, sync::topics::ack(kSite, "bench-01"));
    EXPECT_EQ(acks[0].eventIds, (std::vector<std::string>{results[0].eventId, results[2].eventId}));
    EXPECT_EQ(acks[1].topic, sync::topics::ack(kSite, "bench-02"));
    EXPECT_EQ(sync::decodeAck(acks[1].payload).value(), std::vector<std::string>{results[1].eventId});
}

TEST_F(IngestTest, ParcelClosedWithAMissingLineRecordsItAndMovesTheReturnToInspected)
{
    const std::string parcel = sync::newUuidV7();
    const std::string headphones = sync::newUuidV7();
    send(sync::event_type::ParcelReceived, parcelReceived(parcel, "RMA-000101"));
    send(sync::event_type::InspectionCompleted, inspectionCompleted(headphones, parcel, "RMA-000101", "1"));
    EXPECT_EQ(returnOf("RMA-000101").state, ReturnState::Received) << "line 2 not inspected yet";

    const std::string closeEvent = sync::newUuidV7();
    const auto closed = send(sync::event_type::ParcelClosed,
                             test::parcelClosed(parcel, "RMA-000101", {headphones}), closeEvent);
    EXPECT_EQ(closed.outcome, IngestResult::Outcome::Stored);
    EXPECT_EQ(closed.changedReturns, std::vector<std::string>{"RMA-000101"});
    EXPECT_EQ(returnOf("RMA-000101").state, ReturnState::Inspected);

    const auto findings = store_->returnFindings("RMA-000101");
    ASSERT_TRUE(findings) << findings.error().message;
    ASSERT_EQ(findings->size(), 1u);
    EXPECT_EQ((*findings)[0].finding, "missing_item");
    EXPECT_EQ((*findings)[0].lineId, "2");
    EXPECT_EQ((*findings)[0].sku, "CASE-BT-200");
    EXPECT_EQ((*findings)[0].quantity, 1);
    EXPECT_EQ((*findings)[0].parcelId, parcel);
    EXPECT_EQ((*findings)[0].eventId, closeEvent);

    const auto history = store_->transitions("RMA-000101");
    ASSERT_TRUE(history);
    EXPECT_EQ(history->back().to, ReturnState::Inspected);
    EXPECT_EQ(history->back().eventId, closeEvent);
    EXPECT_NE(history->back().reason.find("missing: 1 x CASE-BT-200 (line 2)"), std::string::npos)
        << history->back().reason;

    // Redelivered: acknowledged again, recorded once.
    EXPECT_EQ(send(sync::event_type::ParcelClosed, test::parcelClosed(parcel, "RMA-000101", {headphones}),
                   closeEvent)
                  .outcome,
              IngestResult::Outcome::Duplicate);
    EXPECT_EQ(store_->returnFindings("RMA-000101")->size(), 1u);
}

TEST_F(IngestTest, ParcelClosedBeforeItsLastInspectionWaitsForIt)
{
    const std::string parcel = sync::newUuidV7();
    const std::string headphones = sync::newUuidV7();
    send(sync::event_type::ParcelReceived, parcelReceived(parcel, "RMA-000101"));
    send(sync::event_type::ParcelClosed, test::parcelClosed(parcel, "RMA-000101", {headphones}));
    EXPECT_EQ(returnOf("RMA-000101").state, ReturnState::Received) << "a found item is not inspected yet";

    const auto late = send(sync::event_type::InspectionCompleted,
                           inspectionCompleted(headphones, parcel, "RMA-000101", "1"));
    EXPECT_EQ(late.changedReturns, std::vector<std::string>{"RMA-000101"});
    EXPECT_EQ(returnOf("RMA-000101").state, ReturnState::Inspected);
}

TEST_F(IngestTest, ParcelClosedWithoutAMissingSkuIsDeadLettered)
{
    auto data = test::parcelClosed(sync::newUuidV7(), "RMA-000101", {});
    data["missing"][0].erase("sku");
    const auto result = send(sync::event_type::ParcelClosed, data);
    EXPECT_EQ(result.outcome, IngestResult::Outcome::DeadLettered);
    EXPECT_NE(result.reason.find("data.missing[0].sku: missing"), std::string::npos) << result.reason;
    EXPECT_EQ(returnOf("RMA-000101").state, ReturnState::Authorised);
}

// A bench that scanned a pre-printed label it had no RMA for: the label leads to an order, the
// return is opened as channel preprinted against it (not unannounced), and the item the bench
// inspected without knowing the line counts against the line of its SKU.
TEST_F(IngestTest, PreprintedLabelOpensAReturnAgainstItsOrder)
{
    std::vector<std::string> asked;
    ingest_->setPreprintedLookup([&](std::string_view label) -> Result<std::optional<Return>> {
        asked.emplace_back(label);
        if (label != "SO-77") {
            return std::optional<Return>();
        }
        Return ret;
        ret.channel = "preprinted";
        ret.state = ReturnState::Received;
        ret.orderId = "SO-77";
        ret.customer = "eve@example.com";
        ret.labelBarcode = "SO-77";
        ReturnLine line;
        line.lineId = "1";
        line.sku = "HEAD-BT-200";
        line.category = "electronics";
        line.unitPrice = 129.9;
        ret.lines.push_back(line);
        return std::optional<Return>(ret);
    });
    const std::string parcel = sync::newUuidV7();
    json received = parcelReceived(parcel, nullptr);
    received["channel"] = "preprinted";
    received["identified_by"] = "preprinted_label";
    received["scanned"] = "SO-77";
    received["label"] = "SO-77";
    const auto result = send(sync::event_type::ParcelReceived, received);
    ASSERT_EQ(result.outcome, IngestResult::Outcome::Stored);
    const std::string rmaId = "P-" + parcel.substr(0, 18);
    ASSERT_EQ(result.changedReturns, std::vector<std::string>{rmaId});
    const Return ret = returnOf(rmaId);
    EXPECT_EQ(ret.channel, "preprinted");
    EXPECT_EQ(ret.state, ReturnState::Received);
    EXPECT_EQ(ret.orderId, "SO-77");
    EXPECT_EQ(ret.parcelIds, std::vector<std::string>{parcel});
    auto history = store_->transitions(rmaId);
    ASSERT_TRUE(history);
    ASSERT_EQ(history->size(), 1u);
    EXPECT_EQ((*history)[0].reason,
              "parcel " + parcel + " opened at the bench from pre-printed label \"SO-77\" of order SO-77");

    json inspected = inspectionCompleted(sync::newUuidV7(), parcel, nullptr, nullptr);
    inspected["channel"] = "preprinted";
    send(sync::event_type::InspectionCompleted, inspected);
    EXPECT_EQ(returnOf(rmaId).state, ReturnState::Inspected);
    auto inspections = store_->inspections(rmaId);
    ASSERT_TRUE(inspections);
    ASSERT_EQ(inspections->size(), 1u);
    EXPECT_EQ((*inspections)[0].lineId, "1");

    // A label that leads nowhere: an unannounced parcel, as before.
    const std::string other = sync::newUuidV7();
    received["parcel_id"] = other;
    received["label"] = "SO-404";
    send(sync::event_type::ParcelReceived, received);
    EXPECT_EQ(returnOf("U-" + other.substr(0, 18)).channel, "unannounced");
    EXPECT_EQ(asked, (std::vector<std::string>{"SO-77", "SO-404"}));
}

// The number issued with the order (state requested) is activated by its parcel.
TEST_F(IngestTest, PreprintedLabelActivatesTheNumberIssuedWithTheOrder)
{
    Return issued;
    issued.rmaId = "PP-000001";
    issued.channel = "preprinted";
    issued.state = ReturnState::Requested;
    issued.orderId = "SO-88";
    ReturnLine line;
    line.lineId = "1";
    line.sku = "HEAD-BT-200";
    issued.lines.push_back(line);
    ASSERT_TRUE(store_->transaction([&]() -> Result<void> {
        return ledger_->create(issued, Audit{"agent:w", "issued", "2026-11-26T10:00:00.000Z", {}});
    }));
    ingest_->setPreprintedLookup([&](std::string_view label) -> Result<std::optional<Return>> {
        auto found = store_->findReturn(label);
        if (!found) {
            return std::unexpected(found.error());
        }
        return *found;
    });
    json received = parcelReceived(sync::newUuidV7(), nullptr);
    received["channel"] = "preprinted";
    received["identified_by"] = "preprinted_label";
    received["label"] = "PP-000001";
    send(sync::event_type::ParcelReceived, received);
    EXPECT_EQ(returnOf("PP-000001").state, ReturnState::Received);
    EXPECT_EQ(returnOf("PP-000001").parcelIds.size(), 1u);
}

} // namespace
} // namespace retour::central
