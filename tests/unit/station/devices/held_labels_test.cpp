// Label jobs held while the printer is not ready (sim:printer status=paper-out) and printed in
// order once it is, within one run and across a restart; the spooler's status names the printer's
// state and the held jobs.
#include "devices/label_spooler.h"
#include "retour/drivers/device.h"
#include "retour/drivers/device_uri.h"
#include "retour/link/outbox.h"
#include "tests/support/temp_dir.h"

#include <atomic>
#include <gtest/gtest.h>

namespace retour::station {
namespace {

using retour::test::TempDir;

std::unique_ptr<drivers::LabelPrinter> simPrinter(const std::filesystem::path& out, const std::string& status)
{
    auto uri = drivers::parseDeviceUri("sim:printer?out=" + out.string() + "&status=" + status);
    EXPECT_TRUE(uri.has_value());
    auto printer = drivers::makeLabelPrinter(*uri, drivers::DeviceContext{});
    EXPECT_TRUE(printer.has_value()) << printer.error().message;
    return std::move(*printer);
}

// Two sim printers on the same folder: the paper-out one until the paper is loaded (ready()).
class PaperLoadedLater final : public drivers::LabelPrinter
{
public:
    explicit PaperLoadedLater(const std::filesystem::path& out)
        : empty_(simPrinter(out, "paper-out")), loaded_(simPrinter(out, "ready"))
    {}
    const drivers::DeviceUri& uri() const override { return empty_->uri(); }
    drivers::Result<drivers::PrinterStatus> status() override { return current().status(); }
    drivers::Result<void> print(const drivers::LabelJob& job) override { return current().print(job); }
    // Called on the loop thread while the worker prints: hence atomic.
    void loadPaper() { ready_ = true; }

private:
    drivers::LabelPrinter& current() { return ready_ ? *loaded_ : *empty_; }
    std::unique_ptr<drivers::LabelPrinter> empty_;
    std::unique_ptr<drivers::LabelPrinter> loaded_;
    std::atomic<bool> ready_{false};
};

Inspection item(int n)
{
    Inspection i;
    i.inspectionId = "insp-" + std::to_string(n);
    i.parcelId = "parcel-1";
    i.item = ItemInfo{"SKU-" + std::to_string(n), "4006381333931", "", "generic", "Item"};
    i.grade = GradeResult{0, 'A', 'A'};
    i.disposition = Decision{Disposition::RestockNew, "A-01", "like-new-restock"};
    i.lpn = "LPN-bench-01-00000" + std::to_string(n);
    i.operatorId = "op-17";
    i.confirmedAt = "2026-11-26T11:29:5" + std::to_string(n) + ".000Z";
    return i;
}

class HeldLabelsTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        auto store =
            Store::open(dir_.path() / "station.db", Store::Options{"demo-site", "bench-01", 100000, 5000});
        ASSERT_TRUE(store.has_value()) << store.error().message;
        store_ = std::move(*store);
        ASSERT_TRUE(store_->createParcel(Parcel{"parcel-1", std::nullopt, "unannounced", "item", "x", "op-17",
                                                "2026-11-26T11:00:00.000Z"}));
        for (int n = 1; n <= 3; ++n) {
            const Inspection i = item(n);
            ASSERT_TRUE(store_->confirmItem(i, LabelRecord{"job-" + std::to_string(n), i.inspectionId, i.lpn,
                                                           "^XA^FD" + i.lpn + "^FS^XZ"}));
        }
    }

    // Run the loop until done() or 20 s; true when done.
    bool runUntil(EventLoop& loop, const std::function<bool()>& done)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        std::function<void()> check = [&] {
            if (done() || std::chrono::steady_clock::now() > deadline) {
                loop.quit();
                return;
            }
            loop.after(std::chrono::milliseconds(20), check);
        };
        loop.post(check);
        loop.run();
        return done();
    }

    std::vector<std::string> printedOrder()
    {
        std::vector<std::string> lpns;
        auto events = store_->outbox().after(0, 1000);
        for (const auto& event : *events) {
            if (event.topic.ends_with("/label.printed")) {
                lpns.push_back(nlohmann::json::parse(event.payload)["data"]["lpn"]);
            }
        }
        return lpns;
    }

    TempDir dir_;
    std::unique_ptr<Store> store_;
};

TEST_F(HeldLabelsTest, JobsAreHeldWhileThePaperIsOutAndPrintInOrderWhenItIsLoaded)
{
    EventLoop loop;
    auto printer = std::make_unique<PaperLoadedLater>(dir_.path() / "labels");
    PaperLoadedLater* paper = printer.get();
    LabelSpooler spooler(loop, *store_, std::move(printer));
    spooler.loadPending();
    ASSERT_TRUE(runUntil(loop, [&] { return spooler.heldStatus()["state"] == "not_ready"; }));

    const auto held = spooler.heldStatus();
    EXPECT_EQ(held["held"], 3);
    EXPECT_NE(held["detail"].get<std::string>().find("paper out"), std::string::npos) << held.dump();
    EXPECT_EQ(held["jobs"][0]["lpn"], "LPN-bench-01-000001");
    EXPECT_EQ(held["jobs"][2]["lpn"], "LPN-bench-01-000003");
    EXPECT_EQ(*store_->pendingLabelCount(), 3); // still in the store: a restart keeps them
    EXPECT_FALSE(std::filesystem::exists(dir_.path() / "labels" / "job-1.zpl"));

    paper->loadPaper();
    ASSERT_TRUE(runUntil(loop, [&] { return spooler.idle(); })) << spooler.heldStatus().dump();
    EXPECT_EQ(spooler.heldStatus()["state"], "ready");
    EXPECT_EQ(spooler.heldStatus()["held"], 0);
    EXPECT_EQ(*store_->pendingLabelCount(), 0);
    EXPECT_EQ(printedOrder(), (std::vector<std::string>{"LPN-bench-01-000001", "LPN-bench-01-000002",
                                                        "LPN-bench-01-000003"}));
    for (int n = 1; n <= 3; ++n) {
        EXPECT_TRUE(std::filesystem::exists(dir_.path() / "labels" / ("job-" + std::to_string(n) + ".zpl")));
    }
    spooler.stop();
}

TEST_F(HeldLabelsTest, HeldJobsSurviveARestartAndPrintInOrderOnAReadyPrinter)
{
    {
        EventLoop loop;
        LabelSpooler spooler(loop, *store_, simPrinter(dir_.path() / "labels", "paper-out"));
        spooler.loadPending();
        ASSERT_TRUE(runUntil(loop, [&] { return spooler.heldStatus()["state"] == "not_ready"; }));
        spooler.stop();
    }
    // A voided item's job is retired: it is not printed after the restart.
    ASSERT_TRUE(store_->voidInspection("insp-2", "op-17", "2026-11-26T11:31:00.000Z"));
    EventLoop loop;
    LabelSpooler spooler(loop, *store_, simPrinter(dir_.path() / "labels", "ready"));
    spooler.loadPending();
    EXPECT_EQ(spooler.heldStatus()["held"], 2);
    ASSERT_TRUE(runUntil(loop, [&] { return spooler.idle(); })) << spooler.heldStatus().dump();
    EXPECT_EQ(printedOrder(), (std::vector<std::string>{"LPN-bench-01-000001", "LPN-bench-01-000003"}));
    EXPECT_FALSE(std::filesystem::exists(dir_.path() / "labels" / "job-2.zpl"));
    spooler.stop();
}

TEST_F(HeldLabelsTest, DroppingAVoidedInspectionRemovesItsQueuedJobs)
{
    EventLoop loop;
    LabelSpooler spooler(loop, *store_, nullptr); // no printer: every job stays queued
    spooler.loadPending();
    EXPECT_EQ(spooler.heldStatus()["state"], "none");
    spooler.drop("insp-2");
    const auto held = spooler.heldStatus();
    ASSERT_EQ(held["held"], 2);
    EXPECT_EQ(held["jobs"][0]["lpn"], "LPN-bench-01-000001");
    EXPECT_EQ(held["jobs"][1]["lpn"], "LPN-bench-01-000003");
}

} // namespace
} // namespace retour::station
