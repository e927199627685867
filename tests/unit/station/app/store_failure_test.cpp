// A store write that fails, for each effect that writes (OpenParcel, CloseParcel, AuditChange,
// ReprintLabel, CommitInspection, VoidInspection), through the station's EffectRunner on a real
// SQLite store made read-only (PRAGMA query_only) for that one write: the workflow stops where it
// was before the write was asked for, the operator is told why, the store holds nothing of it, and
// the same action goes through once the store can write again.
#include "app/effect_runner.h"
#include "app/event_loop.h"
#include "devices/camera_service.h"
#include "devices/label_spooler.h"
#include "store/store.h"
#include "tests/unit/station/fixtures.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/station/workflow/workflow_effects.h"
#include "workflow/workflow.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace retour::station {
namespace {

using namespace retour::station::testing;
using State = Workflow::State;

class StoreFailureTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        auto store =
            Store::open(dir_.path() / "station.db", Store::Options{"demo-site", "bench-01", 100000, 100});
        ASSERT_TRUE(store.has_value()) << store.error().message;
        store_ = std::move(*store);
        ASSERT_TRUE(store_->putRma(multiLineRma()).has_value());
        auto rules = demoRules();
        ASSERT_NE(rules, nullptr);
        WorkflowSettings settings = benchSettings();
        settings.hasCamera = false;
        workflow_ = std::make_unique<Workflow>(settings, rules, *store_, testServices(ids_), 0);
        spooler_ = std::make_unique<LabelSpooler>(loop_, *store_, nullptr);
        camera_ = std::make_unique<CameraService>(loop_, std::nullopt, dir_.path() / "photos", 85,
                                                  [](const PhotoResult&) {});
        runner_ = std::make_unique<EffectRunner>(
            EffectRunner::Parts{*workflow_, *store_, *spooler_, *camera_, "op-17"},
            EffectRunner::Observer{{}, [this](const Effect& effect) { effects_.push_back(effect); }});
    }

    // Every effect the workflow answered with, the failed write's included.
    std::vector<Effect> scan(const std::string& text)
    {
        effects_.clear();
        runner_->dispatch(ScanInput{text, ""});
        return effects_;
    }
    void weigh(double grams) { runner_->dispatch(WeightInput{grams, true}); }

    // The store refuses every write until writable(true), as a read-only file would.
    void writable(bool on)
    {
        const std::string sql = on ? "PRAGMA query_only = OFF" : "PRAGMA query_only = ON";
        ASSERT_EQ(sqlite3_exec(store_->handle(), sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    }

    // The operator was told, as an error, that the write failed and (with SQLite's reason) why.
    static bool toldError(const std::vector<Effect>& effects, std::string_view text, bool withReason = true)
    {
        for (const auto& message : all<OperatorMessage>(effects)) {
            if (message.level == MessageLevel::Error && message.text.find(text) != std::string::npos &&
                (!withReason || message.text.find("readonly") != std::string::npos)) {
                return true;
            }
        }
        return false;
    }

    nlohmann::json parcels() const
    {
        auto report = store_->report();
        EXPECT_TRUE(report.has_value());
        return report ? *report : nlohmann::json::array();
    }

    // The shoe pair of RMA-000103 weighed and graded, not confirmed.
    void gradeShoes()
    {
        scan("036000291452");
        weigh(900.0);
        scan("CMD:GRADE:0:A");
        ASSERT_EQ(workflow_->state(), State::Graded);
    }

    retour::test::TempDir dir_;
    EventLoop loop_;
    std::unique_ptr<Store> store_;
    std::unique_ptr<Workflow> workflow_;
    std::unique_ptr<LabelSpooler> spooler_;
    std::unique_ptr<CameraService> camera_;
    std::unique_ptr<EffectRunner> runner_;
    std::vector<Effect> effects_;
    int ids_ = 0;
};

TEST_F(StoreFailureTest, OpenParcelNotSavedLeavesTheBenchIdle)
{
    writable(false);
    const auto out = scan("RMA-000103");
    EXPECT_EQ(all<OpenParcel>(out).size(), 1u);
    EXPECT_TRUE(toldError(out, "parcel RMA-000103 not saved"));
    EXPECT_EQ(workflow_->state(), State::Idle);
    EXPECT_EQ(workflow_->openParcel(), nullptr);
    EXPECT_TRUE(parcels().empty());

    writable(true);
    scan("RMA-000103");
    EXPECT_EQ(workflow_->state(), State::ParcelOpen);
    EXPECT_EQ(parcels().size(), 1u);
}

TEST_F(StoreFailureTest, OpenParcelNotSavedStopsTheEffectsAfterIt)
{
    // An item scanned at the idle bench opens its parcel and starts the item in one answer.
    writable(false);
    const auto out = scan("036000291452");
    EXPECT_TRUE(toldError(out, "not saved"));
    EXPECT_EQ(workflow_->state(), State::Idle);
    EXPECT_EQ(workflow_->currentInspection(), nullptr);
    // Nothing the workflow said after asking for the parcel reached the operator.
    const auto messages = all<OperatorMessage>(out);
    ASSERT_FALSE(messages.empty());
    EXPECT_EQ(messages.back().level, MessageLevel::Error);
    EXPECT_EQ(messages.size(), 1u);
}

TEST_F(StoreFailureTest, CloseParcelNotSavedKeepsTheParcelOpen)
{
    scan("RMA-000103");
    writable(false);
    const auto out = scan("CMD:CLOSE");
    EXPECT_EQ(all<CloseParcel>(out).size(), 1u);
    // Store::closeParcel's error names no SQLite reason ("not an error"): the sentence alone.
    EXPECT_TRUE(toldError(out, "not closed", /*withReason=*/false));
    EXPECT_EQ(workflow_->state(), State::ParcelOpen);
    ASSERT_NE(workflow_->openParcel(), nullptr);
    ASSERT_EQ(parcels().size(), 1u);
    EXPECT_TRUE(parcels()[0]["closed_at"].is_null());

    writable(true);
    scan("CMD:CLOSE");
    EXPECT_EQ(workflow_->state(), State::Idle);
    EXPECT_FALSE(parcels()[0]["closed_at"].is_null());
}

TEST_F(StoreFailureTest, SignInNotAuditedLeavesTheOperatorSignedOut)
{
    writable(false);
    const auto out = scan("CMD:SIGNIN:op-42");
    EXPECT_EQ(all<AuditChange>(out).size(), 1u);
    EXPECT_TRUE(toldError(out, "operator.signed_in of bench-01 not recorded"));
    EXPECT_EQ(workflow_->operatorId(), "op-17");
    EXPECT_FALSE(workflow_->signedIn());

    writable(true);
    scan("CMD:SIGNIN:op-42");
    EXPECT_EQ(workflow_->operatorId(), "op-42");
    EXPECT_TRUE(workflow_->signedIn());
}

TEST_F(StoreFailureTest, SignOutNotAuditedKeepsTheOperatorSignedIn)
{
    scan("CMD:SIGNIN:op-42");
    writable(false);
    const auto out = scan("CMD:SIGNOUT");
    EXPECT_TRUE(toldError(out, "operator.signed_out of bench-01 not recorded"));
    EXPECT_EQ(workflow_->operatorId(), "op-42");
    EXPECT_TRUE(workflow_->signedIn());
}

TEST_F(StoreFailureTest, GradeOverrideNotAuditedKeepsTheTableGrade)
{
    scan("RMA-000103");
    gradeShoes();
    const char tableGrade = workflow_->currentInspection()->grade.grade;
    writable(false);
    const auto out = scan(std::string("CMD:OVERRIDE:") + (tableGrade == 'E' ? 'D' : 'E') + ":damaged_box");
    EXPECT_TRUE(toldError(out, "grade.overridden"));
    EXPECT_EQ(workflow_->state(), State::Graded);
    EXPECT_EQ(workflow_->currentInspection()->grade.grade, tableGrade);
    EXPECT_FALSE(workflow_->currentInspection()->gradeOverride.has_value());
}

TEST_F(StoreFailureTest, CommitNotSavedLeavesTheItemGraded)
{
    scan("RMA-000103");
    gradeShoes();
    writable(false);
    const auto out = scan("CMD:CONFIRM");
    EXPECT_EQ(all<CommitInspection>(out).size(), 1u);
    EXPECT_TRUE(toldError(out, "could not save"));
    EXPECT_EQ(workflow_->state(), State::Graded);
    EXPECT_TRUE(workflow_->openParcel()->done.empty());
    EXPECT_TRUE(parcels()[0]["items"].empty());

    writable(true);
    scan("CMD:CONFIRM");
    EXPECT_EQ(workflow_->state(), State::ParcelOpen);
    EXPECT_EQ(parcels()[0]["items"].size(), 1u);
}

TEST_F(StoreFailureTest, ReprintNotQueuedPrintsNothing)
{
    scan("RMA-000103");
    gradeShoes();
    scan("CMD:CONFIRM");
    const auto before = store_->pendingLabels();
    ASSERT_TRUE(before.has_value());
    writable(false);
    const auto out = scan("CMD:REPRINT");
    EXPECT_EQ(all<ReprintLabel>(out).size(), 1u);
    EXPECT_TRUE(toldError(out, "not queued"));
    EXPECT_EQ(spooler_->pending(), before->size());
    writable(true);
    EXPECT_EQ(store_->pendingLabels()->size(), before->size());
    EXPECT_EQ(workflow_->state(), State::ParcelOpen);
}

TEST_F(StoreFailureTest, UndoNotSavedKeepsTheItemConfirmed)
{
    scan("RMA-000103");
    gradeShoes();
    scan("CMD:CONFIRM");
    writable(false);
    const auto out = scan("CMD:UNDO");
    EXPECT_EQ(all<VoidInspection>(out).size(), 1u);
    EXPECT_TRUE(toldError(out, "CMD:UNDO failed"));
    EXPECT_EQ(workflow_->state(), State::ParcelOpen);
    EXPECT_EQ(workflow_->openParcel()->done.size(), 1u);
    writable(true);
    auto voided = store_->voidedInspections();
    ASSERT_TRUE(voided.has_value());
    EXPECT_TRUE(voided->empty());
}

} // namespace
} // namespace retour::station
