// CMD:UNDO (workflow and store) and the audit trail with before/after (migration 3).
#include "retour/contract/message.h"
#include "retour/link/outbox.h"
#include "store/store.h"
#include "tests/support/contract.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/station/fixtures.h"
#include "tests/unit/station/workflow/workflow_effects.h"
#include "workflow/workflow.h"

#include <gtest/gtest.h>

namespace retour::station {
namespace {

using namespace retour::station::testing;
using retour::test::TempDir;
using State = Workflow::State;

class UndoTest : public ::testing::Test
{
protected:
    UndoTest() : directory_(demoDirectory()) {}

    void SetUp() override
    {
        rules_ = demoRules();
        ASSERT_NE(rules_, nullptr);
        WorkflowSettings settings = benchSettings();
        settings.hasCamera = false;
        workflow_ = std::make_unique<Workflow>(settings, rules_, directory_, testServices(ids_), 0);
    }

    std::vector<Effect> scan(std::string text) { return workflow_->handle(ScanInput{std::move(text), ""}); }

    // The apparel line of RMA-000103 (a shoe pair) inspected and confirmed.
    CommitInspection confirmShoes()
    {
        scan("036000291452");
        workflow_->handle(WeightInput{900.0, true});
        scan("CMD:GRADE:0:A");
        const auto commits = all<CommitInspection>(scan("CMD:CONFIRM"));
        EXPECT_EQ(commits.size(), 1u);
        workflow_->handle(CommitResult{commits.front().inspection.inspectionId, true, ""});
        return commits.front();
    }

    MemoryRmaDirectory directory_;
    std::shared_ptr<const RuleSet> rules_;
    std::unique_ptr<Workflow> workflow_;
    int ids_ = 0;
};

TEST_F(UndoTest, UndoVoidsTheLastConfirmedItemAndInspectsItAgain)
{
    scan("RMA-000103");
    const auto first = confirmShoes();
    ASSERT_EQ(workflow_->state(), State::ParcelOpen);

    const auto out = scan("CMD:UNDO");
    const auto voids = all<VoidInspection>(out);
    ASSERT_EQ(voids.size(), 1u);
    EXPECT_EQ(voids.front().inspectionId, first.inspection.inspectionId);
    EXPECT_EQ(voids.front().lpn, first.inspection.lpn);
    EXPECT_EQ(voids.front().operatorId, "op-17");

    const auto after = workflow_->handle(VoidResult{first.inspection.inspectionId, true, ""});
    EXPECT_TRUE(said(after, first.inspection.lpn + " is void"));
    // The same line is inspected again under a new inspection id and, once confirmed, a new LPN.
    EXPECT_EQ(workflow_->state(), State::AwaitWeight);
    ASSERT_NE(workflow_->currentInspection(), nullptr);
    EXPECT_EQ(workflow_->currentInspection()->lineId, first.inspection.lineId);
    EXPECT_NE(workflow_->currentInspection()->inspectionId, first.inspection.inspectionId);
    workflow_->handle(WeightInput{900.0, true});
    scan("CMD:GRADE:1:B");
    const auto again = all<CommitInspection>(scan("CMD:CONFIRM"));
    ASSERT_EQ(again.size(), 1u);
    EXPECT_NE(again.front().inspection.lpn, first.inspection.lpn);
    workflow_->handle(CommitResult{again.front().inspection.inspectionId, true, ""});
    // The line counts once: closing reports only the belt as missing.
    const auto closed = all<CloseParcel>(scan("CMD:CLOSE"));
    ASSERT_EQ(closed.size(), 1u);
    ASSERT_EQ(closed.front().missing.size(), 1u);
    EXPECT_EQ(closed.front().missing.front().lineId, "2");
}

TEST_F(UndoTest, UndoIsRefusedWithoutAConfirmedItemDuringAnItemAndAfterClose)
{
    EXPECT_TRUE(said(scan("CMD:UNDO"), "no parcel is open"));
    scan("RMA-000103");
    EXPECT_TRUE(said(scan("CMD:UNDO"), "no item of this parcel is confirmed yet"));
    scan("036000291452");
    const auto during = scan("CMD:UNDO");
    EXPECT_TRUE(all<VoidInspection>(during).empty());
    EXPECT_TRUE(said(during, "finish the current item"));
    scan("CMD:CANCEL");
    confirmShoes();
    scan("CMD:CLOSE");
    const auto closed = scan("CMD:UNDO");
    EXPECT_TRUE(all<VoidInspection>(closed).empty());
    EXPECT_TRUE(said(closed, "a closed parcel cannot be undone"));
}

TEST_F(UndoTest, FailedVoidKeepsTheItemConfirmed)
{
    scan("RMA-000103");
    const auto first = confirmShoes();
    scan("CMD:UNDO");
    const auto out = workflow_->handle(VoidResult{first.inspection.inspectionId, false, "disk full"});
    EXPECT_TRUE(said(out, "CMD:UNDO failed, the item stays confirmed: disk full"));
    EXPECT_EQ(workflow_->state(), State::ParcelOpen);
    // Still counted: the next CMD:NEXT goes to the belt, not the shoes.
    scan("CMD:NEXT");
    ASSERT_NE(workflow_->currentInspection(), nullptr);
    EXPECT_EQ(workflow_->currentInspection()->lineId, "2");
}

TEST_F(UndoTest, ReprintAfterUndoPrintsThePreviousItemsLabel)
{
    scan("RMA-000103");
    const auto shoes = confirmShoes();
    scan("CMD:NEXT");
    workflow_->handle(WeightInput{250.0, true});
    scan("CMD:GRADE:0:A");
    const auto belt = all<CommitInspection>(scan("CMD:CONFIRM"));
    ASSERT_EQ(belt.size(), 1u);
    workflow_->handle(CommitResult{belt.front().inspection.inspectionId, true, ""});
    scan("CMD:UNDO");
    workflow_->handle(VoidResult{belt.front().inspection.inspectionId, true, ""});
    scan("CMD:CANCEL");
    const auto reprints = all<ReprintLabel>(scan("CMD:REPRINT"));
    ASSERT_EQ(reprints.size(), 1u);
    EXPECT_EQ(reprints.front().label.lpn, shoes.inspection.lpn);
}

TEST_F(UndoTest, SignInSignOutAndOverrideAreAuditedWithBeforeAndAfter)
{
    const auto in = all<AuditChange>(scan("CMD:SIGNIN:op-42"));
    ASSERT_EQ(in.size(), 1u);
    EXPECT_EQ(in.front().action, "operator.signed_in");
    EXPECT_EQ(in.front().actor, "op-42");
    EXPECT_EQ(in.front().before["operator"], "op-17");
    EXPECT_EQ(in.front().after["operator"], "op-42");

    scan("RMA-000103");
    scan("036000291452");
    workflow_->handle(WeightInput{900.0, true});
    scan("CMD:GRADE:0:A");
    const auto overridden = all<AuditChange>(scan("CMD:OVERRIDE:B:scuffed_sole"));
    ASSERT_EQ(overridden.size(), 1u);
    EXPECT_EQ(overridden.front().action, "grade.overridden");
    EXPECT_EQ(overridden.front().before["grade"], "A");
    EXPECT_EQ(overridden.front().after["grade"], "B");
    scan("CMD:CANCEL");
    scan("CMD:CLOSE");

    const auto out = all<AuditChange>(scan("CMD:SIGNOUT"));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out.front().action, "operator.signed_out");
    EXPECT_EQ(out.front().before["operator"], "op-42");
    EXPECT_EQ(out.front().after["operator"], "op-17");
}

// ---- the store, on a real SQLite file ----

Inspection storedInspection(const std::string& id, const std::string& lpn)
{
    Inspection i;
    i.inspectionId = id;
    i.parcelId = "parcel-1";
    i.rmaId = "RMA-000101";
    i.lineId = "1";
    i.channel = "portal";
    i.identifiedBy = "rma_label";
    i.item = ItemInfo{"HEAD-BT-200", "4006381333931", "SN-1", "electronics", "Headphones"};
    i.grade = GradeResult{0, 'A', 'A'};
    i.disposition = Decision{Disposition::RestockNew, "A-01", "like-new-restock"};
    i.lpn = lpn;
    i.operatorId = "op-17";
    i.confirmedAt = "2026-11-26T11:29:56.123Z";
    return i;
}

class StoreUndoTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        auto store =
            Store::open(dir_.path() / "station.db", Store::Options{"demo-site", "bench-01", 100000, 5000});
        ASSERT_TRUE(store.has_value()) << store.error().message;
        store_ = std::move(*store);
        ASSERT_TRUE(store_->createParcel(Parcel{"parcel-1", "RMA-000101", "portal", "rma_label", "RMA-000101",
                                                "op-17", "2026-11-26T11:00:00.000Z"}));
        ASSERT_TRUE(store_->confirmItem(storedInspection("insp-1", "LPN-bench-01-000001"),
                                        LabelRecord{"job-1", "insp-1", "LPN-bench-01-000001", "^XA^XZ"}));
    }

    TempDir dir_;
    std::unique_ptr<Store> store_;
};

TEST_F(StoreUndoTest, VoidMarksInspectionAndLabelEnqueuesTheEventAndAuditsBeforeAndAfter)
{
    EXPECT_GE(store_->schemaVersion(), 3);
    ASSERT_EQ(store_->pendingLabels()->size(), 1u);
    auto ok = store_->voidInspection("insp-1", "op-17", "2026-11-26T11:31:00.000Z");
    ASSERT_TRUE(ok.has_value()) << ok.error().message;

    // The job not printed yet never reaches the printer.
    EXPECT_TRUE(store_->pendingLabels()->empty());
    EXPECT_EQ(*store_->pendingLabelCount(), 0);
    EXPECT_EQ(*store_->voidedInspections(), std::vector<std::string>{"insp-1"});

    auto events = store_->outbox().after(0, 100);
    ASSERT_TRUE(events.has_value());
    ASSERT_FALSE(events->empty());
    const auto& last = events->back();
    EXPECT_EQ(last.topic, "returns/v1/demo-site/bench-01/evt/inspection.voided");
    const auto body = nlohmann::json::parse(last.payload);
    EXPECT_EQ(body["schema"], "retour.inspection.voided");
    EXPECT_EQ(body["data"]["inspection_id"], "insp-1");
    EXPECT_EQ(body["data"]["lpn"], "LPN-bench-01-000001");
    EXPECT_EQ(body["data"]["operator"], "op-17");
    EXPECT_EQ(body["data"]["voided_at"], "2026-11-26T11:31:00.000Z");

    const auto trail = store_->auditTrail();
    ASSERT_TRUE(trail.has_value());
    const auto& row = trail->back();
    EXPECT_EQ(row["action"], "inspection.voided");
    EXPECT_EQ(row["actor"], "op-17");
    EXPECT_EQ(row["subject"], "insp-1");
    EXPECT_EQ(row["before"]["state"], "confirmed");
    EXPECT_EQ(row["before"]["grade"], "A");
    EXPECT_EQ(row["after"]["state"], "void");
}

TEST_F(StoreUndoTest, VoidIsRefusedTwiceForUnknownAndAfterTheParcelIsClosed)
{
    EXPECT_FALSE(store_->voidInspection("nope", "op-17", "t").has_value());
    ASSERT_TRUE(store_->voidInspection("insp-1", "op-17", "2026-11-26T11:31:00.000Z"));
    const auto twice = store_->voidInspection("insp-1", "op-17", "2026-11-26T11:32:00.000Z");
    ASSERT_FALSE(twice.has_value());
    EXPECT_NE(twice.error().message.find("voided already"), std::string::npos);

    ASSERT_TRUE(store_->confirmItem(storedInspection("insp-2", "LPN-bench-01-000002"),
                                    LabelRecord{"job-2", "insp-2", "LPN-bench-01-000002", "^XA^XZ"}));
    ASSERT_TRUE(
        store_->closeParcel("parcel-1", {}, nlohmann::json::array(), "2026-11-26T11:40:00.000Z", "op-17"));
    const auto closed = store_->voidInspection("insp-2", "op-17", "2026-11-26T11:41:00.000Z");
    ASSERT_FALSE(closed.has_value());
    EXPECT_NE(closed.error().message.find("was closed"), std::string::npos) << closed.error().message;
    EXPECT_EQ(store_->voidedInspections()->size(), 1u);
}

TEST_F(StoreUndoTest, AVoidRefusedByAFullOutboxChangesNothing)
{
    store_.reset();
    auto store = Store::open(dir_.path() / "station.db", Store::Options{"demo-site", "bench-01", 2, 5000});
    ASSERT_TRUE(store.has_value());
    store_ = std::move(*store);
    ASSERT_FALSE(store_->voidInspection("insp-1", "op-17", "2026-11-26T11:31:00.000Z").has_value());
    EXPECT_TRUE(store_->voidedInspections()->empty());
    EXPECT_EQ(store_->pendingLabels()->size(), 1u);
}

TEST_F(StoreUndoTest, RecordChangeKeepsBeforeAndAfter)
{
    ASSERT_TRUE(store_->recordChange("op-42", "operator.signed_in", "bench-01", {{"operator", "op-17"}},
                                     {{"operator", "op-42"}}));
    const auto trail = store_->auditTrail();
    ASSERT_TRUE(trail.has_value());
    const auto& row = trail->back();
    EXPECT_EQ(row["action"], "operator.signed_in");
    EXPECT_EQ(row["before"]["operator"], "op-17");
    EXPECT_EQ(row["after"]["operator"], "op-42");
    // Earlier rows (no before/after) read as null.
    EXPECT_TRUE(trail->front()["before"].is_null());
}

// The event the store enqueues follows docs/asyncapi.yaml and docs/schemas/inspection.voided.json;
// the validator refuses one without its LPN.
TEST(InspectionVoidedContract, TheStoresEventFollowsTheSchema)
{
    TempDir dir;
    auto store =
        Store::open(dir.path() / "station.db", Store::Options{"demo-site", "bench-01", 100000, 5000});
    ASSERT_TRUE(store.has_value());
    const std::string parcelId = sync::newUuidV7();
    const std::string inspectionId = sync::newUuidV7();
    ASSERT_TRUE((*store)->createParcel(Parcel{parcelId, "RMA-000101", "portal", "rma_label", "RMA-000101",
                                              "op-17", "2026-11-26T11:00:00.000Z"}));
    Inspection item = storedInspection(inspectionId, "LPN-bench-01-000001");
    item.parcelId = parcelId;
    ASSERT_TRUE((*store)->confirmItem(item, LabelRecord{"job-1", inspectionId, item.lpn, "^XA^XZ"}));
    ASSERT_TRUE((*store)->voidInspection(inspectionId, "op-17", "2026-11-26T11:31:00.000Z"));
    auto events = (*store)->outbox().after(0, 100);
    ASSERT_TRUE(events.has_value());
    const auto& voided = events->back();
    ASSERT_NE(voided.topic.find("inspection.voided"), std::string::npos);

    auto broken = nlohmann::json::parse(voided.payload);
    broken["data"].erase("lpn");
    const auto good = test::validateMessages({{voided.topic, voided.payload}});
    if (!good.available) {
        GTEST_SKIP() << good.output;
    }
    EXPECT_TRUE(good.valid) << good.output;
    const auto bad = test::validateMessages({{voided.topic, broken.dump()}});
    EXPECT_FALSE(bad.valid) << bad.output;
}

} // namespace
} // namespace retour::station
