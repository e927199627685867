// Browser tests of the station's operator UI (ctest label `ui`): a real mosquitto, retour-central
// and retour-station (served UI on an ephemeral port, a TCP MT-SICS scale simulated by the
// scenario script, an image-sequence camera, a file printer or a Zebra on TCP played by the
// scenario script); each scenario is a node script
// driving headless Chromium (playwright-core) that exits 0 when the page behaved. Afterwards the
// station's database is checked through `retour-station report --json`.
#include "tests/support/child_process.h"
#include "tests/support/mosquitto_broker.h"
#include "tests/support/net.h"
#include "tests/support/paths.h"
#include "tests/support/site/site_config.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <regex>

namespace {

namespace fs = std::filesystem;
using retour::test::ChildProcess;
using retour::test::MosquittoBroker;
using retour::test::TempDir;
using retour::test::writeFile;
namespace fixtures = retour::test::fixtures;

class StationUi : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if (!MosquittoBroker::available()) {
            GTEST_SKIP() << "mosquitto not found";
        }
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        artefacts_ = fs::path(RETOUR_UI_ARTEFACTS) / info->name();
        fs::remove_all(artefacts_);
        fs::create_directories(artefacts_);

        broker_.emplace(std::vector<std::string>{"bench-01"});
        retour::test::CentralConfig central;
        central.brokerPort = broker_->port();
        central.rmas = fixtures::path("rmas/ui.toml").string();
        writeFile(dir_ / "central/central.toml", central.toml());
        central_.emplace(ChildProcess::Options{
            {RETOUR_CENTRAL_BIN, "run", "--config", (dir_ / "central/central.toml").string()},
            dir_ / "central/central.out",
            dir_ / "central/central.log",
            false,
            {}});

        fs::create_directories(dir_ / "station/labels");
        ChildProcess chart(
            ChildProcess::Options{{RETOUR_HWCONFIG_BIN, "test-chart", "--out",
                                   (dir_ / "station/frame_001.png").string(), "--code", "LPN-UI-1"},
                                  "/dev/null",
                                  dir_ / "chart.err",
                                  false,
                                  {}});
        ASSERT_TRUE(chart.wait(std::chrono::seconds(30)));
        scalePort_ = retour::test::freeTcpPort();
        // The sim printer writes each job to a file; a scenario with a Zebra (printerPort_) plays
        // it on TCP and may run out of paper.
        const std::string printer = printerPort_ != 0 ? "tcp:127.0.0.1:" + std::to_string(printerPort_) +
                                                            "?protocol=zpl&timeout_ms=1000"
                                                      : retour::test::simPrinter(dir_ / "station/labels");
        retour::test::StationConfig station;
        station.operatorId = "op-ui";
        station.operators = operatorsFile_;
        station.brokerPort = broker_->port();
        station.scale = "tcp:127.0.0.1:" + std::to_string(scalePort_) + "?protocol=mt-sics";
        station.printer = printer;
        station.camera = retour::test::fileCamera(dir_ / "station/frame_%03d.png");
        station.checklists = true;
        station.uiListen = "127.0.0.1:0";
        writeFile(dir_ / "station/station.toml", station.toml());
        // The RMAs reach the station's cache before the bench starts.
        ChildProcess sync(ChildProcess::Options{{RETOUR_STATION_BIN, "sync", "--config",
                                                 (dir_ / "station/station.toml").string(), "--wait-rmas", "2",
                                                 "--timeout", "20"},
                                                "/dev/null",
                                                dir_ / "sync.err",
                                                false,
                                                {}});
        const auto synced = sync.wait(std::chrono::seconds(25));
        ASSERT_TRUE(synced && synced->code == 0) << retour::test::readFile(dir_ / "sync.err");

        station_.emplace(
            ChildProcess::Options{{RETOUR_STATION_BIN, "run", "--config",
                                   (dir_ / "station/station.toml").string(), "--ui-dir", RETOUR_UI_DIR},
                                  "/dev/null",
                                  dir_ / "station.log",
                                  false,
                                  {}});
        const std::regex url("ui: operator UI at (http://127\\.0\\.0\\.1:[0-9]+/)");
        ASSERT_TRUE(retour::test::waitUntil(
            [&] {
                std::smatch m;
                const std::string log = retour::test::readFile(dir_ / "station.log");
                if (std::regex_search(log, m, url)) {
                    url_ = m[1];
                    return true;
                }
                return false;
            },
            std::chrono::seconds(15)))
            << retour::test::readFile(dir_ / "station.log");
    }

    void TearDown() override
    {
        if (station_) {
            station_->kill(SIGTERM);
            station_->wait(std::chrono::seconds(10));
            fs::copy_file(dir_ / "station.log", artefacts_ / "station.log",
                          fs::copy_options::overwrite_existing);
        }
    }

    // Runs tests/ui/<script> against the station; returns its exit status and prints its output.
    int scenario(const std::string& script)
    {
        ChildProcess node(ChildProcess::Options{
            {RETOUR_NODE, std::string(RETOUR_UI_TESTS) + "/" + script, url_, std::to_string(scalePort_)},
            artefacts_ / "node.out",
            artefacts_ / "node.err",
            false,
            {"RETOUR_UI_ARTEFACTS=" + artefacts_.string(),
             "RETOUR_PRINTER_PORT=" + std::to_string(printerPort_)}});
        auto exit = node.wait(std::chrono::seconds(50));
        if (!exit) {
            node.kill(SIGKILL);
            node.wait(std::chrono::seconds(5));
        }
        std::cout << retour::test::readFile(artefacts_ / "node.out")
                  << retour::test::readFile(artefacts_ / "node.err");
        return exit ? exit->code : -1;
    }

    nlohmann::json report()
    {
        ChildProcess run(ChildProcess::Options{
            {RETOUR_STATION_BIN, "report", "--json", "--config", (dir_ / "station/station.toml").string()},
            dir_ / "report.json",
            dir_ / "report.err",
            false,
            {}});
        const auto exit = run.wait(std::chrono::seconds(20));
        if (!exit || exit->code != 0) {
            ADD_FAILURE() << retour::test::readFile(dir_ / "report.err");
            return nlohmann::json::array();
        }
        return nlohmann::json::parse(retour::test::readFile(dir_ / "report.json"));
    }

    TempDir dir_{"retour-ui"};
    fs::path artefacts_;
    std::optional<MosquittoBroker> broker_;
    std::optional<ChildProcess> central_;
    std::optional<ChildProcess> station_;
    std::string url_;
    int scalePort_ = 0;
    int printerPort_ = 0;    // a Zebra on TCP played by the scenario, else the sim printer
    fs::path operatorsFile_; // [station] operators, when set
};

// The label printer is a Zebra on TCP that the scenario plays (tests/ui/lib/zebra.mjs).
class StationUiZebra : public StationUi
{
protected:
    void SetUp() override
    {
        printerPort_ = retour::test::freeTcpPort();
        StationUi::SetUp();
    }
};

// The item whose RMA, grade and disposition the database must hold after a scenario.
const nlohmann::json* findItem(const nlohmann::json& parcels, const std::string& rma)
{
    for (const auto& parcel : parcels) {
        if (parcel["rma_id"] == rma && !parcel["items"].empty()) {
            return &parcel["items"][0];
        }
    }
    return nullptr;
}

TEST_F(StationUi, ItemDoneByTouch)
{
    ASSERT_EQ(scenario("touch_item.mjs"), 0);
    const auto parcels = report();
    const auto* item = findItem(parcels, "RMA-UI1");
    ASSERT_NE(item, nullptr) << parcels.dump(2);
    EXPECT_EQ((*item)["grade"], "A");
    EXPECT_EQ((*item)["weight"]["result"], "ok");
    EXPECT_FALSE((*item)["lpn"].get<std::string>().empty());
}

TEST_F(StationUi, ItemDoneByScannerCommands)
{
    ASSERT_EQ(scenario("scanner_item.mjs"), 0);
    const auto parcels = report();
    const auto* item = findItem(parcels, "RMA-UI2");
    ASSERT_NE(item, nullptr) << parcels.dump(2);
    EXPECT_EQ((*item)["findings"], nlohmann::json::array({"weight_mismatch"}));
}

TEST_F(StationUi, DeviceGoingOfflineIsShown)
{
    EXPECT_EQ(scenario("device_offline.mjs"), 0);
}

TEST_F(StationUi, BrokerDownIsShown)
{
    // The script signals when the page shows the broker up, then waits for the alarm.
    ChildProcess node(ChildProcess::Options{
        {RETOUR_NODE, std::string(RETOUR_UI_TESTS) + "/broker_down.mjs", url_, std::to_string(scalePort_)},
        artefacts_ / "node.out",
        artefacts_ / "node.err",
        false,
        {"RETOUR_UI_ARTEFACTS=" + artefacts_.string()}});
    ASSERT_TRUE(retour::test::waitUntil([&] { return fs::exists(artefacts_ / "broker-up"); },
                                        std::chrono::seconds(30)))
        << retour::test::readFile(artefacts_ / "node.err");
    broker_->stop();
    const auto exit = node.wait(std::chrono::seconds(30));
    std::cout << retour::test::readFile(artefacts_ / "node.out")
              << retour::test::readFile(artefacts_ / "node.err");
    ASSERT_TRUE(exit);
    EXPECT_EQ(exit->code, 0);
}

TEST_F(StationUi, CommandSheetDecodes)
{
    EXPECT_EQ(scenario("sheet.mjs"), 0);
}

TEST_F(StationUi, HostileRequestsAreRefused)
{
    EXPECT_EQ(scenario("hostile.mjs"), 0);
    // The station is still serving afterwards.
    EXPECT_TRUE(station_->running());
}

// The printer runs out of paper: the confirmed item's label is held (shown with its count), prints
// when the paper is back, then a reprint and an undo are confirmed on screen; an undone item's
// held label is withdrawn and never printed. The store agrees afterwards.
TEST_F(StationUiZebra, HeldLabelReprintAndUndoAreShown)
{
    ASSERT_EQ(scenario("held_labels.mjs"), 0);
    const auto parcels = report();
    ASSERT_EQ(parcels.size(), 1U) << parcels.dump(2);
    const auto& items = parcels[0]["items"];
    ASSERT_EQ(items.size(), 3U) << parcels.dump(2);
    // Confirmed, undone; confirmed again, undone with its label held; confirmed a third time.
    EXPECT_TRUE(items[0]["voided"].get<bool>());
    EXPECT_TRUE(items[0]["label_printed"].get<bool>());
    EXPECT_TRUE(items[1]["voided"].get<bool>());
    EXPECT_FALSE(items[2]["voided"].get<bool>());
    EXPECT_TRUE(items[2]["label_printed"].get<bool>());
}

// The site's operators file (config/station/operators.example.toml): sign-in by PIN in the form and
// by badge; a wrong PIN is refused and no PIN reaches the screen, the UI state or the log.
class StationUiOperators : public StationUi
{
protected:
    void SetUp() override
    {
        operatorsFile_ = fs::path(RETOUR_SOURCE_DIR) / "config/station/operators.example.toml";
        StationUi::SetUp();
    }
};

TEST_F(StationUiOperators, SignInByPinAndBadge)
{
    ASSERT_EQ(scenario("signin.mjs"), 0);
    const std::string log = retour::test::readFile(dir_ / "station.log");
    EXPECT_EQ(log.find("735911"), std::string::npos) << log;
    EXPECT_EQ(log.find("SIGNIN:2468"), std::string::npos) << log;
    EXPECT_NE(log.find("CMD:SIGNIN:***"), std::string::npos) << log;
    EXPECT_NE(log.find("<badge of op-0017>"), std::string::npos) << log;
    EXPECT_NE(log.find("operator op-0042 (Ana Martin) signed in"), std::string::npos) << log;
}

} // namespace
