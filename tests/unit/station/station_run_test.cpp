#include "app/station.h"
#include "cli/until_done.h"
#include "retour/link/outbox.h"
#include "retour/vision/barcode_writer.h"
#include "tests/support/temp_dir.h"

#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

namespace retour::station {
namespace {

using retour::test::TempDir;

const std::filesystem::path kSource(RETOUR_SOURCE_DIR);

// Runs the whole bench in-process, offline, on dir/scenario.toml: sim scanner (and sim scale when
// `scale`), sim printer writing ZPL to dir/labels, the camera `camera` (a file: URI), the repo's
// disposition rules plus `rules` lines; the run ends when the scenario is delivered, the bench
// idle and every label printed (acknowledgements are not awaited: no broker). Returns the store.
std::unique_ptr<Store> runOfflineBench(const TempDir& dir, const std::string& camera, bool scale = true,
                                       const std::string& rules = {})
{
    const auto file = dir.write("station.toml",
                                "[station]\nsite = \"demo-site\"\nid = \"bench-t\"\n"
                                "[devices]\nscanner = \"sim:scanner?script=scenario.toml\"\n" +
                                    std::string(scale ? "scale = \"sim:scale?script=scenario.toml\"\n" : "") +
                                    "printer = \"sim:printer?out=labels\"\ncamera = \"" + camera +
                                    "\"\n[rules]\ndisposition = \"" +
                                    (kSource / "config/rules/disposition.toml").string() + "\"\n" + rules);
    std::filesystem::create_directories(dir.path() / "labels");
    auto config = loadConfig(file);
    EXPECT_TRUE(config.has_value()) << config.error().message;
    if (!config) {
        return nullptr;
    }
    auto station = Station::create(*config);
    EXPECT_TRUE(station.has_value()) << station.error().message;
    if (!station) {
        return nullptr;
    }
    RunOptions options;
    options.goal = untilDone(/*waitForAcknowledgements=*/false);
    options.timeout = std::chrono::seconds(60); // a safety net, not a timing assertion
    EXPECT_EQ((*station)->run(options), 0);
    station->reset();
    auto store = Store::open(config->databasePath(), Store::Options{"demo-site", "bench-t", 100000, 5000});
    EXPECT_TRUE(store.has_value());
    return store ? std::move(*store) : nullptr;
}

// The whole bench in-process, offline: sim scanner and scale replay a scenario, the camera reads
// test charts, the sim printer writes ZPL files.
TEST(StationRun, SimulatedSessionIsInspectedLabelledAndQueuedForCentral)
{
    TempDir dir;
    for (int i = 1; i <= 2; ++i) {
        const auto chart =
            vision::renderTestChart({{"ITEM-" + std::to_string(i), "Code 128"}}, "item photo", 640, 360);
        ASSERT_TRUE(cv::imwrite((dir.path() / ("item_0" + std::to_string(i) + ".png")).string(), chart));
    }
    dir.write("scenario.toml", R"(
step_delay_ms = 0
[[step]]
scan = "4012345000993"
[[step]]
weigh = 420.0
[[step]]
scan = "CMD:GRADE:0:B"
[[step]]
scan = "CMD:CONFIRM"
[[step]]
clear = true
[[step]]
scan = "CMD:CLOSE"
[[step]]
scan = "NOT-A-CODE"
[[step]]
scan = "96385074"
[[step]]
scan = "CMD:CONFIRM"
[[step]]
weigh = 300.0
[[step]]
scan = "CMD:GRADE:3:D"
[[step]]
scan = "CMD:CONFIRM"
[[step]]
scan = "CMD:CLOSE"
)");
    auto store = runOfflineBench(dir, "file:" + (dir.path() / "item_%02d.png").string() + "?loop=1");
    ASSERT_TRUE(store);
    auto report = store->report();
    ASSERT_TRUE(report.has_value());
    ASSERT_EQ(report->size(), 2u);
    const auto& first = (*report)[0];
    EXPECT_EQ(first["identified_by"], "unannounced");
    ASSERT_EQ(first["items"].size(), 1u);
    EXPECT_EQ(first["items"][0]["disposition"], "open_box");
    EXPECT_EQ(first["items"][0]["photos"], 1);
    EXPECT_EQ(first["items"][0]["label_printed"], true);
    EXPECT_EQ(first["items"][0]["lpn"], "LPN-bench-t-000001");
    const auto& second = (*report)[1];
    EXPECT_EQ(second["items"][0]["grade"], "E");
    EXPECT_EQ(second["items"][0]["disposition"], "recycle");
    EXPECT_EQ(second["items"][0]["weight"]["measured_g"], 300.0);
    // Nothing was lost offline: for each of the 2 parcels, parcel.received, inspection.completed,
    // label.printed and parcel.closed wait for central.
    EXPECT_EQ(store->outbox().stats()->pending, 8);
    std::size_t labels = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path() / "labels")) {
        ++labels;
    }
    EXPECT_EQ(labels, 2u);
}

// The real bench, offline, from a pre-printed label no RMA has: the return is created at the bench
// (channel preprinted, the label in parcel.received and parcel.closed), the item is a GS1
// DataMatrix with serial, and scanning the printed LPN — in the open parcel and after closing it —
// never opens another parcel.
TEST(StationRun, PreprintedLabelGs1ItemAndLpnScansThroughTheRealBench)
{
    TempDir dir;
    const auto chart = vision::renderTestChart({{"ITEM-1", "Code 128"}}, "item photo", 640, 360);
    ASSERT_TRUE(cv::imwrite((dir.path() / "item_01.png").string(), chart));
    dir.write("scenario.toml", R"(
step_delay_ms = 0
[[step]]
scan = "PP-5500001"
[[step]]
scan = "]d2010401234500099321SN-77"
[[step]]
weigh = 420.0
[[step]]
scan = "CMD:GRADE:0:B"
[[step]]
scan = "CMD:CONFIRM"
[[step]]
clear = true
[[step]]
scan = "LPN-bench-t-000001"
[[step]]
scan = "CMD:CLOSE"
[[step]]
scan = "LPN-bench-t-000001"
)");
    auto store = runOfflineBench(dir, "file:" + (dir.path() / "item_%02d.png").string() + "?loop=1");
    ASSERT_TRUE(store);
    auto report = store->report();
    ASSERT_TRUE(report.has_value());
    ASSERT_EQ(report->size(), 1u); // the LPN scans opened nothing
    EXPECT_EQ((*report)[0]["identified_by"], "preprinted_label");
    EXPECT_EQ((*report)[0]["channel"], "preprinted");

    auto pending = store->outbox().after(0, 100);
    ASSERT_TRUE(pending.has_value());
    std::map<std::string, nlohmann::json> byType;
    for (const auto& event : *pending) {
        byType[event.topic.substr(event.topic.rfind('/') + 1)] = nlohmann::json::parse(event.payload)["data"];
    }
    ASSERT_EQ(byType.count("parcel.received"), 1u);
    EXPECT_TRUE(byType["parcel.received"]["rma_id"].is_null());
    EXPECT_EQ(byType["parcel.received"]["channel"], "preprinted");
    EXPECT_EQ(byType["parcel.received"]["label"], "PP-5500001");
    EXPECT_EQ(byType["inspection.completed"]["item"]["serial"], "SN-77");
    EXPECT_EQ(byType["inspection.completed"]["item"]["gtin"], "04012345000993");
    EXPECT_EQ(byType["inspection.completed"]["lpn"], "LPN-bench-t-000001");
    EXPECT_EQ(byType["parcel.closed"]["label"], "PP-5500001");
    ASSERT_EQ(byType["parcel.closed"]["found"].size(), 1u);
    EXPECT_EQ(byType["parcel.closed"]["found"][0]["serial"], "SN-77");
}

// A label the scanner cannot read is read by the camera (CMD:CAMERA); the scans made meanwhile wait
// for it, in order. A still with two codes is refused with both named, a still with none says so.
TEST(StationRun, CameraReadsTheLabelTheScannerCannot)
{
    TempDir dir;
    // The camera's frames, in turn: the pre-printed label alone, then two item codes (either one,
    // taken as a scan, would become the parcel's item instead of the one scanned next), then none.
    ASSERT_TRUE(cv::imwrite((dir.path() / "view_01.png").string(),
                            vision::renderTestChart({{"PP-5500002", "Code 128"}}, "label", 640, 360)));
    ASSERT_TRUE(
        cv::imwrite((dir.path() / "view_02.png").string(),
                    vision::renderTestChart({{"4012345000184", "EAN-13"}, {"4012345000191", "EAN-13"}},
                                            "two items", 640, 360)));
    ASSERT_TRUE(cv::imwrite((dir.path() / "view_03.png").string(),
                            vision::renderTestChart({}, "nothing to read", 640, 360)));
    dir.write("scenario.toml", R"(
step_delay_ms = 0
[[step]]
scan = "CMD:CAMERA"
[[step]]
scan = "CMD:CAMERA"
[[step]]
scan = "CMD:CAMERA"
[[step]]
scan = "4012345000993"
[[step]]
scan = "CMD:SKIPPHOTO:camera_fault"
[[step]]
scan = "CMD:GRADE:0:A"
[[step]]
scan = "CMD:CONFIRM"
[[step]]
scan = "CMD:CLOSE"
)");
    auto store =
        runOfflineBench(dir, "file:" + (dir.path() / "view_%02d.png").string() + "?role=label", false,
                        "checklists = \"" + (kSource / "config/rules/checklists.toml").string() + "\"\n");
    ASSERT_TRUE(store);
    auto report = store->report();
    ASSERT_TRUE(report.has_value());
    ASSERT_EQ(report->size(), 1u); // the two refused reads opened nothing and started no item
    EXPECT_EQ((*report)[0]["identified_by"], "preprinted_label");
    ASSERT_EQ((*report)[0]["items"].size(), 1u);
    EXPECT_EQ((*report)[0]["items"][0]["gtin"], "4012345000993");
}

} // namespace
} // namespace retour::station
