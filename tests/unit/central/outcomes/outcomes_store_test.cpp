// Refund decisions, stock movements and customer messages on a real SQLite file, driven by real
// station events through Ingest: each written once with its delivery (idempotent across passes
// and restarts), and the payment adapter's answer moving the return. Label: unit.
#include "delivery/delivery.h"
#include "notify/messages.h"
#include "refunds/refunds.h"
#include "stock/stock.h"
#include "storage/sqlite/sqlite_db.h"
#include "tests/unit/central/ledger_fixture.h"

#include <gtest/gtest.h>

namespace retour::central {
namespace {

using nlohmann::json;
using test::kSite;
constexpr std::string_view kNow = "2026-11-26T12:00:00.000Z";

class OutcomesStoreTest : public test::LedgerTest
{
protected:
    OutcomesStoreTest() : LedgerTest("central-outcomes") {}

    void SetUp() override
    {
        ASSERT_NO_FATAL_FAILURE(openLedger(true));
        auto db = sqlite::Database::open(dir_ / "central.db", false);
        ASSERT_TRUE(db) << db.error().message;
        db_.emplace(std::move(*db));
        outcomes_ = attach();
        ASSERT_TRUE(outcomes_);
        auto policy = loadRefundPolicy(RETOUR_CENTRAL_CONFIG "/refunds.toml");
        ASSERT_TRUE(policy) << policy.error().format();
        policy_ = *policy;
    }

    void send(std::string_view type, json data, std::string eventId = sync::newUuidV7())
    {
        auto result = deliver(type, std::move(data), std::move(eventId), kNow);
        ASSERT_TRUE(result) << result.error().message;
        ASSERT_EQ(result->outcome, IngestResult::Outcome::Stored) << result->reason;
    }

    // An inspection of RMA-000101's line with the given grade and disposition, weight ok.
    json inspection(std::string id, std::string line, std::string sku, std::string grade,
                    std::string disposition)
    {
        json data = test::inspectionCompleted(std::move(id), test::testId("parcel-1"), "RMA-000101", line);
        data["item"]["sku"] = sku;
        data["findings"] = json::array();
        data["weight"]["result"] = "ok";
        data["grade"]["grade"] = grade;
        data["disposition"]["code"] = disposition;
        return data;
    }

    void inspectBoth()
    {
        send(sync::event_type::ParcelReceived, test::parcelReceived(test::testId("parcel-1"), "RMA-000101"));
        send(sync::event_type::InspectionCompleted,
             inspection(test::testId("insp-1"), "1", "HEAD-BT-200", "B", "open_box"));
        send(sync::event_type::InspectionCompleted,
             inspection(test::testId("insp-2"), "2", "CASE-BT-200", "A", "restock_new"));
    }

    ReturnState stateOf(std::string_view rmaId)
    {
        auto found = store_->findReturn(rmaId);
        EXPECT_TRUE(found && *found);
        return found && *found ? (*found)->state : ReturnState::Closed;
    }

    std::int64_t count(const std::string& sql)
    {
        auto stmt = db_->prepare(sql);
        EXPECT_TRUE(stmt);
        auto row = stmt->step();
        EXPECT_TRUE(row && *row);
        return stmt->integer(0);
    }

    std::optional<sqlite::Database> db_; // count()'s own connection
    std::unique_ptr<Storage> outcomes_;  // the outcomes' connection, as in `run`
    RefundPolicy policy_;
};

TEST_F(OutcomesStoreTest, InspectionTriggersOneRefundRequestWithItsDelivery)
{
    Refunds refunds(policy_, "http://127.0.0.1:9/refunds", *outcomes_);
    send(sync::event_type::ParcelReceived, test::parcelReceived(test::testId("parcel-1"), "RMA-000101"));
    auto early = refunds.decide(kNow);
    ASSERT_TRUE(early) << early.error().message;
    EXPECT_TRUE(early->empty()) << "148.90 EUR of electronics is refunded on inspection, not on receipt";

    send(sync::event_type::InspectionCompleted,
         inspection(test::testId("insp-1"), "1", "HEAD-BT-200", "B", "open_box"));
    send(sync::event_type::InspectionCompleted,
         inspection(test::testId("insp-2"), "2", "CASE-BT-200", "A", "restock_new"));
    auto decided = refunds.decide(kNow);
    ASSERT_TRUE(decided) << decided.error().message;
    EXPECT_EQ(*decided, std::vector<std::string>{"RMA-000101"});

    auto refund = refunds.find("RMA-000101");
    ASSERT_TRUE(refund && *refund);
    EXPECT_EQ((*refund)->refundId, "refund-RMA-000101");
    EXPECT_EQ((*refund)->trigger, "inspection");
    EXPECT_EQ((*refund)->amountCents, 12941);
    EXPECT_EQ((*refund)->state, "requested");
    EXPECT_TRUE((*refund)->triggerRule.starts_with("inspect-the-rest @ "));

    DeliveryStore& outbox = outcomes_->deliveries();
    auto delivery = outbox.byKey("refund-RMA-000101");
    ASSERT_TRUE(delivery && *delivery);
    EXPECT_EQ((*delivery)->state, "pending");
    EXPECT_EQ((*delivery)->target, "http://127.0.0.1:9/refunds");
    const json body = json::parse((*delivery)->body);
    EXPECT_EQ(body.at("amount_cents"), 12941);
    EXPECT_EQ(body.at("currency"), "EUR");
    EXPECT_EQ(body.at("lines").size(), 2u);

    // Passes and restarts never ask twice.
    EXPECT_TRUE(refunds.decide(kNow)->empty());
    Refunds restarted(policy_, "http://127.0.0.1:9/refunds", *outcomes_);
    EXPECT_TRUE(restarted.decide(kNow)->empty());
    EXPECT_EQ(count("SELECT COUNT(*) FROM deliveries WHERE kind = 'refund'"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM refunds"), 1);
}

TEST_F(OutcomesStoreTest, AdapterAnswerMovesTheReturnOrIsKeptForStaff)
{
    Refunds refunds(policy_, "http://127.0.0.1:9/refunds", *outcomes_);
    inspectBoth();
    ASSERT_TRUE(refunds.decide(kNow));
    EXPECT_EQ(stateOf("RMA-000101"), ReturnState::Inspected);
    DeliveryStore& outbox = outcomes_->deliveries();
    const auto delivery = *outbox.byKey("refund-RMA-000101").value();

    // Still pending: nothing to settle.
    EXPECT_TRUE(refunds.settle(kNow)->empty());
    ASSERT_TRUE(
        outbox.record(delivery.id, Verdict::Done, 2, kNow, Attempt{Verdict::Done, "HTTP 201", "{}"}, kNow));
    auto moved = refunds.settle(kNow);
    ASSERT_TRUE(moved) << moved.error().message;
    EXPECT_EQ(*moved, std::vector<std::string>{"RMA-000101"});
    EXPECT_EQ(stateOf("RMA-000101"), ReturnState::PartiallyRefunded);
    EXPECT_EQ((*refunds.find("RMA-000101"))->state, "refunded");
    auto history = store_->transitions("RMA-000101");
    ASSERT_TRUE(history);
    EXPECT_EQ(history->back().actor, "refunds:payment");
    EXPECT_NE(history->back().reason.find("129.41 EUR"), std::string::npos) << history->back().reason;
    // Settled once.
    EXPECT_TRUE(refunds.settle(kNow)->empty());
}

TEST_F(OutcomesStoreTest, RefusedRefundKeepsTheReasonAndTheState)
{
    Refunds refunds(policy_, "http://127.0.0.1:9/refunds", *outcomes_);
    inspectBoth();
    ASSERT_TRUE(refunds.decide(kNow));
    DeliveryStore& outbox = outcomes_->deliveries();
    const auto delivery = *outbox.byKey("refund-RMA-000101").value();
    ASSERT_TRUE(outbox.record(delivery.id, Verdict::Failed, 1, kNow,
                              Attempt{Verdict::Failed, "HTTP 422", R"({"error":"card expired"})"}, kNow));
    ASSERT_TRUE(refunds.settle(kNow));
    auto refund = *refunds.find("RMA-000101").value();
    EXPECT_EQ(refund.state, "failed");
    EXPECT_NE(refund.reason.value_or("").find("card expired"), std::string::npos);
    EXPECT_EQ(stateOf("RMA-000101"), ReturnState::Inspected);
}

TEST_F(OutcomesStoreTest, NothingToRefundRejectsTheReturnWithoutAPayment)
{
    Refunds refunds(policy_, "http://127.0.0.1:9/refunds", *outcomes_);
    send(sync::event_type::InspectionCompleted,
         inspection(test::testId("insp-1"), "1", "HEAD-BT-200", "E", "recycle"));
    send(sync::event_type::InspectionCompleted,
         inspection(test::testId("insp-2"), "2", "CASE-BT-200", "D", "recycle"));
    ASSERT_TRUE(refunds.decide(kNow));
    EXPECT_EQ((*refunds.find("RMA-000101"))->state, "none");
    EXPECT_EQ(stateOf("RMA-000101"), ReturnState::Rejected);
    EXPECT_EQ(count("SELECT COUNT(*) FROM deliveries"), 0);
}

// A low-value portal return under keep-low-value: refunded as soon as it is authorised, and once
// paid it is refunded and closed without a parcel (the stations drop it).
TEST_F(OutcomesStoreTest, KeepTheItemRefundSettlesTheReturnWithoutAParcel)
{
    Return cheap;
    cheap.rmaId = "RMA-000200";
    cheap.channel = "portal";
    cheap.customer = "ada@example.com";
    ReturnLine line;
    line.lineId = "1";
    line.sku = "SOCKS";
    line.category = "apparel";
    line.unitPrice = 6.5;
    cheap.lines.push_back(line);
    ASSERT_TRUE(store_->transaction([&]() -> Result<void> {
        return ledger_->create(cheap, Audit{"customer:ada", "approved", std::string(kNow), {}});
    }));
    Refunds refunds(policy_, "http://127.0.0.1:9/refunds", *outcomes_);
    auto decided = refunds.decide(kNow);
    ASSERT_TRUE(decided) << decided.error().message;
    EXPECT_EQ(*decided, std::vector<std::string>{"RMA-000200"});
    auto refund = *refunds.find("RMA-000200").value();
    EXPECT_TRUE(refund.keepItem);
    EXPECT_EQ(refund.trigger, "authorised");
    EXPECT_EQ(refund.amountCents, 650);
    DeliveryStore& outbox = outcomes_->deliveries();
    const auto delivery = *outbox.byKey("refund-RMA-000200").value();
    EXPECT_EQ(json::parse(delivery.body).at("keep_item"), true);
    ASSERT_TRUE(
        outbox.record(delivery.id, Verdict::Done, 1, kNow, Attempt{Verdict::Done, "HTTP 201", "{}"}, kNow));
    auto moved = refunds.settle(kNow);
    ASSERT_TRUE(moved) << moved.error().message;
    EXPECT_EQ(*moved, std::vector<std::string>{"RMA-000200"});
    EXPECT_EQ(stateOf("RMA-000200"), ReturnState::Closed);
    auto history = store_->transitions("RMA-000200");
    ASSERT_TRUE(history);
    ASSERT_EQ(history->size(), 3u);
    EXPECT_EQ((*history)[1].from, ReturnState::Authorised);
    EXPECT_EQ((*history)[1].to, ReturnState::Refunded);
    EXPECT_TRUE(
        (*history)[1].reason.starts_with("kept by the customer: refund refund-RMA-000200 of 6.50 EUR"))
        << (*history)[1].reason;
    EXPECT_EQ((*history)[2].reason, "kept by the customer: nothing to receive");
}

// Apparel on the portal is refunded on the carrier's first scan: decided while the parcel is in
// transit, and the payment applied to the ledger only once the parcel is received.
TEST_F(OutcomesStoreTest, CarrierScanRefundIsAppliedOnceTheParcelIsReceived)
{
    Return shirt;
    shirt.rmaId = "RMA-000201";
    shirt.channel = "portal";
    ReturnLine line;
    line.lineId = "1";
    line.sku = "SHIRT";
    line.category = "apparel";
    line.unitPrice = 39.9;
    shirt.lines.push_back(line);
    ASSERT_TRUE(store_->transaction([&]() -> Result<void> {
        return ledger_->create(shirt, Audit{"customer:ada", "approved", std::string(kNow), {}});
    }));
    Refunds refunds(policy_, "http://127.0.0.1:9/refunds", *outcomes_);
    EXPECT_TRUE(refunds.decide(kNow)->empty());
    ASSERT_TRUE(store_->transaction([&]() -> Result<void> {
        auto moved = ledger_->move("RMA-000201", ReturnState::InTransit,
                                   Audit{"carrier:dhl", "carrier scan", std::string(kNow), {}});
        if (!moved) {
            return std::unexpected(moved.error());
        }
        return {};
    }));
    EXPECT_EQ(*refunds.decide(kNow), std::vector<std::string>{"RMA-000201"});
    EXPECT_EQ((*refunds.find("RMA-000201"))->trigger, "carrier_scan");
    DeliveryStore& outbox = outcomes_->deliveries();
    const auto delivery = *outbox.byKey("refund-RMA-000201").value();
    ASSERT_TRUE(
        outbox.record(delivery.id, Verdict::Done, 1, kNow, Attempt{Verdict::Done, "HTTP 201", "{}"}, kNow));
    EXPECT_TRUE(refunds.settle(kNow)->empty());
    EXPECT_EQ(stateOf("RMA-000201"), ReturnState::InTransit);
    send(sync::event_type::ParcelReceived, test::parcelReceived(test::testId("parcel-9"), "RMA-000201"));
    EXPECT_EQ(*refunds.decide(kNow), std::vector<std::string>{"RMA-000201"});
    EXPECT_EQ(stateOf("RMA-000201"), ReturnState::Refunded);
}

TEST_F(OutcomesStoreTest, StockMovesOncePerEventFromBenchToShelf)
{
    StockLedger stock(defaultRoutingTable(), std::string("http://127.0.0.1:9/wms"), *outcomes_);
    inspectBoth();
    send(sync::event_type::RestockCompleted, json{{"inspection_id", test::testId("insp-2")},
                                                  {"lpn", "LPN-2"},
                                                  {"sku", "CASE-BT-200"},
                                                  {"location", "A-01"},
                                                  {"condition", "new"}});
    auto added = stock.catchUp(kNow);
    ASSERT_TRUE(added) << added.error().message;
    EXPECT_EQ(*added, 3);
    EXPECT_EQ(*stock.catchUp(kNow), 0);
    StockLedger restarted(defaultRoutingTable(), std::string("http://127.0.0.1:9/wms"), *outcomes_);
    EXPECT_EQ(*restarted.catchUp(kNow), 0);

    auto movements = stock.movements("");
    ASSERT_TRUE(movements);
    ASSERT_EQ(movements->size(), 3u);
    EXPECT_EQ((*movements)[0].route.value_or(""), "outlet");
    EXPECT_EQ((*movements)[0].condition, "open_box");
    EXPECT_EQ((*movements)[0].toLocation, "bench:bench-01");
    EXPECT_EQ((*movements)[2].kind, "restocked");
    EXPECT_EQ((*movements)[2].rmaId.value_or(""), "RMA-000101");
    EXPECT_EQ((*movements)[2].route.value_or(""), "pick_face");

    auto levels = stock.levels();
    ASSERT_TRUE(levels);
    ASSERT_EQ(levels->size(), 2u);
    EXPECT_EQ((*levels)[0].sku, "CASE-BT-200");
    EXPECT_EQ((*levels)[0].location, "A-01");
    EXPECT_EQ((*levels)[0].quantity, 1);
    EXPECT_EQ((*levels)[1].sku, "HEAD-BT-200");
    EXPECT_EQ((*levels)[1].location, "bench:bench-01");
    // One webhook delivery per movement.
    EXPECT_EQ(count("SELECT COUNT(*) FROM deliveries WHERE kind = 'stock'"), 3);
}

TEST_F(OutcomesStoreTest, EachStageIsToldOnceToTheReturnsAddress)
{
    auto templates = loadTemplates(RETOUR_CENTRAL_CONFIG "/templates");
    ASSERT_TRUE(templates) << templates.error().format();
    MessagesConfig config{
        "smtp://127.0.0.1:9", "returns@example.com", {}, "https://cs.example/{rma_id}/evidence"};
    Messages messages(config, *templates, std::string(kSite), *outcomes_);
    ASSERT_TRUE(
        db_->exec("INSERT INTO return_contacts (rma_id, email) VALUES ('RMA-000101', 'ada@example.com')"));
    inspectBoth();
    auto queued = messages.catchUp(kNow);
    ASSERT_TRUE(queued) << queued.error().message;
    // authorised (seed), received, inspected
    EXPECT_EQ(*queued, 3);
    EXPECT_EQ(*messages.catchUp(kNow), 0);
    Messages restarted(config, *templates, std::string(kSite), *outcomes_);
    EXPECT_EQ(*restarted.catchUp(kNow), 0);

    DeliveryStore& outbox = outcomes_->deliveries();
    auto inspected = outbox.byKey("message-RMA-000101-inspected");
    ASSERT_TRUE(inspected && *inspected);
    EXPECT_EQ((*inspected)->recipient.value_or(""), "ada@example.com");
    EXPECT_NE((*inspected)->body.find("Subject: Return RMA-000101: inspection result\r\n"),
              std::string::npos);
    EXPECT_NE((*inspected)->body.find("grade B, open_box"), std::string::npos) << (*inspected)->body;
    EXPECT_NE((*inspected)->body.find("https://cs.example/RMA-000101/evidence"), std::string::npos);
    // RMA-000102 has no address: no message.
    EXPECT_EQ(count("SELECT COUNT(*) FROM customer_messages WHERE rma_id = 'RMA-000102'"), 0);
}

TEST_F(OutcomesStoreTest, DeliveryKeysAreIdempotent)
{
    DeliveryStore& outbox = outcomes_->deliveries();
    Delivery d;
    d.key = "k-1";
    d.kind = "stock";
    d.transport = "http";
    d.target = "http://x";
    d.body = "{}";
    EXPECT_TRUE(*outbox.enqueue(d, kNow));
    EXPECT_FALSE(*outbox.enqueue(d, kNow));
    auto due = outbox.due("2026-11-26T12:00:01.000Z", 10);
    ASSERT_TRUE(due);
    ASSERT_EQ(due->size(), 1u);
    ASSERT_TRUE(outbox.record((*due)[0].id, Verdict::Retry, 1, "2026-11-26T12:01:00.000Z",
                              Attempt{Verdict::Retry, "HTTP 503", ""}, kNow));
    EXPECT_TRUE(outbox.due("2026-11-26T12:00:30.000Z", 10)->empty());
    EXPECT_EQ(outbox.due("2026-11-26T12:01:00.000Z", 10)->size(), 1u);
    EXPECT_EQ(outbox.counts("stock")->pending, 1);
}

} // namespace
} // namespace retour::central
