// The operator actions beyond grading: checklists, grade override, skipped photos, next item,
// reprint, sign-in (workflow/operator_input.h).
#include "tests/unit/station/fixtures.h"
#include "tests/unit/station/workflow/workflow_effects.h"
#include "workflow/workflow.h"

#include <gtest/gtest.h>

namespace retour::station {
namespace {

using namespace retour::station::testing;
using State = Workflow::State;

const std::filesystem::path kRules = std::filesystem::path(RETOUR_SOURCE_DIR) / "config/rules";

class WorkflowActionsTest : public ::testing::Test
{
protected:
    WorkflowActionsTest() : directory_(demoDirectory()) {}

    void SetUp() override
    {
        rules_ = demoRules(/*withChecklists=*/true);
        ASSERT_NE(rules_, nullptr);
        const WorkflowSettings settings = benchSettings();
        workflow_ = std::make_unique<Workflow>(settings, rules_, directory_, testServices(ids_), 0);
    }

    std::vector<Effect> scan(std::string text) { return workflow_->handle(ScanInput{std::move(text), ""}); }

    // Open RMA-000101 (electronics, portal) and bring its item to the grade step; photos stay
    // outstanding (the camera has not answered yet).
    std::vector<Effect> electronicsItem()
    {
        scan("RMA-000101");
        scan("4006381333931");
        auto out = workflow_->handle(WeightInput{515.0, true});
        EXPECT_EQ(workflow_->state(), State::AwaitGrade);
        return out;
    }

    void photograph(const std::vector<Effect>& commands)
    {
        for (const auto& capture : all<CapturePhoto>(commands)) {
            workflow_->handle(PhotoResult{capture.inspectionId, capture.view,
                                          PhotoRef{"sha-" + capture.view, capture.view}, ""});
        }
    }

    std::optional<CommitInspection> confirm()
    {
        const auto out = scan("CMD:CONFIRM");
        const auto commits = all<CommitInspection>(out);
        if (commits.empty()) {
            return std::nullopt;
        }
        workflow_->handle(CommitResult{commits.front().inspection.inspectionId, true, ""});
        return commits.front();
    }

    void answerRequired()
    {
        scan("CMD:CHECK:powers_on:YES");
        scan("CMD:CHECK:activation_lock:NO");
    }

    MemoryRmaDirectory directory_;
    std::shared_ptr<const RuleSet> rules_;
    std::unique_ptr<Workflow> workflow_;
    int ids_ = 0;
};

TEST_F(WorkflowActionsTest, ChecklistsLoadPerCategoryWithGenericAsFallback)
{
    const auto& lists = rules_->checklists;
    EXPECT_NE(lists.find("apparel", "tags_attached"), nullptr);
    EXPECT_NE(lists.find("electronics", "activation_lock"), nullptr);
    EXPECT_EQ(lists.find("electronics", "tags_attached"), nullptr);
    EXPECT_NE(lists.find("furniture", "damage"), nullptr); // no furniture list: generic
    EXPECT_FALSE(lists.overrideReasons.empty());
    EXPECT_FALSE(lists.skipPhotoReasons.empty());
}

TEST_F(WorkflowActionsTest, ChecklistErrorsNameFileLineAndColumn)
{
    const auto bad = parseChecklists("[[question]]\ncategory = \"apparel\"\nid = \"worn\"\ntext = \"Worn?\"\n"
                                     "finding_if = \"maybe\"\nfinding = \"worn\"\n",
                                     "checklists.toml");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("checklists.toml:5:"), std::string::npos) << bad.error().message;
    const auto unknown = parseChecklists("[[question]]\ncolour = 1\n", "c.toml");
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().message.find("c.toml:2:"), std::string::npos) << unknown.error().message;
}

TEST_F(WorkflowActionsTest, UnansweredRequiredQuestionBlocksConfirmWithThePrompt)
{
    photograph(electronicsItem());
    scan("CMD:GRADE:0:A");
    scan("CMD:CHECK:powers_on:YES");
    const auto out = scan("CMD:CONFIRM");
    EXPECT_TRUE(all<CommitInspection>(out).empty());
    EXPECT_TRUE(said(out, "CMD:CHECK:activation_lock:YES|NO|NA"));
    EXPECT_FALSE(said(out, "CMD:CHECK:powers_on"));
    EXPECT_EQ(workflow_->state(), State::Graded);
    scan("CMD:CHECK:activation_lock:NO");
    const auto commit = confirm();
    ASSERT_TRUE(commit);
    ASSERT_EQ(commit->inspection.checklist.size(), 2u);
    EXPECT_EQ(commit->inspection.checklist[1].id, "activation_lock");
    EXPECT_EQ(commit->inspection.checklist[1].answer, "no");
    EXPECT_EQ(toEventData(commit->inspection)["checklist"][0]["answer"], "yes");
}

TEST_F(WorkflowActionsTest, ChecklistFindingFeedsTheDispositionRulesAndAChangedAnswerWithdrawsIt)
{
    photograph(electronicsItem());
    scan("CMD:GRADE:0:A");
    scan("CMD:CHECK:powers_on:YES");
    auto out = scan("CMD:CHECK:activation_lock:YES");
    EXPECT_TRUE(said(out, "[activation_locked]"));
    EXPECT_TRUE(said(out, "rule activation-locked-to-vendor"));
    out = scan("CMD:CHECK:activation_lock:NO");
    EXPECT_TRUE(said(out, "rule like-new-restock"));
    const auto commit = confirm();
    ASSERT_TRUE(commit);
    EXPECT_TRUE(commit->inspection.findings.empty());
    EXPECT_EQ(commit->inspection.disposition.disposition, Disposition::RestockNew);
}

TEST_F(WorkflowActionsTest, UnknownChecklistQuestionNamesTheCategorysQuestions)
{
    electronicsItem();
    const auto out = scan("CMD:CHECK:tags_attached:YES");
    EXPECT_TRUE(said(out, "no checklist question \"tags_attached\" for electronics items"));
    EXPECT_TRUE(said(out, "powers_on"));
}

TEST_F(WorkflowActionsTest, OverrideNeedsAKnownReasonAndKeepsTheTableGrade)
{
    photograph(electronicsItem());
    answerRequired();
    EXPECT_TRUE(said(scan("CMD:OVERRIDE:C:hidden_damage"), "grade the item first"));
    scan("CMD:GRADE:0:A");
    EXPECT_TRUE(said(scan("CMD:OVERRIDE:C:because"), "unknown reason \"because\""));
    const auto out = scan("CMD:OVERRIDE:C:hidden_damage");
    EXPECT_TRUE(said(out, "grade C overridden from A (hidden_damage)"));
    const auto commit = confirm();
    ASSERT_TRUE(commit);
    EXPECT_EQ(commit->inspection.grade.grade, 'C');
    ASSERT_TRUE(commit->inspection.gradeOverride);
    EXPECT_EQ(commit->inspection.gradeOverride->tableGrade, 'A');
    EXPECT_EQ(commit->inspection.gradeOverride->operatorId, "op-17");
    EXPECT_EQ(commit->inspection.disposition.rule, "electronics-refurbish");
    EXPECT_EQ(toEventData(commit->inspection)["grade"]["override"]["table_grade"], "A");
}

TEST_F(WorkflowActionsTest, GradingAgainClearsTheOverride)
{
    photograph(electronicsItem());
    scan("CMD:GRADE:0:A");
    scan("CMD:OVERRIDE:D:supervisor");
    scan("CMD:GRADE:0:B");
    answerRequired();
    const auto commit = confirm();
    ASSERT_TRUE(commit);
    EXPECT_FALSE(commit->inspection.gradeOverride);
    EXPECT_EQ(commit->inspection.grade.grade, 'B');
}

TEST_F(WorkflowActionsTest, SkippedPhotosAreRecordedWithTheirReasonAndUnblockTheSave)
{
    const auto captures = all<CapturePhoto>(electronicsItem());
    ASSERT_GE(captures.size(), 2u);
    scan("CMD:GRADE:0:A");
    answerRequired();
    auto out = scan("CMD:CONFIRM");
    EXPECT_EQ(workflow_->state(), State::Committing);
    EXPECT_TRUE(all<CommitInspection>(out).empty());
    EXPECT_TRUE(said(scan("CMD:SKIPPHOTO:because"), "unknown reason"));
    out = scan("CMD:SKIPPHOTO:camera_fault");
    const auto commits = all<CommitInspection>(out);
    ASSERT_EQ(commits.size(), 1u);
    EXPECT_EQ(commits[0].inspection.skippedPhotos.size(), captures.size());
    EXPECT_EQ(commits[0].inspection.skippedPhotos[0].reason, "camera_fault");
    // The camera's late answer for a skipped view changes nothing.
    EXPECT_TRUE(workflow_
                    ->handle(PhotoResult{captures[0].inspectionId, captures[0].view,
                                         PhotoRef{"late", captures[0].view}, ""})
                    .empty());
}

TEST_F(WorkflowActionsTest, OneViewCanBeSkipped)
{
    const auto captures = all<CapturePhoto>(electronicsItem());
    ASSERT_GE(captures.size(), 2u);
    const auto out = scan("CMD:SKIPPHOTO:" + captures[0].view + ":privacy");
    EXPECT_TRUE(said(out, "photo \"" + captures[0].view + "\" skipped: privacy"));
    EXPECT_TRUE(said(scan("CMD:SKIPPHOTO:" + captures[0].view + ":privacy"), "is not outstanding"));
}

TEST_F(WorkflowActionsTest, NextStartsTheNextExpectedLineWithoutAScan)
{
    scan("RMA-000103");
    scan("CMD:NEXT");
    EXPECT_EQ(workflow_->state(), State::AwaitWeight);
    scan("CMD:CANCEL");
    EXPECT_EQ(workflow_->state(), State::ParcelOpen);
    EXPECT_TRUE(said(scan("CMD:NEXT"), "item:"));
    EXPECT_TRUE(said(scan("CMD:NEXT"), "finish the current item first"));
}

TEST_F(WorkflowActionsTest, NextWithoutAParcelIsRefused)
{
    EXPECT_TRUE(said(scan("CMD:NEXT"), "no parcel is open"));
}

TEST_F(WorkflowActionsTest, ReprintSendsANewJobForTheLastLabel)
{
    EXPECT_TRUE(said(scan("CMD:REPRINT"), "no label printed yet"));
    photograph(electronicsItem());
    scan("CMD:GRADE:0:A");
    answerRequired();
    const auto commit = confirm();
    ASSERT_TRUE(commit);
    const auto reprints = all<ReprintLabel>(scan("CMD:REPRINT"));
    ASSERT_EQ(reprints.size(), 1u);
    EXPECT_EQ(reprints[0].label.lpn, commit->label.lpn);
    EXPECT_EQ(reprints[0].label.zpl, commit->label.zpl);
    EXPECT_EQ(reprints[0].originalJobId, commit->label.jobId);
    EXPECT_NE(reprints[0].label.jobId, commit->label.jobId);
}

TEST_F(WorkflowActionsTest, SignedInOperatorIsRecordedOnParcelsAndItems)
{
    EXPECT_TRUE(said(scan("CMD:SIGNIN:badge-0042"), "operator badge-0042 signed in"));
    EXPECT_TRUE(workflow_->signedIn());
    const auto open = all<OpenParcel>(scan("RMA-000101"));
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].parcel.operatorId, "badge-0042");
    scan("4006381333931");
    EXPECT_TRUE(said(scan("CMD:SIGNOUT"), "finish the current item first"));
    scan("CMD:CANCEL");
    scan("CMD:SIGNOUT");
    EXPECT_EQ(workflow_->operatorId(), "op-17");
    EXPECT_FALSE(workflow_->signedIn());
}

} // namespace
} // namespace retour::station

#include "web/barcode_sheet.h"

namespace retour::station {
namespace {

TEST(CommandSheet, EveryEntryParsesAndTheRulesInForceAreListed)
{
    auto rules = loadRules(kRules / "disposition.toml");
    ASSERT_TRUE(rules);
    auto checklists = loadChecklists(kRules / "checklists.toml");
    ASSERT_TRUE(checklists);
    rules->checklists = std::move(*checklists);
    const auto sheet = barcodeSheet(*rules);
    bool activation = false;
    bool camera = false;
    for (const auto& entry : sheet) {
        if (entry.code == kCameraReadInput) {
            camera = true; // the station's, not the workflow's (workflow/operator_input.h)
            continue;
        }
        const auto parsed = parseOperatorInput(entry.code);
        ASSERT_TRUE(parsed) << entry.code << ": " << parsed.error();
        EXPECT_EQ(formatOperatorInput(*parsed), entry.code);
        activation = activation || entry.code == "CMD:CHECK:activation_lock:YES";
    }
    EXPECT_TRUE(activation);
    EXPECT_TRUE(camera);
    EXPECT_EQ(sheet.front().code, "CMD:CONFIRM");
}

} // namespace
} // namespace retour::station
