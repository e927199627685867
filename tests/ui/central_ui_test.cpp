// The central self-service page in a real browser (label ui): retour-central run with a real
// mosquitto and the page of sync/central/web; central_portal.mjs plays the customer in headless
// Chromium and decodes the label with zbarimg; here the return it made is checked in the ledger
// through the staff API.
#include "tests/support/child_process.h"
#include "tests/support/mosquitto_broker.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <regex>

namespace {

using nlohmann::json;
using retour::test::ChildProcess;
using retour::test::writeFile;

constexpr const char* kToken = "ui-test-token-0123456789";

TEST(CentralPortalUi, CustomerGetsALabelThatReadsAsTheReturnNumber)
{
    if (!retour::test::MosquittoBroker::available()) {
        GTEST_SKIP() << "mosquitto not found";
    }
    retour::test::MosquittoBroker broker(std::vector<std::string>{"bench-01"});
    retour::test::TempDir dir("central-ui");
    writeFile(dir / "central.pw", retour::test::MosquittoBroker::passwordFor("central") + "\n");
    writeFile(dir / "central.toml",
              "[central]\nsite = \"demo-site\"\ndatabase = \"central.db\"\n[broker]\nport = " +
                  std::to_string(broker.port()) +
                  "\nusername = \"central\"\npassword_file = \"central.pw\"\n"
                  "[http]\nlisten = \"127.0.0.1:0\"\ntoken = \"" +
                  std::string(kToken) +
                  "\"\nweb = \"" RETOUR_CENTRAL_WEB "\"\n"
                  "[rules]\nauthorisation = \"" RETOUR_CENTRAL_RULES "/authorisation.toml\"\n");
    ChildProcess central(
        ChildProcess::Options{{RETOUR_CENTRAL_BIN, "run", "--config", (dir / "central.toml").string()},
                              "/dev/null",
                              dir / "central.log",
                              false,
                              {}});
    int port = 0;
    ASSERT_TRUE(retour::test::waitUntil([&] {
        std::smatch match;
        const std::string log = retour::test::readFile(dir / "central.log");
        if (std::regex_search(log, match,
                              std::regex(R"(HTTP API listening on http://127\.0\.0\.1:(\d+)/)"))) {
            port = std::stoi(match[1]);
        }
        return port != 0;
    })) << retour::test::readFile(dir / "central.log");

    httplib::Client client("127.0.0.1", port);
    const httplib::Headers staff{{"Authorization", std::string("Bearer ") + kToken}};
    const json catalogue = {{"items",
                             {{{"sku", "HEAD"},
                               {"description", "Bluetooth headphones"},
                               {"category", "electronics"},
                               {"price", 129.9}}}}};
    auto imported = client.Post("/api/v1/catalogue", staff, catalogue.dump(), "application/json");
    ASSERT_TRUE(imported && imported->status == 200);
    const json orders = {
        {"orders",
         {{{"order_id", "SO-4711"},
           {"email", "ada@example.com"},
           {"ordered_at", "2026-11-20"},
           {"lines", {{{"line_id", "1"}, {"sku", "HEAD"}, {"quantity", 1}, {"unit_price", 129.9}}}}}}}};
    imported = client.Post("/api/v1/orders", staff, orders.dump(), "application/json");
    ASSERT_TRUE(imported && imported->status == 200);

    const auto artefacts = std::filesystem::path(RETOUR_UI_ARTEFACTS) / "central_portal";
    std::filesystem::create_directories(artefacts);
    ChildProcess::Options options{{RETOUR_NODE, std::string(RETOUR_UI_TESTS) + "/central_portal.mjs",
                                   "http://127.0.0.1:" + std::to_string(port) + "/", "SO-4711",
                                   "ada@example.com"},
                                  dir / "node.out",
                                  dir / "node.err",
                                  false,
                                  {"RETOUR_UI_ARTEFACTS=" + artefacts.string()}};
    ChildProcess node(std::move(options));
    const auto exit = node.wait(std::chrono::seconds(90));
    ASSERT_TRUE(exit) << "the browser test did not finish";
    ASSERT_EQ(exit->code, 0) << retour::test::readFile(dir / "node.err")
                             << retour::test::readFile(dir / "node.out");
    const json result = json::parse(retour::test::readFile(dir / "node.out"), nullptr, false);
    ASSERT_TRUE(result.is_object()) << retour::test::readFile(dir / "node.out");
    const std::string rma = result["rma"];

    auto ledger = client.Get("/api/v1/returns/" + rma, staff);
    ASSERT_TRUE(ledger && ledger->status == 200);
    const json ret = json::parse(ledger->body);
    EXPECT_EQ(ret["state"], "authorised");
    EXPECT_EQ(ret["label_barcode"], rma);
    EXPECT_EQ(ret["order_id"], "SO-4711");
    EXPECT_EQ(ret["lines"][0]["reason"], "defective");
    central.kill(SIGTERM);
    EXPECT_TRUE(central.wait(std::chrono::seconds(20)));
}

} // namespace
