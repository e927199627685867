// The HTTP JSON API of `retour-central run` against a real mosquitto: every channel over real
// HTTP, bad input refused with the field named, the portal's label decoding to the RMA number,
// authorised returns retained for the stations and cancelled ones removed, RMA numbers continuing
// across a restart, and every response validated against docs/openapi.yaml. Label: integration.
#include "retour/link/mqtt_session.h"
#include "tests/support/child_process.h"
#include "tests/support/mosquitto_broker.h"
#include "tests/support/paths.h"
#include "tests/support/wait.h"
#include "tests/unit/central/central_process.h"
#include "tests/unit/central/fixtures.h"

#include <fstream>
#include <gtest/gtest.h>
#include <httplib.h>
#include <mutex>
#include <regex>
#include <unistd.h>

namespace retour::central {
namespace {

using nlohmann::json;
using retour::test::waitUntil;

constexpr std::string_view kToken = "test-token-0123456789";

// What a station of the site sees of the RMAs.
class RmaWatcher
{
public:
    explicit RmaWatcher(const retour::test::MosquittoBroker& broker)
    {
        sync::MqttSession::Callbacks callbacks;
        callbacks.onMessage = [this](const std::string& topic, const std::string& payload, bool) {
            const std::lock_guard lock(mutex_);
            latest_[topic] = payload;
        };
        session_ = test::stationSession(broker, "bench-01", "bench-01-api-test", callbacks);
        EXPECT_TRUE(session_->subscribe(sync::topics::allRmas("demo-site"), 1));
        EXPECT_TRUE(session_->start());
    }
    ~RmaWatcher() { session_->stop(); }

    // The last payload seen for the RMA (nothing when none came).
    std::optional<std::string> latest(const std::string& rmaId)
    {
        const std::lock_guard lock(mutex_);
        const auto it = latest_.find(sync::topics::rma("demo-site", rmaId));
        return it == latest_.end() ? std::nullopt : std::optional(it->second);
    }

private:
    std::mutex mutex_;
    std::map<std::string, std::string> latest_;
    std::unique_ptr<sync::MqttSession> session_;
};

struct Reply
{
    int status = 0;
    std::string contentType;
    std::string body;
    json doc;
};

class ApiTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if (!retour::test::MosquittoBroker::available()) {
            GTEST_SKIP() << "mosquitto not found";
        }
        broker_.emplace(std::vector<std::string>{"bench-01"});
        test::writeFile(dir_ / "central.toml",
                        test::centralConfigHead(dir_.path(), broker_->port()) +
                            "[http]\nlisten = \"127.0.0.1:0\"\ntoken = \"" + std::string(kToken) +
                            "\"\n[rules]\nauthorisation = \"" RETOUR_CENTRAL_RULES "/authorisation.toml\"\n"
                            "[returns]\nrma_prefix = \"DS\"\n");
    }

    void TearDown() override
    {
        if (!recorded_.empty()) {
            validateContract();
        }
    }

    void startCentral()
    {
        central_.emplace(test::centralRun(dir_.path()));
        // The port is logged once bound ([http] listen port 0).
        port_ = 0;
        ASSERT_TRUE(waitUntil([&] {
            const int last = test::lastHttpPort(retour::test::readFile(dir_ / "central.log"));
            port_ = last != previousPort_ ? last : 0;
            return port_ != 0;
        })) << retour::test::readFile(dir_ / "central.log");
        previousPort_ = port_;
    }

    void stopCentral()
    {
        central_->kill(SIGTERM);
        const auto exit = central_->wait(std::chrono::seconds(20));
        ASSERT_TRUE(exit);
        EXPECT_EQ(exit->code, 0) << retour::test::readFile(dir_ / "central.log");
        central_.reset();
    }

    // One request; `route` is the OpenAPI path template the response is validated against.
    Reply call(const std::string& method, const std::string& route, const std::string& path,
               const json& body = {}, bool staff = true)
    {
        httplib::Client client("127.0.0.1", port_);
        client.set_read_timeout(20, 0);
        httplib::Headers headers;
        if (staff) {
            headers.emplace("Authorization", "Bearer " + std::string(kToken));
        }
        httplib::Result result = method == "GET"
                                     ? client.Get(path, headers)
                                     : client.Post(path, headers, body.dump(), "application/json");
        Reply reply;
        if (!result) {
            ADD_FAILURE() << method << " " << path << ": " << httplib::to_string(result.error());
            return reply;
        }
        reply.status = result->status;
        reply.contentType = result->get_header_value("Content-Type");
        reply.body = result->body;
        if (reply.contentType.starts_with("application/json")) {
            reply.doc = json::parse(reply.body, nullptr, false);
        }
        recorded_.push_back(json{{"method", method},
                                 {"route", route},
                                 {"status", reply.status},
                                 {"content_type", reply.contentType},
                                 {"body", reply.contentType.starts_with("image/") ? "" : reply.body}});
        return reply;
    }

    static std::string message(const Reply& reply)
    {
        return reply.doc.value("/error/message"_json_pointer, "");
    }

    void validateContract()
    {
        const std::string python = RETOUR_PYTHON3;
        if (python.empty() || ::access(python.c_str(), X_OK) != 0) {
            return;
        }
        {
            std::ofstream out(dir_ / "responses.jsonl");
            for (const json& record : recorded_) {
                out << record.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
            }
        }
        retour::test::ChildProcess validator(retour::test::ChildProcess::Options{
            {python, RETOUR_CENTRAL_TESTS "/validate_openapi.py",
             (retour::test::sourceDir() / "docs/openapi.yaml").string(), (dir_ / "responses.jsonl").string()},
            dir_ / "validate.txt",
            dir_ / "validate.txt",
            false,
            {}});
        const auto exit = validator.wait(std::chrono::seconds(60));
        ASSERT_TRUE(exit);
        if (exit->code == 3) {
            return; // python3-jsonschema / python3-yaml missing
        }
        EXPECT_EQ(exit->code, 0) << retour::test::readFile(dir_ / "validate.txt");
    }

    retour::test::TempDir dir_{"central-api"};
    std::optional<retour::test::MosquittoBroker> broker_;
    std::optional<retour::test::ChildProcess> central_;
    int port_ = 0;
    int previousPort_ = 0;
    std::vector<json> recorded_;
};

TEST_F(ApiTest, EveryChannelOverHttp)
{
    startCentral();
    RmaWatcher station(*broker_);

    EXPECT_EQ(call("GET", "/api/v1/health", "/api/v1/health", {}, false).status, 200);
    // Staff endpoints need the token.
    auto denied =
        call("POST", "/api/v1/catalogue", "/api/v1/catalogue", json{{"items", json::array()}}, false);
    EXPECT_EQ(denied.status, 401);

    // Imports: a bad record refuses the whole request, naming the field.
    auto bad = call("POST", "/api/v1/catalogue", "/api/v1/catalogue",
                    json{{"items", {{{"sku", "A"}, {"description", "x"}, {"category", "toys"}}}}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(message(bad), "items[0].category: \"toys\" is not electronics, apparel or generic");
    auto catalogue = call("POST", "/api/v1/catalogue", "/api/v1/catalogue",
                          json{{"items",
                                {{{"sku", "HEAD"},
                                  {"description", "Headphones"},
                                  {"category", "electronics"},
                                  {"price", 129.9},
                                  {"expected_weight_g", 512}},
                                 {{"sku", "TV"}, {"description", "Television"}, {"category", "electronics"}},
                                 {{"sku", "BUDS"},
                                  {"description", "Buds"},
                                  {"category", "electronics"},
                                  {"returnable", false}}}}});
    ASSERT_EQ(catalogue.status, 200) << catalogue.body;
    EXPECT_EQ(catalogue.doc["imported"], 3);
    const json order = {{"order_id", "SO-1"},
                        {"email", "ada@example.com"},
                        {"ordered_at", "2026-11-20"},
                        {"lines",
                         {{{"line_id", "1"},
                           {"sku", "HEAD"},
                           {"quantity", 2},
                           {"unit_price", 129.9},
                           {"serials", {"SN-1", "SN-2"}}},
                          {{"line_id", "2"}, {"sku", "BUDS"}, {"quantity", 1}, {"unit_price", 49}}}}};
    const json bigOrder = {
        {"order_id", "SO-2"},
        {"email", "bob@example.com"},
        {"ordered_at", "2026-11-20"},
        {"lines", {{{"line_id", "1"}, {"sku", "TV"}, {"quantity", 1}, {"unit_price", 1500}}}}};
    auto orders = call("POST", "/api/v1/orders", "/api/v1/orders", json{{"orders", {order, bigOrder}}});
    ASSERT_EQ(orders.status, 200) << orders.body;
    auto noLines = call("POST", "/api/v1/orders", "/api/v1/orders",
                        json{{"orders",
                              {{{"order_id", "SO-9"},
                                {"email", "x@example.com"},
                                {"ordered_at", "2026-11-20"},
                                {"lines", json::array()}}}}});
    EXPECT_EQ(noLines.status, 400);
    EXPECT_EQ(message(noLines), "orders[0].lines: an order needs at least one line");

    // Portal: order number + e-mail → returnable items → a return with reasons.
    auto lookup = call("POST", "/api/v1/portal/lookup", "/api/v1/portal/lookup",
                       json{{"order_id", "SO-1"}, {"email", "Ada@Example.com"}}, false);
    ASSERT_EQ(lookup.status, 200) << lookup.body;
    EXPECT_EQ(lookup.doc["items"][0]["returnable"], 2);
    EXPECT_EQ(lookup.doc["items"][1]["returnable"], 0);
    auto wrongEmail = call("POST", "/api/v1/portal/lookup", "/api/v1/portal/lookup",
                           json{{"order_id", "SO-1"}, {"email", "eve@example.com"}}, false);
    EXPECT_EQ(wrongEmail.status, 404);
    auto noEmail =
        call("POST", "/api/v1/portal/lookup", "/api/v1/portal/lookup", json{{"order_id", "SO-1"}}, false);
    EXPECT_EQ(noEmail.status, 400);
    EXPECT_EQ(message(noEmail), "email: missing");
    auto badQuantity = call("POST", "/api/v1/portal/returns", "/api/v1/portal/returns",
                            json{{"order_id", "SO-1"},
                                 {"email", "ada@example.com"},
                                 {"items", {{{"line_id", "1"}, {"quantity", "two"}, {"reason", "x"}}}}},
                            false);
    EXPECT_EQ(badQuantity.status, 400);
    EXPECT_EQ(message(badQuantity), "items[0].quantity: must be a whole number");
    auto tooMany = call("POST", "/api/v1/portal/returns", "/api/v1/portal/returns",
                        json{{"order_id", "SO-1"},
                             {"email", "ada@example.com"},
                             {"items", {{{"line_id", "1"}, {"quantity", 3}, {"reason", "x"}}}}},
                        false);
    EXPECT_EQ(tooMany.status, 422);
    EXPECT_EQ(message(tooMany), "items[0].quantity: 3 is not between 1 and the 2 ordered");

    auto created = call("POST", "/api/v1/portal/returns", "/api/v1/portal/returns",
                        json{{"order_id", "SO-1"},
                             {"email", "ada@example.com"},
                             {"items", {{{"line_id", "1"}, {"quantity", 1}, {"reason", "does_not_fit"}}}}},
                        false);
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string rma = created.doc["rma_id"];
    EXPECT_EQ(rma, "DS-000001");
    EXPECT_EQ(created.doc["state"], "authorised");
    EXPECT_EQ(created.doc["decision"]["rule"], "(default)");
    // Pushed to the stations, retained.
    ASSERT_TRUE(waitUntil([&] { return station.latest(rma).has_value(); }));
    const json pushed = json::parse(*station.latest(rma));
    EXPECT_EQ(pushed["state"], "authorised");
    EXPECT_EQ(pushed["lines"][0]["serials"], json({"SN-1", "SN-2"}));

    auto status = call("GET", "/api/v1/portal/returns/{rma_id}",
                       "/api/v1/portal/returns/" + rma + "?email=ada@example.com", {}, false);
    ASSERT_EQ(status.status, 200) << status.body;
    EXPECT_FALSE(status.doc["history"][0].contains("actor")) << "staff details stay inside";
    EXPECT_EQ(call("GET", "/api/v1/portal/returns/{rma_id}",
                   "/api/v1/portal/returns/" + rma + "?email=eve@example.com", {}, false)
                  .status,
              404);
    auto label = call("GET", "/api/v1/portal/returns/{rma_id}/label.png",
                      "/api/v1/portal/returns/" + rma + "/label.png?email=ada@example.com", {}, false);
    ASSERT_EQ(label.status, 200);
    EXPECT_EQ(label.contentType, "image/png");
    if (::access("/usr/bin/zbarimg", X_OK) == 0) {
        test::writeFile(dir_ / "label.png", label.body);
        retour::test::ChildProcess zbar(
            retour::test::ChildProcess::Options{{"/usr/bin/zbarimg", "-q", "--raw", "-Sdisable",
                                                 "-Scode128.enable", (dir_ / "label.png").string()},
                                                dir_ / "zbar.txt",
                                                dir_ / "zbar.err",
                                                false,
                                                {}});
        ASSERT_TRUE(zbar.wait(std::chrono::seconds(20)));
        EXPECT_EQ(retour::test::readFile(dir_ / "zbar.txt"), rma + "\n");
    }

    // The rules: a non-returnable item is rejected, naming the rule.
    auto sealed = call("POST", "/api/v1/portal/returns", "/api/v1/portal/returns",
                       json{{"order_id", "SO-1"},
                            {"email", "ada@example.com"},
                            {"items", {{{"line_id", "2"}, {"reason", "unwanted"}}}}},
                       false);
    ASSERT_EQ(sealed.status, 201);
    EXPECT_EQ(sealed.doc["state"], "rejected");
    EXPECT_EQ(sealed.doc["decision"]["rule"], "non-returnable-items");
    auto noLabel = call("GET", "/api/v1/portal/returns/{rma_id}/label.png",
                        "/api/v1/portal/returns/" + std::string(sealed.doc["rma_id"]) +
                            "/label.png?email=ada@example.com",
                        {}, false);
    EXPECT_EQ(noLabel.status, 409);

    // Customer service overrides the rejection rule with an agent; a missing agent is refused.
    json cs = {{"channel", "customer_service"},
               {"order_id", "SO-1"},
               {"items", {{{"line_id", "2"}, {"reason", "goodwill"}}}},
               {"override", {{"decision", "approve"}, {"reason", "sealed but faulty"}}}};
    auto noAgent = call("POST", "/api/v1/returns", "/api/v1/returns", cs);
    EXPECT_EQ(noAgent.status, 400);
    EXPECT_EQ(message(noAgent), "agent: missing; customer service returns name the agent");
    cs["agent"] = "cs-42";
    auto overridden = call("POST", "/api/v1/returns", "/api/v1/returns", cs);
    ASSERT_EQ(overridden.status, 201) << overridden.body;
    EXPECT_EQ(overridden.doc["state"], "authorised");
    EXPECT_EQ(overridden.doc["decision"]["decided_by"], "agent:cs-42");

    // Store: received at the store.
    auto inStore = call("POST", "/api/v1/returns", "/api/v1/returns",
                        json{{"channel", "store"},
                             {"store", "paris-01"},
                             {"order_id", "SO-1"},
                             {"items", {{{"line_id", "1"}, {"reason", "unwanted"}}}}});
    ASSERT_EQ(inStore.status, 201) << inStore.body;
    EXPECT_EQ(inStore.doc["state"], "received");

    // Trade-in: provisional value; over 500 goes to the review queue, then a reviewer approves.
    auto tradein = call("POST", "/api/v1/returns", "/api/v1/returns",
                        json{{"channel", "tradein"},
                             {"email", "carl@example.com"},
                             {"trade_in_value", 600},
                             {"items", {{{"sku", "HEAD"}, {"serial", "SN-OLD"}}}}});
    ASSERT_EQ(tradein.status, 201) << tradein.body;
    EXPECT_EQ(tradein.doc["state"], "requested");
    EXPECT_EQ(tradein.doc["decision"]["rule"], "trade-in-value");
    const std::string tradeinId = tradein.doc["rma_id"];
    auto queue = call("GET", "/api/v1/review", "/api/v1/review");
    ASSERT_EQ(queue.status, 200);
    ASSERT_EQ(queue.doc["returns"].size(), 1u);
    EXPECT_EQ(queue.doc["returns"][0]["rma_id"], tradeinId);
    auto badDecision =
        call("POST", "/api/v1/returns/{rma_id}/decision", "/api/v1/returns/" + tradeinId + "/decision",
             json{{"decision", "maybe"}, {"reviewer", "r1"}, {"reason", "?"}});
    EXPECT_EQ(badDecision.status, 400);
    EXPECT_EQ(message(badDecision), "decision: \"maybe\" is not approve or reject");
    auto decided =
        call("POST", "/api/v1/returns/{rma_id}/decision", "/api/v1/returns/" + tradeinId + "/decision",
             json{{"decision", "approve"}, {"reviewer", "r1"}, {"reason", "price checked"}});
    ASSERT_EQ(decided.status, 200) << decided.body;
    EXPECT_EQ(decided.doc["state"], "authorised");
    auto again =
        call("POST", "/api/v1/returns/{rma_id}/decision", "/api/v1/returns/" + tradeinId + "/decision",
             json{{"decision", "approve"}, {"reviewer", "r2"}, {"reason", "again"}});
    EXPECT_EQ(again.status, 422);
    EXPECT_EQ(message(again), "return " + tradeinId + " cannot move from authorised to authorised");

    // The parcel before the bench: the carrier's first scan moves it in transit, once.
    auto scanned = call("POST", "/api/v1/returns/{rma_id}/events", "/api/v1/returns/" + tradeinId + "/events",
                        json{{"kind", "carrier_scan"},
                             {"actor", "carrier:dhl"},
                             {"at", "2026-11-26T09:00:00Z"},
                             {"location", "Lyon hub"}});
    ASSERT_EQ(scanned.status, 200) << scanned.body;
    EXPECT_EQ(scanned.doc["state"], "in_transit");
    EXPECT_EQ(scanned.doc["moved"], true);
    auto rescanned =
        call("POST", "/api/v1/returns/{rma_id}/events", "/api/v1/returns/" + tradeinId + "/events",
             json{{"kind", "drop_off"}, {"actor", "x"}});
    ASSERT_EQ(rescanned.status, 200) << rescanned.body;
    EXPECT_EQ(rescanned.doc["moved"], false);
    auto badKind = call("POST", "/api/v1/returns/{rma_id}/events", "/api/v1/returns/" + tradeinId + "/events",
                        json{{"kind", "beamed"}, {"actor", "x"}});
    EXPECT_EQ(badKind.status, 400);
    EXPECT_EQ(message(badKind), "kind: \"beamed\" is not carrier_scan, drop_off or store_receipt");
    auto badTime = call("POST", "/api/v1/returns/{rma_id}/events", "/api/v1/returns/" + tradeinId + "/events",
                        json{{"kind", "drop_off"}, {"actor", "x"}, {"at", "yesterday"}});
    EXPECT_EQ(badTime.status, 400);

    // Pre-printed label: issued with the order, activated when its parcel shows up.
    auto issued = call("POST", "/api/v1/orders/{order_id}/preprinted", "/api/v1/orders/SO-2/preprinted",
                       json{{"agent", "wms"}});
    ASSERT_EQ(issued.status, 201) << issued.body;
    EXPECT_EQ(issued.doc["state"], "requested");
    const std::string preprinted = issued.doc["rma_id"];
    auto activated = call("POST", "/api/v1/returns/{rma_id}/activate",
                          "/api/v1/returns/" + preprinted + "/activate", json{{"actor", "carrier:dhl"}});
    ASSERT_EQ(activated.status, 200) << activated.body;
    EXPECT_EQ(activated.doc["decision"]["rule"], "high-value-electronics");

    // Lists with filters; the staff view carries who did what.
    auto portalReturns = call("GET", "/api/v1/returns", "/api/v1/returns?channel=portal");
    ASSERT_EQ(portalReturns.status, 200);
    EXPECT_EQ(portalReturns.doc["returns"].size(), 2u);
    auto rejected = call("GET", "/api/v1/returns", "/api/v1/returns?state=rejected");
    EXPECT_EQ(rejected.doc["returns"].size(), 1u);
    EXPECT_EQ(call("GET", "/api/v1/returns", "/api/v1/returns?state=lost").status, 400);
    auto full = call("GET", "/api/v1/returns/{rma_id}", "/api/v1/returns/" + tradeinId);
    ASSERT_EQ(full.status, 200);
    EXPECT_EQ(full.doc["history"][1]["actor"], "reviewer:r1");
    EXPECT_EQ(call("GET", "/api/v1/returns/{rma_id}", "/api/v1/returns/DS-999999").status, 404);

    // Cancellation: the stations drop the RMA (empty retained payload).
    auto cancelled =
        call("POST", "/api/v1/portal/returns/{rma_id}/cancel", "/api/v1/portal/returns/" + rma + "/cancel",
             json{{"email", "ada@example.com"}, {"reason", "changed my mind"}}, false);
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    EXPECT_EQ(cancelled.doc["state"], "cancelled");
    ASSERT_TRUE(waitUntil([&] { return station.latest(rma) == std::optional<std::string>(""); }));
    const std::string overriddenId = overridden.doc["rma_id"];
    auto staffCancel =
        call("POST", "/api/v1/returns/{rma_id}/cancel", "/api/v1/returns/" + overriddenId + "/cancel",
             json{{"actor", "agent:cs-42"}, {"reason", "duplicate"}});
    EXPECT_EQ(staffCancel.status, 200);
    auto scanCancelled =
        call("POST", "/api/v1/returns/{rma_id}/events", "/api/v1/returns/" + overriddenId + "/events",
             json{{"kind", "carrier_scan"}, {"actor", "carrier:dhl"}});
    EXPECT_EQ(scanCancelled.status, 409);
    EXPECT_EQ(message(scanCancelled),
              "return " + overriddenId + " is cancelled: no parcel is expected for it");
    auto cancelStore = call("POST", "/api/v1/returns/{rma_id}/cancel",
                            "/api/v1/returns/" + std::string(inStore.doc["rma_id"]) + "/cancel",
                            json{{"actor", "agent:cs-42"}, {"reason", "too late"}});
    EXPECT_EQ(cancelStore.status, 422);

    auto reloaded = call("POST", "/api/v1/rules/reload", "/api/v1/rules/reload");
    EXPECT_EQ(reloaded.status, 200);
    EXPECT_EQ(reloaded.doc["rules"], 9);

    // Reports, evidence, refunds and stock (filled by outcomes_run_test; here without inspections).
    auto reports = call("GET", "/api/v1/reports", "/api/v1/reports");
    EXPECT_EQ(reports.status, 200);
    EXPECT_EQ(reports.doc["returns"]["total"], 6);
    EXPECT_EQ(call("GET", "/api/v1/reports", "/api/v1/reports?format=pdf").status, 400);
    auto evidence = call("GET", "/api/v1/returns/{rma_id}/evidence", "/api/v1/returns/" + rma + "/evidence");
    EXPECT_EQ(evidence.status, 200);
    EXPECT_TRUE(evidence.doc["inspections"].empty());
    EXPECT_EQ(call("GET", "/api/v1/refunds", "/api/v1/refunds").status, 200);
    EXPECT_EQ(call("GET", "/api/v1/stock/movements", "/api/v1/stock/movements").status, 200);
    EXPECT_EQ(call("GET", "/api/v1/stock/levels", "/api/v1/stock/levels").status, 200);

    // RMA numbers go on after a restart.
    stopCentral();
    startCentral();
    auto after = call("POST", "/api/v1/returns", "/api/v1/returns",
                      json{{"channel", "customer_service"},
                           {"agent", "cs-1"},
                           {"order_id", "SO-1"},
                           {"items", {{{"line_id", "1"}, {"reason", "x"}}}}});
    ASSERT_EQ(after.status, 201) << after.body;
    EXPECT_EQ(after.doc["rma_id"], "DS-000007");
    stopCentral();
}

} // namespace
} // namespace retour::central
