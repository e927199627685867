#include "tests/unit/station/fixtures.h"
#include "tests/unit/station/workflow/workflow_effects.h"
#include "workflow/workflow.h"

#include <gtest/gtest.h>
#include <map>

namespace retour::station {
namespace {

using namespace retour::station::testing;
using State = Workflow::State;

const std::filesystem::path kRulesFile =
    std::filesystem::path(RETOUR_SOURCE_DIR) / "config/rules/disposition.toml";

template <class T> T only(const std::vector<Effect>& commands)
{
    const auto found = all<T>(commands);
    EXPECT_EQ(found.size(), 1u);
    return found.empty() ? T{} : found.front();
}

bool warned(const std::vector<Effect>& commands, std::string_view text)
{
    for (const auto& message : all<OperatorMessage>(commands)) {
        if (message.level != MessageLevel::Info && message.text.find(text) != std::string::npos) {
            return true;
        }
    }
    return false;
}

class WorkflowTest : public ::testing::Test
{
protected:
    WorkflowTest() : directory_(demoDirectory()) {}

    void SetUp() override
    {
        auto rules = loadRules(kRulesFile);
        ASSERT_TRUE(rules.has_value()) << rules.error().message;
        rules_ = std::make_shared<RuleSet>(std::move(*rules));
        make(true, true);
    }

    void make(bool scale, bool camera)
    {
        WorkflowSettings settings;
        settings.stationId = "bench-01";
        settings.operatorId = "op-17";
        settings.hasScale = scale;
        settings.hasCamera = camera;
        WorkflowServices services{[this] { return "id-" + std::to_string(++ids_); },
                                  [] { return std::string("2026-11-26T11:29:56.123Z"); },
                                  [this](const std::string& lpn) -> std::optional<LpnInfo> {
                                      const auto it = lpns_.find(lpn);
                                      return it == lpns_.end() ? std::nullopt : std::optional(it->second);
                                  }};
        workflow_ = std::make_unique<Workflow>(settings, rules_, directory_, services, 0);
    }

    std::vector<Effect> scan(std::string text) { return workflow_->handle(ScanInput{std::move(text), ""}); }
    std::vector<Effect> weigh(double grams) { return workflow_->handle(WeightInput{grams, true}); }

    // Answer every CapturePhoto with a stored photo.
    std::vector<Effect> photograph(const std::vector<Effect>& commands)
    {
        std::vector<Effect> out;
        for (const auto& capture : all<CapturePhoto>(commands)) {
            PhotoRef ref{"sha-" + capture.view, capture.view, 1000, 640, 480};
            auto more = workflow_->handle(PhotoResult{capture.inspectionId, capture.view, ref, ""});
            out.insert(out.end(), more.begin(), more.end());
        }
        return out;
    }

    // Confirm and let the store succeed; returns the committed inspection.
    Inspection confirm()
    {
        auto commands = scan("CMD:CONFIRM");
        const auto commit = only<CommitInspection>(commands);
        auto result = workflow_->handle(CommitResult{commit.inspection.inspectionId, true, ""});
        EXPECT_EQ(only<PrintLabel>(result).label.jobId, commit.label.jobId);
        return commit.inspection;
    }

    // Item scan, weigh, photograph, grade, confirm.
    Inspection inspect(const std::string& code, double grams, const std::string& grade)
    {
        scan(code);
        photograph(weigh(grams));
        scan("CMD:GRADE:" + grade);
        EXPECT_EQ(workflow_->state(), State::Graded);
        return confirm();
    }

    MemoryRmaDirectory directory_;
    std::map<std::string, LpnInfo> lpns_; // what the store knows about LPNs (Store::findLpn)
    std::shared_ptr<const RuleSet> rules_;
    std::unique_ptr<Workflow> workflow_;
    int ids_ = 0;
};

TEST_F(WorkflowTest, RmaLabelOpensTheParcel)
{
    const auto commands = scan("RMA-000101");
    const auto open = only<OpenParcel>(commands);
    EXPECT_EQ(open.parcel.rmaId, "RMA-000101");
    EXPECT_EQ(open.parcel.identifiedBy, "rma_label");
    EXPECT_EQ(open.parcel.channel, "portal");
    EXPECT_EQ(open.parcel.scanned, "RMA-000101");
    EXPECT_EQ(open.parcel.operatorId, "op-17");
    EXPECT_EQ(workflow_->state(), State::ParcelOpen);
}

TEST_F(WorkflowTest, PreprintedTrackingAndOrderIdentifyTheParcel)
{
    EXPECT_EQ(only<OpenParcel>(scan("PP-7700001")).parcel.identifiedBy, "preprinted_label");
    scan("CMD:CLOSE");
    EXPECT_EQ(only<OpenParcel>(scan("1Z999AA10123456784")).parcel.identifiedBy, "tracking");
    scan("CMD:CLOSE");
    EXPECT_EQ(only<OpenParcel>(scan("SO-10003")).parcel.identifiedBy, "order");
}

TEST_F(WorkflowTest, ItemBarcodeOfOneRmaOpensTheParcelAndStartsTheItem)
{
    const auto commands = scan("4006381333931");
    const auto open = only<OpenParcel>(commands);
    EXPECT_EQ(open.parcel.identifiedBy, "item");
    EXPECT_EQ(open.parcel.rmaId, "RMA-000101");
    EXPECT_EQ(workflow_->state(), State::AwaitWeight);
    const Inspection done = [&] {
        photograph(weigh(510));
        scan("CMD:GRADE:0:A");
        return confirm();
    }();
    EXPECT_EQ(done.lineId, "1");
    EXPECT_EQ(done.item.sku, "HEAD-BT-200");
    EXPECT_EQ(done.identifiedBy, "item");
}

TEST_F(WorkflowTest, UnknownGtinIsAnUnannouncedParcel)
{
    const auto open = only<OpenParcel>(scan(kUnannouncedGtin));
    EXPECT_FALSE(open.parcel.rmaId.has_value());
    EXPECT_EQ(open.parcel.channel, "unannounced");
    EXPECT_EQ(open.parcel.identifiedBy, "unannounced");
    EXPECT_EQ(workflow_->state(), State::AwaitWeight);
    photograph(weigh(300));
    scan("CMD:GRADE:0:B");
    const Inspection done = confirm();
    EXPECT_FALSE(done.rmaId.has_value());
    EXPECT_EQ(done.item.gtin, kUnannouncedGtin);
    EXPECT_EQ(done.weight.result, "not_checked");
    EXPECT_EQ(done.weight.measuredG, 300);
}

TEST_F(WorkflowTest, UnknownCodeKeepsTheBenchIdle)
{
    const auto commands = scan("HELLO-123");
    EXPECT_TRUE(all<OpenParcel>(commands).empty());
    EXPECT_TRUE(warned(commands, "unknown code"));
    EXPECT_EQ(workflow_->state(), State::Idle);
}

TEST_F(WorkflowTest, HappyPathProducesACompleteInspectionAndLabel)
{
    scan("RMA-000101");
    scan("SN-BT200-0001");
    EXPECT_EQ(workflow_->state(), State::AwaitWeight);
    EXPECT_TRUE(workflow_->handle(WeightInput{515, false}).empty()); // in motion: wait
    const auto weighed = weigh(515);
    EXPECT_EQ(all<CapturePhoto>(weighed).size(), 3u); // electronics: front, back, label
    photograph(weighed);
    EXPECT_EQ(workflow_->state(), State::AwaitGrade);
    scan("CMD:GRADE:0:A");
    auto commands = scan("CMD:CONFIRM");
    const auto commit = only<CommitInspection>(commands);
    const Inspection& i = commit.inspection;
    EXPECT_EQ(i.rmaId, "RMA-000101");
    EXPECT_EQ(i.item.serial, "SN-BT200-0001");
    EXPECT_EQ(i.weight.result, "ok");
    EXPECT_EQ(i.weight.expectedG, 512);
    EXPECT_DOUBLE_EQ(i.weight.toleranceG, 25.6);
    EXPECT_EQ(i.photos.size(), 3u);
    EXPECT_FALSE(i.photoMissingReason.has_value());
    EXPECT_EQ(i.grade.grade, 'A');
    EXPECT_EQ(i.disposition.disposition, Disposition::RestockNew);
    EXPECT_EQ(i.disposition.rule, "like-new-restock");
    EXPECT_EQ(i.disposition.location, "A-01");
    EXPECT_EQ(i.lpn, "LPN-bench-01-000001");
    EXPECT_EQ(i.confirmedAt, "2026-11-26T11:29:56.123Z");
    EXPECT_EQ(commit.label.lpn, i.lpn);
    EXPECT_NE(commit.label.zpl.find("^FDLPN-bench-01-000001^FS"), std::string::npos);
    EXPECT_EQ(workflow_->state(), State::Committing);
    const auto done = workflow_->handle(CommitResult{i.inspectionId, true, ""});
    EXPECT_EQ(only<PrintLabel>(done).label.lpn, i.lpn);
    EXPECT_EQ(workflow_->state(), State::ParcelOpen);
    const auto close = only<CloseParcel>(scan("CMD:CLOSE"));
    EXPECT_TRUE(close.findings.empty());
    EXPECT_TRUE(workflow_->idle());
}

TEST_F(WorkflowTest, WeightMismatchMustBeAcceptedBeforeGrading)
{
    scan("RMA-000101");
    scan("4006381333931");
    const auto commands = weigh(120); // expected 512: an empty box?
    EXPECT_TRUE(warned(commands, "weight mismatch"));
    EXPECT_EQ(workflow_->state(), State::AwaitAccept);
    photograph(commands);

    EXPECT_TRUE(warned(scan("CMD:GRADE:0:A"), "accept the weight mismatch first"));
    EXPECT_EQ(workflow_->state(), State::AwaitAccept);
    EXPECT_TRUE(warned(scan("CMD:CONFIRM"), "not graded"));
    EXPECT_EQ(workflow_->state(), State::AwaitAccept);

    scan("CMD:ACCEPT");
    EXPECT_EQ(workflow_->state(), State::AwaitGrade);
    scan("CMD:GRADE:0:A");
    const Inspection done = confirm();
    EXPECT_EQ(done.weight.result, "mismatch");
    EXPECT_EQ(done.findings, std::vector<std::string>{"weight_mismatch"});
    EXPECT_EQ(done.disposition.disposition, Disposition::Quarantine);
    EXPECT_EQ(done.disposition.rule, "suspect-content-quarantine");
}

TEST_F(WorkflowTest, OutOfOrderScansGetAMessageAndChangeNothing)
{
    EXPECT_TRUE(warned(scan("CMD:CONFIRM"), "no item"));
    EXPECT_TRUE(warned(scan("CMD:CLOSE"), "no parcel is open"));
    EXPECT_TRUE(warned(scan("CMD:GRADE:0:A"), "no item"));
    EXPECT_TRUE(warned(scan("CMD:ACCEPT"), "nothing to accept"));
    EXPECT_EQ(workflow_->state(), State::Idle);

    scan("RMA-000101");
    EXPECT_TRUE(warned(scan("CMD:GRADE:0:A"), "no item"));
    EXPECT_TRUE(warned(scan("RMA-000103"), "close this one first"));
    EXPECT_TRUE(warned(scan("CMD:FROBNICATE"), "unknown command"));
    EXPECT_TRUE(warned(scan("CMD:GRADE:7:Z"), "use CMD:GRADE:<function 0-3>:<cosmetic A-D>"));
    EXPECT_EQ(workflow_->state(), State::ParcelOpen);

    scan("4006381333931");
    EXPECT_TRUE(warned(scan("CMD:GRADE:0:A"), "weigh the item first"));
    EXPECT_TRUE(warned(scan("CMD:CLOSE"), "finish the current item"));
    EXPECT_TRUE(warned(scan("5901234123457"), "finish the current item first"));
    EXPECT_EQ(workflow_->state(), State::AwaitWeight);
    // Late or foreign events are ignored.
    EXPECT_TRUE(workflow_->handle(PhotoResult{"nope", "front", std::nullopt, "x"}).empty());
    EXPECT_TRUE(workflow_->handle(CommitResult{"nope", true, ""}).empty());
    EXPECT_EQ(workflow_->state(), State::AwaitWeight);

    scan("CMD:CANCEL");
    EXPECT_EQ(workflow_->state(), State::ParcelOpen);
}

TEST_F(WorkflowTest, ClosingWithUninspectedLinesRecordsMissingItem)
{
    scan("RMA-000103");
    inspect("036000291452", 905, "0:A");
    const auto close = only<CloseParcel>(scan("CMD:CLOSE"));
    EXPECT_EQ(close.findings, std::vector<std::string>{"missing_item"});
    ASSERT_EQ(close.missing.size(), 1u);
    EXPECT_EQ(close.missing[0].lineId, "2");
    EXPECT_EQ(close.missing[0].sku, "BELT-L");
    EXPECT_EQ(close.missing[0].missing, 1);
}

TEST_F(WorkflowTest, MultiItemParcelInspectsEveryLine)
{
    scan("RMA-000103");
    const Inspection shoes = inspect("036000291452", 905, "0:A");
    const Inspection belt = inspect("10614141000415", 240, "0:B");
    EXPECT_EQ(shoes.lineId, "1");
    EXPECT_EQ(belt.lineId, "2");
    EXPECT_EQ(belt.lpn, "LPN-bench-01-000002");
    EXPECT_EQ(belt.photos.size(), 1u); // generic: front only
    EXPECT_TRUE(only<CloseParcel>(scan("CMD:CLOSE")).findings.empty());
}

TEST_F(WorkflowTest, WrongItemAndExtraUnitAreFindings)
{
    scan("RMA-000101");
    const Inspection wrong = inspect("5901234123457", 400, "0:A");
    EXPECT_EQ(wrong.findings, std::vector<std::string>{"wrong_item"});
    EXPECT_FALSE(wrong.lineId.has_value());
    EXPECT_EQ(wrong.item.sku, "PHONE-X1"); // product facts from the cache
    EXPECT_EQ(wrong.disposition.rule, "suspect-content-quarantine");
    inspect("4006381333931", 512, "0:A");
    const Inspection extra = inspect("4006381333931", 512, "0:A");
    EXPECT_EQ(extra.findings, std::vector<std::string>{"extra_item"});
}

TEST_F(WorkflowTest, WrongExtraAndSerialMismatchAreTellingPromptsAndParcelFindings)
{
    scan("RMA-000101");
    auto commands = scan("5901234123457");
    EXPECT_TRUE(warned(commands, "WRONG ITEM: 5901234123457 is on no line of RMA-000101"));
    photograph(weigh(400));
    scan("CMD:GRADE:0:A");
    confirm();
    // GS1 with (17) and (10) around the serial: the line's GTIN with a serial it did not ship.
    commands = scan("]d2"
                    "0104006381333931"
                    "17261231"
                    "10LOT-1\x1d"
                    "21SN-FAKE");
    EXPECT_TRUE(warned(commands, "SERIAL MISMATCH: serial SN-FAKE is not one shipped on line 1"));
    photograph(weigh(512));
    scan("CMD:GRADE:0:A");
    const Inspection mismatch = confirm();
    EXPECT_EQ(mismatch.lineId, "1");
    EXPECT_EQ(mismatch.item.serial, "SN-FAKE");
    EXPECT_EQ(mismatch.findings, std::vector<std::string>{"serial_mismatch"});
    // The line had one unit: the next one is extra.
    commands = scan("(01)04006381333931(21)SN-BT200-0001");
    EXPECT_TRUE(warned(commands, "EXTRA ITEM: 1 x HEAD-BT-200 expected on line 1"));
    photograph(weigh(512));
    scan("CMD:GRADE:0:A");
    const Inspection extra = confirm();
    EXPECT_EQ(extra.findings, std::vector<std::string>{"extra_item"});
    EXPECT_EQ(toEventData(extra)["findings"], nlohmann::json::array({"extra_item"}));

    commands = scan("CMD:CLOSE");
    const auto close = only<CloseParcel>(commands);
    EXPECT_EQ(close.findings, (std::vector<std::string>{"extra_item", "wrong_item", "serial_mismatch"}));
    EXPECT_TRUE(close.missing.empty());
    EXPECT_TRUE(warned(commands, "parcel findings: extra_item, wrong_item, serial_mismatch"));
}

TEST_F(WorkflowTest, SsccIdentifiesTheParcelAndAnotherReturnsSsccIsRefused)
{
    Rma shoes = multiLineRma();
    shoes.tracking = "00106141411234567897";
    directory_.put(shoes);
    Rma other = portalRma();
    other.tracking = "106141411234567880";
    directory_.put(other);

    const auto open = only<OpenParcel>(scan("]C100106141411234567897"));
    EXPECT_EQ(open.parcel.identifiedBy, "sscc");
    EXPECT_EQ(open.parcel.rmaId, "RMA-000103");
    auto commands = scan("00106141411234567897");
    EXPECT_FALSE(warned(commands, "SSCC"));
    EXPECT_EQ(workflow_->state(), State::ParcelOpen);
    commands = scan("(00)106141411234567880");
    EXPECT_TRUE(warned(commands,
                       "SSCC 106141411234567880 is the parcel of another return (RMA-000101): close "
                       "this one first with CMD:CLOSE"));
    EXPECT_TRUE(all<OpenParcel>(commands).empty());
    commands = scan("00106141411234567873");
    EXPECT_TRUE(warned(commands, "not an item"));
    EXPECT_EQ(workflow_->state(), State::ParcelOpen);
}

TEST_F(WorkflowTest, PreprintedLabelWithoutRmaOpensABenchCreatedReturn)
{
    auto commands = scan("PP-9900001");
    const auto open = only<OpenParcel>(commands);
    EXPECT_FALSE(open.parcel.rmaId.has_value());
    EXPECT_EQ(open.parcel.channel, "preprinted");
    EXPECT_EQ(open.parcel.identifiedBy, "preprinted_label");
    EXPECT_EQ(open.parcel.label, "PP-9900001");
    EXPECT_TRUE(warned(commands, "pre-printed label \"PP-9900001\" has no return yet"));
    EXPECT_EQ(toEventData(open.parcel)["label"], "PP-9900001");
    EXPECT_EQ(toEventData(open.parcel)["channel"], "preprinted");
    const Inspection item = inspect("4006381333931", 512, "0:A");
    EXPECT_EQ(item.channel, "preprinted");
    EXPECT_EQ(item.identifiedBy, "preprinted_label");
    EXPECT_TRUE(item.findings.empty());      // no RMA: nothing is wrong or extra
    EXPECT_EQ(item.item.sku, "HEAD-BT-200"); // product facts from the cache
    EXPECT_TRUE(only<CloseParcel>(scan("CMD:CLOSE")).findings.empty());
}

TEST_F(WorkflowTest, LpnScanShowsTheItemReprintsItOrSaysWhichParcelItWentWith)
{
    scan("RMA-000103");
    const Inspection shoes = inspect("036000291452", 905, "0:A");
    const Inspection belt = inspect("10614141000415", 240, "0:B");
    lpns_[shoes.lpn] =
        LpnInfo{shoes.lpn, shoes.inspectionId, shoes.parcelId, "RMA-000103", "SHOE-42", "Running shoes 42",
                "A",       "restock_new",      "A-01",         std::nullopt, false};
    // The first item of the open parcel: shown, and CMD:REPRINT now reprints its label.
    auto commands = scan(shoes.lpn);
    const auto shown = all<OperatorMessage>(commands);
    ASSERT_FALSE(shown.empty());
    EXPECT_NE(shown.front().text.find(shoes.lpn + " is item 1 of this parcel (Running shoes 42, grade A"),
              std::string::npos)
        << shown.front().text;
    EXPECT_NE(shown.front().text.find("only the last item can be undone"), std::string::npos);
    EXPECT_TRUE(all<OpenParcel>(commands).empty());
    EXPECT_EQ(workflow_->state(), State::ParcelOpen);
    EXPECT_EQ(only<ReprintLabel>(scan("CMD:REPRINT")).label.lpn, shoes.lpn);
    EXPECT_NE(all<OperatorMessage>(scan(belt.lpn)).front().text.find("CMD:UNDO takes it back"),
              std::string::npos);
    scan("CMD:CLOSE");

    // Idle: the store says which closed parcel it belongs to; no parcel opens.
    lpns_[belt.lpn] = LpnInfo{belt.lpn, belt.inspectionId,          belt.parcelId, "RMA-000103",
                              "BELT-L", "Leather belt L",           "B",           "open_box",
                              "B-02",   "2026-11-26T11:31:00.000Z", false};
    commands = scan(belt.lpn);
    EXPECT_TRUE(all<OpenParcel>(commands).empty());
    EXPECT_NE(all<OperatorMessage>(commands).front().text.find(
                  "is Leather belt L, grade B, open_box at B-02, in closed parcel " + belt.parcelId +
                  " of RMA-000103 (closed at 2026-11-26T11:31:00.000Z)"),
              std::string::npos);
    lpns_[belt.lpn].voided = true;
    EXPECT_TRUE(warned(scan(belt.lpn), "is VOID"));
    EXPECT_TRUE(warned(scan("LPN-bench-01-000099"), "was not printed by this bench"));
    EXPECT_EQ(workflow_->state(), State::Idle);
}

TEST_F(WorkflowTest, ApparelWithVisibleWearGoesToSecondHand)
{
    scan("PP-7700001");
    const Inspection shirt = inspect("96385074", 185, "0:C");
    EXPECT_EQ(shirt.grade.grade, 'C');
    EXPECT_EQ(shirt.disposition.disposition, Disposition::ResaleSecondHand);
    EXPECT_EQ(shirt.disposition.rule, "apparel-second-hand");
    EXPECT_EQ(shirt.photos.size(), 2u); // apparel: front, label
}

TEST_F(WorkflowTest, TradeInIsRepricedByGrade)
{
    scan("RMA-000104");
    const Inspection phone = inspect("5901234123457", 402, "0:B");
    ASSERT_TRUE(phone.tradeIn.has_value());
    EXPECT_DOUBLE_EQ(phone.tradeIn->provisionalValue, 80.0);
    EXPECT_DOUBLE_EQ(phone.tradeIn->factor, 0.8);
    EXPECT_DOUBLE_EQ(phone.tradeIn->value, 64.0);
    EXPECT_EQ(phone.disposition.disposition, Disposition::Refurbish);
    EXPECT_EQ(toEventData(phone)["trade_in"]["value"], 64.0);
}

TEST_F(WorkflowTest, WithoutCameraPhotosAreMissingAndNothingBlocks)
{
    make(true, false);
    scan("RMA-000101");
    scan("4006381333931");
    EXPECT_TRUE(all<CapturePhoto>(weigh(512)).empty());
    scan("CMD:GRADE:0:A");
    const Inspection done = confirm();
    EXPECT_EQ(done.photoMissingReason, "camera offline");
    EXPECT_TRUE(done.photos.empty());
}

TEST_F(WorkflowTest, WithoutScaleWeightIsNotChecked)
{
    make(false, true);
    scan("RMA-000101");
    photograph(scan("4006381333931"));
    EXPECT_EQ(workflow_->state(), State::AwaitGrade);
    scan("CMD:GRADE:0:A");
    EXPECT_EQ(confirm().weight.result, "not_checked");
}

TEST_F(WorkflowTest, SkipContinuesWithoutWeighing)
{
    scan("RMA-000101");
    scan("4006381333931");
    EXPECT_TRUE(warned(workflow_->handle(DeviceAvailability{DeviceAvailability::Device::Scale, false}),
                       "scale offline"));
    scan("CMD:SKIP");
    EXPECT_EQ(workflow_->state(), State::AwaitGrade);
}

TEST_F(WorkflowTest, ConfirmWaitsForPhotosAndDefersNextScans)
{
    scan("RMA-000103");
    scan("036000291452");
    const auto captures = weigh(900);
    scan("CMD:GRADE:0:A");
    EXPECT_TRUE(all<CommitInspection>(scan("CMD:CONFIRM")).empty());
    EXPECT_EQ(workflow_->state(), State::Committing);
    EXPECT_TRUE(scan("10614141000415").empty()); // deferred until the commit is done
    const auto photographed = photograph(captures);
    const auto commit = only<CommitInspection>(photographed);
    EXPECT_EQ(commit.inspection.photos.size(), 2u);
    const auto done = workflow_->handle(CommitResult{commit.inspection.inspectionId, true, ""});
    EXPECT_EQ(only<PrintLabel>(done).label.lpn, commit.inspection.lpn);
    EXPECT_EQ(workflow_->state(), State::AwaitWeight); // the deferred belt scan
}

TEST_F(WorkflowTest, FailedPhotoIsRecordedAsMissingReason)
{
    scan("RMA-000101");
    scan("4006381333931");
    const auto captures = all<CapturePhoto>(weigh(512));
    ASSERT_FALSE(captures.empty());
    for (const auto& capture : captures) {
        workflow_->handle(PhotoResult{capture.inspectionId, capture.view, std::nullopt, "camera offline"});
    }
    scan("CMD:GRADE:0:A");
    EXPECT_EQ(confirm().photoMissingReason, "camera offline");
}

TEST_F(WorkflowTest, FailedCommitCanBeRetried)
{
    scan("RMA-000101");
    scan("4006381333931");
    photograph(weigh(512));
    scan("CMD:GRADE:0:A");
    const auto first = only<CommitInspection>(scan("CMD:CONFIRM"));
    const auto failed = workflow_->handle(CommitResult{first.inspection.inspectionId, false, "disk full"});
    EXPECT_TRUE(all<PrintLabel>(failed).empty());
    EXPECT_EQ(all<OperatorMessage>(failed).front().level, MessageLevel::Error);
    EXPECT_EQ(workflow_->state(), State::Graded);
    const Inspection second = confirm();
    EXPECT_EQ(second.inspectionId, first.inspection.inspectionId);
    EXPECT_EQ(workflow_->state(), State::ParcelOpen);
}

} // namespace
} // namespace retour::station
