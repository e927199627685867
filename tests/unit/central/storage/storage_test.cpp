// Central's storage interfaces (storage/storage.h), written against the interfaces only: every
// backend is instantiated at the bottom and must pass all of them.
#include "storage/storage.h"
#include "tests/unit/central/fixtures.h"

#include <functional>
#include <gtest/gtest.h>
#include <string>

namespace retour::central {
namespace {

// How a backend's test opens a fresh database in `dir`.
struct Backend
{
    std::string name;
    std::function<StorageLocation(const std::filesystem::path& dir)> location;
};

class StorageTest : public ::testing::TestWithParam<Backend>
{
protected:
    void SetUp() override
    {
        auto opened = openStorage(GetParam().location(dir_.path()), OpenMode::ReadWrite);
        ASSERT_TRUE(opened) << opened.error().message;
        storage_ = std::move(*opened);
    }

    Storage& storage() { return *storage_; }

    // A return with one line, authorised at `at`, and its first audit row.
    void addReturn(const std::string& rmaId, const std::string& channel = "portal",
                   const std::string& at = "2026-11-26T10:00:00.000Z")
    {
        Return ret;
        ret.rmaId = rmaId;
        ret.channel = channel;
        ret.labelBarcode = rmaId;
        ret.createdAt = at;
        ret.updatedAt = at;
        ReturnLine line;
        line.lineId = "1";
        line.sku = "HEAD-BT-200";
        line.quantity = 2;
        line.unitPrice = 100.0;
        line.serials = {"SN-1"};
        line.reason = "does_not_fit";
        ret.lines.push_back(line);
        ASSERT_TRUE(storage().ledger().insertReturn(ret));
        ASSERT_TRUE(storage().ledger().recordTransition(
            Transition{rmaId, std::nullopt, ReturnState::Authorised, "test", "created", at, std::nullopt}));
    }

    // A stored inspection.completed of `rmaId` line 1 and its inspection.
    void addInspection(const std::string& rmaId, const std::string& inspectionId, const std::string& sku,
                       const std::string& at)
    {
        StoredEvent event;
        event.eventId = "evt-" + inspectionId;
        event.site = "demo-site";
        event.station = "bench-01";
        event.stationSeq = 1;
        event.type = "inspection.completed";
        event.occurredAt = at;
        event.receivedAt = at;
        event.topic = "returns/v1/demo-site/bench-01/evt/inspection.completed";
        event.payload = "{}";
        ASSERT_TRUE(storage().ledger().insertEvent(event));
        Inspection in;
        in.inspectionId = inspectionId;
        in.eventId = event.eventId;
        in.station = "bench-01";
        in.parcelId = "PARCEL-1";
        in.rmaId = rmaId;
        in.lineId = "1";
        in.sku = sku;
        in.serial = "SN-2";
        in.category = "electronics";
        in.grade = "B";
        in.dispositionCode = "open_box";
        in.weightResult = "mismatch";
        in.findings = {"scratches"};
        in.operatorId = "op-7";
        in.confirmedAt = at;
        ASSERT_TRUE(storage().ledger().insertInspection(in));
    }

    static Delivery delivery(const std::string& key, const std::string& kind = "refund")
    {
        Delivery d;
        d.key = key;
        d.kind = kind;
        d.transport = "http";
        d.target = "http://127.0.0.1:9/x";
        d.body = "{}";
        return d;
    }

    static RefundRecord refund(const std::string& rmaId, const std::string& decidedAt)
    {
        RefundRecord r;
        r.refundId = "refund-" + rmaId;
        r.rmaId = rmaId;
        r.trigger = "inspection";
        r.triggerRule = "default";
        r.amountCents = 9000;
        r.fullCents = 10000;
        r.currency = "EUR";
        r.lines = nlohmann::json::array({{{"line_id", "1"}}});
        r.state = "requested";
        r.decidedAt = decidedAt;
        return r;
    }

    retour::test::TempDir dir_{"central-storage"};
    std::unique_ptr<Storage> storage_;
};

TEST_P(StorageTest, ATransactionSpansEveryStoreAndRollsBackAsOne)
{
    addReturn("RMA-1");
    const auto failed = storage().transaction([&]() -> Result<void> {
        EXPECT_TRUE(storage().refunds().insert(refund("RMA-1", "2026-11-26T11:00:00.000Z")));
        EXPECT_TRUE(storage().deliveries().enqueue(delivery("refund-RMA-1"), "2026-11-26T11:00:00.000Z"));
        return fail(ErrorCode::Invalid, "changed my mind");
    });
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().message, "changed my mind");
    EXPECT_FALSE(*storage().refunds().byRma("RMA-1"));
    EXPECT_FALSE(*storage().deliveries().byKey("refund-RMA-1"));

    ASSERT_TRUE(storage().transaction([&]() -> Result<void> {
        if (auto inserted = storage().refunds().insert(refund("RMA-1", "2026-11-26T11:00:00.000Z"));
            !inserted) {
            return inserted;
        }
        auto queued = storage().deliveries().enqueue(delivery("refund-RMA-1"), "2026-11-26T11:00:00.000Z");
        if (!queued) {
            return std::unexpected(queued.error());
        }
        return {};
    }));
    EXPECT_TRUE(*storage().refunds().byRma("RMA-1"));
    EXPECT_TRUE(*storage().deliveries().byKey("refund-RMA-1"));
}

TEST_P(StorageTest, ADeliveryIsQueuedOnceSentWhenDueAndSettledOnce)
{
    auto& outbox = storage().deliveries();
    EXPECT_TRUE(*outbox.enqueue(delivery("k-1"), "2026-11-26T11:00:00.000Z"));
    EXPECT_FALSE(*outbox.enqueue(delivery("k-1"), "2026-11-26T11:00:01.000Z"));
    EXPECT_TRUE(*outbox.enqueue(delivery("k-2", "stock"), "2026-11-26T11:00:02.000Z"));
    EXPECT_EQ(**outbox.nextDue(), "2026-11-26T11:00:00.000Z");

    auto due = outbox.due("2026-11-26T11:00:01.000Z", 10);
    ASSERT_TRUE(due);
    ASSERT_EQ(due->size(), 1u);
    EXPECT_EQ((*due)[0].key, "k-1");
    EXPECT_EQ((*due)[0].state, "pending");
    EXPECT_EQ((*due)[0].createdAt, "2026-11-26T11:00:00.000Z");
    const std::int64_t id = (*due)[0].id;

    ASSERT_TRUE(outbox.record(id, Verdict::Retry, 1, "2026-11-26T11:05:00.000Z",
                              Attempt{Verdict::Retry, "HTTP 503", "busy"}, "2026-11-26T11:00:03.000Z"));
    EXPECT_TRUE(outbox.due("2026-11-26T11:04:00.000Z", 10)->size() == 1u); // k-2 only
    const auto retried = *outbox.byKey("k-1");
    ASSERT_TRUE(retried);
    EXPECT_EQ(retried->attempts, 1);
    EXPECT_EQ(retried->nextAt, "2026-11-26T11:05:00.000Z");
    EXPECT_EQ(retried->lastError, "HTTP 503");
    EXPECT_EQ(retried->response, "busy");
    EXPECT_FALSE(retried->finishedAt);
    EXPECT_TRUE(outbox.unsettled("refund")->empty());

    ASSERT_TRUE(outbox.record(id, Verdict::Done, 2, "2026-11-26T11:05:00.000Z",
                              Attempt{Verdict::Done, "HTTP 200", "{}"}, "2026-11-26T11:05:01.000Z"));
    const auto done = *outbox.byKey("k-1");
    EXPECT_EQ(done->state, "done");
    EXPECT_FALSE(done->lastError);
    EXPECT_EQ(done->finishedAt, "2026-11-26T11:05:01.000Z");
    const auto counts = *outbox.counts("refund");
    EXPECT_EQ(counts.done, 1);
    EXPECT_EQ(counts.pending, 0);
    EXPECT_EQ(outbox.counts("stock")->pending, 1);

    auto unsettled = outbox.unsettled("refund");
    ASSERT_EQ(unsettled->size(), 1u);
    ASSERT_TRUE(outbox.markSettled((*unsettled)[0].id));
    EXPECT_TRUE(outbox.unsettled("refund")->empty());
}

TEST_P(StorageTest, ARefundIsFoundByReturnAndIdAndSettled)
{
    addReturn("RMA-1");
    addReturn("RMA-2");
    ASSERT_TRUE(storage().refunds().insert(refund("RMA-2", "2026-11-26T12:00:00.000Z")));
    RefundRecord first = refund("RMA-1", "2026-11-26T11:00:00.000Z");
    first.keepItem = true;
    ASSERT_TRUE(storage().refunds().insert(first));

    const auto found = *storage().refunds().byRma("RMA-1");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->refundId, "refund-RMA-1");
    EXPECT_TRUE(found->keepItem);
    EXPECT_EQ(found->amountCents, 9000);
    EXPECT_EQ(found->fullCents, 10000);
    EXPECT_EQ(found->lines, nlohmann::json::array({{{"line_id", "1"}}}));
    EXPECT_FALSE(found->reason);
    EXPECT_FALSE(*storage().refunds().byRma("RMA-3"));

    ASSERT_TRUE(storage().refunds().settle("refund-RMA-2", "failed", std::string("HTTP 422: no"),
                                           "2026-11-26T12:01:00.000Z"));
    const auto settled = *storage().refunds().byId("refund-RMA-2");
    EXPECT_EQ(settled->state, "failed");
    EXPECT_EQ(settled->reason, "HTTP 422: no");
    EXPECT_EQ(settled->settledAt, "2026-11-26T12:01:00.000Z");

    const auto all = *storage().refunds().all();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].rmaId, "RMA-1"); // decided first
    EXPECT_EQ(all[1].rmaId, "RMA-2");
}

TEST_P(StorageTest, AStageOfAReturnIsToldOnce)
{
    addReturn("RMA-1");
    const CustomerMessage message{"RMA-1", "authorised", "ada@example.com", "Your return",
                                  "2026-11-26T11:00:00.000Z"};
    EXPECT_TRUE(*storage().messages().record(message));
    EXPECT_FALSE(*storage().messages().record(message));
    EXPECT_TRUE(*storage().messages().record(
        CustomerMessage{"RMA-1", "received", "ada@example.com", "We have it", "2026-11-26T12:00:00.000Z"}));
}

TEST_P(StorageTest, LedgerChangesComeInOrderFromAPosition)
{
    addReturn("RMA-1");
    addReturn("RMA-2");
    ASSERT_TRUE(storage().ledger().recordTransition(Transition{"RMA-1", ReturnState::Authorised,
                                                               ReturnState::Received, "test", "parcel",
                                                               "2026-11-26T11:00:00.000Z", std::nullopt}));
    const auto all = *storage().ledger().changesAfter(0, -1);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].rmaId, "RMA-1");
    EXPECT_EQ(all[0].to, "authorised");
    EXPECT_EQ(all[2].rmaId, "RMA-1");
    EXPECT_EQ(all[2].to, "received");
    EXPECT_LT(all[0].position, all[1].position);
    EXPECT_LT(all[1].position, all[2].position);

    const auto limited = *storage().ledger().changesAfter(0, 2);
    ASSERT_EQ(limited.size(), 2u);
    const auto rest = *storage().ledger().changesAfter(limited.back().position, -1);
    ASSERT_EQ(rest.size(), 1u);
    EXPECT_EQ(rest[0].position, all[2].position);
}

TEST_P(StorageTest, StockIsBookedOncePerEventAndLevelsNetOut)
{
    addReturn("RMA-1");
    addInspection("RMA-1", "insp-1", "HEAD-BT-200", "2026-11-26T11:00:00.000Z");
    const auto sources = *storage().stock().sourcesAfter(0, 500);
    ASSERT_EQ(sources.size(), 1u);
    EXPECT_EQ(sources[0].eventId, "evt-insp-1");
    EXPECT_EQ(sources[0].type, "inspection.completed");
    EXPECT_EQ(sources[0].inspectionId, "insp-1");
    EXPECT_EQ(sources[0].rmaId, "RMA-1");
    EXPECT_EQ(sources[0].sku, "HEAD-BT-200");
    EXPECT_EQ(sources[0].dispositionCode, "open_box");
    EXPECT_EQ(sources[0].grade, "B");
    EXPECT_EQ(sources[0].category, "electronics");
    EXPECT_TRUE(storage().stock().sourcesAfter(sources[0].position, 500)->empty());

    StockMovement in;
    in.eventId = "evt-insp-1";
    in.kind = "inspected";
    in.sku = "HEAD-BT-200";
    in.toLocation = "bench:bench-01";
    in.condition = "open_box";
    in.inspectionId = "insp-1";
    in.rmaId = "RMA-1";
    in.route = "resale";
    in.station = "bench-01";
    in.at = "2026-11-26T11:00:00.000Z";
    EXPECT_TRUE(*storage().stock().book(in));
    EXPECT_FALSE(*storage().stock().book(in));
    EXPECT_TRUE(*storage().stock().movementId("evt-insp-1"));
    EXPECT_FALSE(*storage().stock().movementId("evt-other"));
    const auto inspected = *storage().stock().inspected("insp-1");
    ASSERT_TRUE(inspected);
    EXPECT_EQ(inspected->route, "resale");
    EXPECT_EQ(inspected->rmaId, "RMA-1");

    StockMovement shelved = in;
    shelved.eventId = "evt-restock-1";
    shelved.kind = "restocked";
    shelved.fromLocation = "bench:bench-01";
    shelved.toLocation = "A-01";
    shelved.condition = "unknown";
    shelved.at = "2026-11-26T12:00:00.000Z";
    EXPECT_TRUE(*storage().stock().book(shelved));

    const auto levels = *storage().stock().levels();
    ASSERT_EQ(levels.size(), 1u); // the bench is empty again; the unit keeps its condition
    EXPECT_EQ(levels[0].location, "A-01");
    EXPECT_EQ(levels[0].condition, "unknown");
    EXPECT_EQ(levels[0].quantity, 1);
    EXPECT_EQ(storage().stock().movements("")->size(), 2u);
    const auto later = *storage().stock().movements("2026-11-26T11:30:00.000Z");
    ASSERT_EQ(later.size(), 1u);
    EXPECT_EQ(later[0].kind, "restocked");
}

TEST_P(StorageTest, ReportFiguresCountReturnsInspectionsAndRefunds)
{
    addReturn("RMA-1", "portal", "2026-11-26T10:00:00.000Z");
    addReturn("RMA-2", "store", "2026-11-26T10:00:00.000Z");
    addReturn("RMA-3", "portal", "2026-11-20T10:00:00.000Z");
    addInspection("RMA-1", "insp-1", "OTHER-SKU", "2026-11-26T11:00:00.000Z");
    ASSERT_TRUE(storage().refunds().insert(refund("RMA-1", "2026-11-26T12:00:00.000Z")));

    auto& reports = storage().reports();
    const auto channels = *reports.returnsByChannel("2026-11-25T00:00:00.000Z");
    ASSERT_EQ(channels.size(), 2u);
    EXPECT_EQ(channels[0].key, "portal");
    EXPECT_EQ(channels[0].count, 1);
    EXPECT_EQ(channels[1].key, "store");
    EXPECT_EQ(reports.returnsByChannel("")->at(0).count, 2);
    EXPECT_EQ(reports.returnsByState("")->at(0).key, "authorised");

    const auto reasons = *reports.reasons("");
    ASSERT_EQ(reasons.size(), 1u);
    EXPECT_EQ(reasons[0].reason, "does_not_fit");
    EXPECT_EQ(reasons[0].lines, 3);
    EXPECT_EQ(reasons[0].units, 6);

    EXPECT_EQ(reports.inspectionsByGrade("")->at(0).key, "B");
    EXPECT_EQ(reports.inspectionsByDisposition("")->at(0).key, "open_box");
    EXPECT_TRUE(reports.inspectionsByGrade("2026-11-27T00:00:00.000Z")->empty());
    const auto facts = *reports.inspectionFacts("");
    ASSERT_EQ(facts.size(), 1u);
    EXPECT_EQ(facts[0].operatorId, "op-7");
    EXPECT_EQ(facts[0].at, "2026-11-26T11:00:00.000Z");
    EXPECT_EQ(facts[0].unitPrice, 100.0);
    EXPECT_EQ(facts[0].shippedSerials, std::vector<std::string>{"SN-1"});
    EXPECT_EQ(facts[0].itemSerial, "SN-2");
    EXPECT_EQ(facts[0].lineSku, "HEAD-BT-200");
    EXPECT_EQ(facts[0].itemSku, "OTHER-SKU");
    EXPECT_EQ(facts[0].findings, std::vector<std::string>{"scratches"});
    EXPECT_EQ(facts[0].weightResult, "mismatch");

    const auto refunds = *reports.refundTotals("");
    ASSERT_EQ(refunds.size(), 1u);
    EXPECT_EQ(refunds[0].state, "requested");
    EXPECT_EQ(refunds[0].count, 1);
    EXPECT_EQ(refunds[0].amountCents, 9000);
}

TEST_P(StorageTest, ASecondStorageSeesWhatTheFirstCommitted)
{
    auto attached = openStorage(GetParam().location(dir_.path()), OpenMode::Attached);
    ASSERT_TRUE(attached) << attached.error().message;
    auto reader = openStorage(GetParam().location(dir_.path()), OpenMode::ReadOnly);
    ASSERT_TRUE(reader) << reader.error().message;
    addReturn("RMA-1");
    ASSERT_TRUE((*attached)->orders().transaction(
        [&] { return (*attached)->orders().setContact("RMA-1", "ada@example.com"); }));
    EXPECT_EQ(*storage().orders().contact("RMA-1"), "ada@example.com");
    EXPECT_TRUE(*(*reader)->ledger().findReturn("RMA-1"));
}

TEST_P(StorageTest, AReadOnlyStorageNeedsAnExistingDatabase)
{
    const auto missing = openStorage(GetParam().location(dir_.path() / "elsewhere"), OpenMode::ReadOnly);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, StorageTest,
                         ::testing::Values(Backend{
                             "sqlite",
                             [](const std::filesystem::path& dir) {
                                 return StorageLocation{StorageBackend::Sqlite, dir / "central.db"};
                             }}),
                         [](const ::testing::TestParamInfo<Backend>& param) { return param.param.name; });

} // namespace
} // namespace retour::central
