// `retour-central run` handing its outcomes to other processes: refunds to a separate payment
// service (tests/support/site/payment_service.py) over HTTP, stock movements to a webhook, customer
// e-mails to an SMTP sink (tests/support/site/smtp_sink.py), with a real mosquitto and station events.
// Asserts that no refund is paid twice across failed attempts, lost answers and a central crash.
// Label: integration.
#include "retour/link/mqtt_session.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/store.h"
#include "tests/support/child_process.h"
#include "tests/support/mosquitto_broker.h"
#include "tests/support/net.h"
#include "tests/support/paths.h"
#include "tests/support/site/central_api.h"
#include "tests/support/site/helper_service.h"
#include "tests/support/sqlite_query.h"
#include "tests/support/wait.h"
#include "tests/unit/central/central_process.h"
#include "tests/unit/central/fixtures.h"

#include <fstream>
#include <gtest/gtest.h>
#include <httplib.h>
#include <regex>
#include <sstream>
#include <unistd.h>

namespace retour::central {
namespace {

using nlohmann::json;
using retour::test::waitUntil;
constexpr std::string_view kToken = "outcomes-token-0123456789";

// A station's MQTT session that only publishes events.
class StationPublisher
{
public:
    StationPublisher(const retour::test::MosquittoBroker& broker, const std::string& id) : id_(id)
    {
        session_ = test::stationSession(broker, id, id + "-outcomes-test", {});
        EXPECT_TRUE(session_->start());
    }
    ~StationPublisher() { session_->stop(); }

    void send(std::string_view type, json data)
    {
        ASSERT_TRUE(waitUntil([&] { return session_->connected(); }));
        ++seq_;
        const std::string body =
            test::eventBody(type, std::move(data), id_, "demo-site", sync::newUuidV7(), seq_);
        ASSERT_TRUE(session_->publish(sync::topics::event("demo-site", id_, type), body, 1, false));
    }

private:
    std::string id_;
    std::int64_t seq_ = 0;
    std::unique_ptr<sync::MqttSession> session_;
};

class OutcomesRunTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if (!retour::test::MosquittoBroker::available() || python_.empty() ||
            ::access(python_.c_str(), X_OK) != 0) {
            GTEST_SKIP() << "mosquitto or python3 not found";
        }
        broker_.emplace(std::vector<std::string>{"bench-01"});
        std::filesystem::create_directories(payDir());
        std::filesystem::create_directories(mailDir());
        test::writeFile(dir_ / "rmas.toml", test::kSeed);
        paymentPort_ = retour::test::freeTcpPort();
    }

    std::filesystem::path payDir() const { return dir_ / "pay"; }
    std::filesystem::path mailDir() const { return dir_ / "mail"; }

    void writeConfig(int smtpPort)
    {
        const std::string config = RETOUR_CENTRAL_CONFIG;
        const std::string base = "http://127.0.0.1:" + std::to_string(paymentPort_);
        test::writeFile(
            dir_ / "central.toml",
            test::centralConfigHead(dir_.path(), broker_->port()) +
                "[seed]\nrmas = \"rmas.toml\"\n"
                "[http]\nlisten = \"127.0.0.1:0\"\ntoken = \"" +
                std::string(kToken) +
                "\"\n[rules]\nauthorisation = \"" RETOUR_CENTRAL_RULES "/authorisation.toml\"\n"
                "[returns]\nrma_prefix = \"DS\"\n"
                "[returns.refunds]\npolicy = \"" +
                config + "/refunds.toml\"\npayment_url = \"" + base +
                "/refunds\"\n"
                "[returns.stock]\nrouting = \"" +
                config + "/routing.toml\"\nwebhook = \"" + base +
                "/wms/movements\"\n"
                "[returns.messages]\nsmtp_url = \"smtp://127.0.0.1:" +
                std::to_string(smtpPort) + "\"\nfrom = \"returns@example.com\"\ntemplates = \"" + config +
                "/templates\"\nevidence_url = \"http://cs.example/api/v1/returns/{rma_id}/evidence\"\n"
                "[returns.delivery]\nbackoff_ms = 100\nbackoff_max_ms = 400\ntimeout_ms = 1000\n");
    }

    // The SMTP sink (run with `smtpArgs`), then central configured to send to it.
    retour::test::ChildProcess startMailAndCentral(const std::vector<std::string>& smtpArgs = {})
    {
        auto smtp = retour::test::startHelperService("smtp_sink.py", mailDir(), smtpArgs);
        writeConfig(retour::test::helperServicePort(mailDir()));
        startCentral();
        return smtp;
    }

    void startCentral()
    {
        central_.emplace(test::centralRun(dir_.path()));
        ASSERT_TRUE(waitUntil([&] {
            const int last = test::lastHttpPort(retour::test::readFile(dir_ / "central.log"));
            httpPort_ = last != previousHttpPort_ ? last : 0;
            return httpPort_ != 0;
        })) << retour::test::readFile(dir_ / "central.log");
        previousHttpPort_ = httpPort_;
    }

    void stopCentral()
    {
        central_->kill(SIGTERM);
        const auto exit = central_->wait(std::chrono::seconds(20));
        ASSERT_TRUE(exit) << "retour-central did not stop on SIGTERM";
        EXPECT_EQ(exit->code, 0) << retour::test::readFile(dir_ / "central.log");
        central_.reset();
    }

    json call(const std::string& method, const std::string& path, const json& body = {}, int expected = 200)
    {
        return retour::test::callCentralApi(httpPort_, std::string(kToken), method, path, body, expected);
    }

    // SQL against central's database (its own connection; WAL lets it read while central runs).
    std::string query(const std::string& sql) { return retour::test::queryValue(dir_ / "central.db", sql); }

    std::string stateOf(const std::string& rmaId)
    {
        return query("SELECT state FROM returns WHERE rma_id = '" + rmaId + "'");
    }

    std::vector<json> paid(const std::string& keyPrefix = "refund-")
    {
        std::vector<json> out;
        for (json& record : test::readJsonLines(payDir() / "refunds.jsonl")) {
            if (record.value("key", "").starts_with(keyPrefix)) {
                out.push_back(std::move(record));
            }
        }
        return out;
    }

    std::size_t requests(const std::string& key)
    {
        std::size_t n = 0;
        for (const json& record : test::readJsonLines(payDir() / "requests.jsonl")) {
            n += record.value("key", "") == key ? 1 : 0;
        }
        return n;
    }

    // Parcel received and both lines of RMA-000101 inspected (open box + as new: 129.41 of 148.90 EUR).
    void inspectSeededReturn(StationPublisher& station)
    {
        station.send(sync::event_type::ParcelReceived,
                     test::parcelReceived(test::testId("parcel-1"), "RMA-000101"));
        for (const auto& [id, line, sku, grade, code] :
             {std::tuple{test::testId("insp-1"), "1", "HEAD-BT-200", "B", "open_box"},
              std::tuple{test::testId("insp-2"), "2", "CASE-BT-200", "A", "restock_new"}}) {
            json data = test::inspectionCompleted(id, test::testId("parcel-1"), "RMA-000101", line);
            data["item"]["sku"] = sku;
            data["findings"] = json::array();
            data["weight"]["result"] = "ok";
            data["grade"]["grade"] = grade;
            data["disposition"]["code"] = code;
            station.send(sync::event_type::InspectionCompleted, data);
        }
    }

    std::string log() { return retour::test::readFile(dir_ / "central.log"); }

    const std::string python_ = RETOUR_PYTHON3;
    retour::test::TempDir dir_{"central-outcomes-run"};
    std::optional<retour::test::MosquittoBroker> broker_;
    std::optional<retour::test::ChildProcess> central_;
    int paymentPort_ = 0;
    int httpPort_ = 0;
    int previousHttpPort_ = -1;
};

// The payment service fails twice (503), then pays but answers too late for central's timeout:
// central retries with the same Idempotency-Key and the service pays once.
TEST_F(OutcomesRunTest, RefundIsPaidOnceAcrossFailuresAndALostAnswer)
{
    auto payment = retour::test::startHelperService(
        "payment_service.py", payDir(), {"--fail", "2", "--slow", "1", "--delay-ms", "2500"}, paymentPort_);
    auto smtp = startMailAndCentral();
    StationPublisher station(*broker_, "bench-01");
    inspectSeededReturn(station);

    ASSERT_TRUE(
        waitUntil([&] { return stateOf("RMA-000101") == "partially_refunded"; }, std::chrono::seconds(30)))
        << log();
    const auto refunds = paid();
    ASSERT_EQ(refunds.size(), 1u);
    EXPECT_EQ(refunds[0]["body"]["amount_cents"], 12941);
    EXPECT_EQ(refunds[0]["body"]["currency"], "EUR");
    EXPECT_EQ(refunds[0]["body"]["trigger"], "inspection");
    EXPECT_EQ(refunds[0]["path"], "/refunds");
    // 2 × 503, the paid request whose answer was lost, the retry answered from the key.
    EXPECT_GE(requests("refund-RMA-000101"), 4u)
        << retour::test::readFile(payDir() / "requests.jsonl") << log();
    EXPECT_EQ(query("SELECT state FROM refunds WHERE rma_id = 'RMA-000101'"), "refunded");

    // A restart decides nothing again.
    stopCentral();
    startCentral();
    StationPublisher again(*broker_, "bench-01");
    again.send(sync::event_type::LabelPrinted, json{{"lpn", "LPN-X"}});
    ASSERT_TRUE(waitUntil([&] { return query("SELECT COUNT(*) FROM events") == "4"; })) << log();
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    EXPECT_EQ(paid().size(), 1u);
    stopCentral();
}

// The payment service is down while central queues the refund, then central crashes (SIGKILL);
// once both are back, the refund is paid exactly once.
TEST_F(OutcomesRunTest, QueuedRefundSurvivesADownAdapterAndACentralCrash)
{
    auto smtp = startMailAndCentral();
    StationPublisher station(*broker_, "bench-01");
    inspectSeededReturn(station);
    ASSERT_TRUE(waitUntil(
        [&] {
            const std::string attempts =
                query("SELECT attempts FROM deliveries WHERE key = 'refund-RMA-000101'");
            return !attempts.empty() && std::stoi(attempts) >= 2;
        },
        std::chrono::seconds(30)))
        << log();
    EXPECT_EQ(query("SELECT state FROM deliveries WHERE key = 'refund-RMA-000101'"), "pending");
    EXPECT_NE(query("SELECT last_error FROM deliveries WHERE key = 'refund-RMA-000101'").find("onnect"),
              std::string::npos);
    EXPECT_EQ(stateOf("RMA-000101"), "inspected");

    central_->kill(SIGKILL);
    ASSERT_TRUE(central_->wait(std::chrono::seconds(10)));
    central_.reset();
    auto payment = retour::test::startHelperService("payment_service.py", payDir(), {}, paymentPort_);
    startCentral();
    ASSERT_TRUE(
        waitUntil([&] { return stateOf("RMA-000101") == "partially_refunded"; }, std::chrono::seconds(30)))
        << log();
    EXPECT_EQ(paid().size(), 1u);
    stopCentral();
}

// A 4xx is a refusal with a reason: recorded for staff, the return stays inspected, no retry.
TEST_F(OutcomesRunTest, RefusedRefundIsRecordedWithTheAdaptersReason)
{
    auto payment = retour::test::startHelperService(
        "payment_service.py", payDir(), {"--reject", "refund-RMA-000101=card expired"}, paymentPort_);
    auto smtp = startMailAndCentral();
    StationPublisher station(*broker_, "bench-01");
    inspectSeededReturn(station);
    ASSERT_TRUE(
        waitUntil([&] { return query("SELECT state FROM refunds WHERE rma_id = 'RMA-000101'") == "failed"; },
                  std::chrono::seconds(30)))
        << log();
    EXPECT_NE(query("SELECT reason FROM refunds WHERE rma_id = 'RMA-000101'").find("card expired"),
              std::string::npos);
    EXPECT_EQ(requests("refund-RMA-000101"), 1u);
    EXPECT_EQ(stateOf("RMA-000101"), "inspected");
    EXPECT_TRUE(paid().empty());
    stopCentral();
}

// A portal return from request to refund: authorised over HTTP, inspected and restocked by a
// station, refunded through the payment service, its stock movements at the webhook, and the
// customer's e-mails in the SMTP sink (which refuses the first one with 451: retried).
TEST_F(OutcomesRunTest, PortalReturnEndsInRefundStockAndEmails)
{
    auto payment = retour::test::startHelperService("payment_service.py", payDir(), {}, paymentPort_);
    auto smtp = startMailAndCentral({"--fail", "1"});
    call("POST", "/api/v1/catalogue",
         json{{"items",
               {{{"sku", "HEAD"},
                 {"description", "Headphones"},
                 {"category", "electronics"},
                 {"price", 129.9},
                 {"expected_weight_g", 512}}}}});
    call(
        "POST", "/api/v1/orders",
        json{{"orders",
              {{{"order_id", "SO-1"},
                {"email", "ada@example.com"},
                {"ordered_at", "2026-11-20"},
                {"lines", {{{"line_id", "1"}, {"sku", "HEAD"}, {"quantity", 1}, {"unit_price", 129.9}}}}}}}});
    const json created =
        call("POST", "/api/v1/portal/returns",
             json{{"order_id", "SO-1"},
                  {"email", "ada@example.com"},
                  {"items", {{{"line_id", "1"}, {"quantity", 1}, {"reason", "does_not_fit"}}}}},
             201);
    const std::string rma = created.value("rma_id", "");
    ASSERT_EQ(rma, "DS-000001");

    StationPublisher station(*broker_, "bench-01");
    station.send(sync::event_type::ParcelReceived, test::parcelReceived(test::testId("parcel-9"), rma));
    json data = test::inspectionCompleted(test::testId("insp-9"), test::testId("parcel-9"), rma, "1");
    data["item"]["sku"] = "HEAD";
    data["item"]["description"] = "Headphones";
    data["findings"] = json::array();
    data["weight"]["result"] = "ok";
    station.send(sync::event_type::InspectionCompleted, data); // grade A, restock_new
    station.send(sync::event_type::RestockCompleted, json{{"inspection_id", test::testId("insp-9")},
                                                          {"lpn", "LPN-9"},
                                                          {"sku", "HEAD"},
                                                          {"location", "A-01"},
                                                          {"condition", "new"}});

    ASSERT_TRUE(waitUntil([&] { return stateOf(rma) == "refunded"; }, std::chrono::seconds(30))) << log();
    ASSERT_EQ(paid().size(), 1u);
    EXPECT_EQ(paid()[0]["body"]["amount_cents"], 12990);
    ASSERT_TRUE(waitUntil([&] { return paid("stock-").size() == 2; })) << log();
    EXPECT_EQ(paid("stock-")[0]["path"], "/wms/movements");
    EXPECT_EQ(paid("stock-")[1]["body"]["to_location"], "A-01");
    EXPECT_EQ(paid("stock-")[1]["body"]["route"], "pick_face");

    // authorised, received, inspected, refunded: four e-mails, each once.
    auto mails = [&] {
        std::vector<std::string> out;
        for (const auto& entry : std::filesystem::directory_iterator(mailDir())) {
            if (entry.path().extension() == ".eml") {
                out.push_back(retour::test::readFile(entry.path()));
            }
        }
        std::sort(out.begin(), out.end());
        return out;
    };
    ASSERT_TRUE(waitUntil([&] { return mails().size() == 4; }, std::chrono::seconds(30))) << log();
    std::string all;
    for (const std::string& mail : mails()) {
        EXPECT_NE(mail.find("X-Envelope-To: <ada@example.com>"), std::string::npos) << mail;
        EXPECT_NE(mail.find("From: returns@example.com"), std::string::npos) << mail;
        all += mail;
    }
    EXPECT_NE(all.find("Subject: Return DS-000001 authorised: your label"), std::string::npos) << all;
    EXPECT_NE(all.find("barcode reads DS-000001"), std::string::npos) << all;
    EXPECT_NE(all.find("Subject: Return DS-000001: parcel received"), std::string::npos);
    EXPECT_NE(all.find("Headphones: grade A, restock_new"), std::string::npos);
    EXPECT_NE(all.find("http://cs.example/api/v1/returns/DS-000001/evidence"), std::string::npos);
    EXPECT_NE(all.find("Subject: Return DS-000001: refund of 129.90 EUR issued"), std::string::npos);
    // The sink refused the first DATA (451): sent again, recorded once the worker has the answer.
    EXPECT_TRUE(waitUntil([&] {
        return query("SELECT COUNT(*) FROM deliveries WHERE kind = 'message' AND state = 'done'") == "4";
    })) << log();
    EXPECT_EQ(query("SELECT MAX(attempts) FROM deliveries WHERE kind = 'message'"), "2") << log();

    // Reports and evidence over HTTP, and the report as CSV.
    const json reports = call("GET", "/api/v1/reports");
    EXPECT_EQ(reports["returns"]["by_channel"]["portal"], 2); // the seeded RMA-000101 and DS-000001
    EXPECT_EQ(reports["grades"]["A"], 1);
    EXPECT_EQ(reports["dispositions"]["restock_new"], 1);
    EXPECT_EQ(reports["recovery"]["refunds_by_state"]["refunded"], 1);
    EXPECT_EQ(reports["fraud"]["returns_flagged"], 0);
    ASSERT_FALSE(reports["rates"].empty());
    EXPECT_EQ(reports["rates"][0]["sku"], "HEAD");
    EXPECT_EQ(reports["rates"][0]["rate"], 1.0);
    const json evidence = call("GET", "/api/v1/returns/DS-000001/evidence");
    ASSERT_EQ(evidence["inspections"].size(), 1u);
    EXPECT_EQ(evidence["inspections"][0]["station"], "bench-01");
    EXPECT_EQ(evidence["inspections"][0]["photos"][0]["sha256"], std::string(64, 'a'));
    call("GET", "/api/v1/returns/NOPE/evidence", {}, 404);
    const json refundList = call("GET", "/api/v1/refunds");
    EXPECT_EQ(refundList["refunds"][0]["state"], "refunded");
    retour::test::ChildProcess reporter(retour::test::ChildProcess::Options{
        {RETOUR_CENTRAL_EXE, "report", "--csv", "--config", (dir_ / "central.toml").string()},
        dir_ / "report.csv",
        dir_ / "report.err",
        false,
        {}});
    ASSERT_TRUE(reporter.wait(std::chrono::seconds(20)));
    const std::string reportCsv = retour::test::readFile(dir_ / "report.csv");
    EXPECT_TRUE(reportCsv.starts_with("section,key,count,value\r\n")) << reportCsv;
    EXPECT_NE(reportCsv.find("fraud,weight_mismatch,0,\r\n"), std::string::npos) << reportCsv;
    EXPECT_NE(reportCsv.find("grades,A,1,\r\n"), std::string::npos) << reportCsv;

    // CSV export of the movements.
    retour::test::ChildProcess exporter(retour::test::ChildProcess::Options{
        {RETOUR_CENTRAL_EXE, "stock", "export", "--config", (dir_ / "central.toml").string(), "--since",
         "2000-01-01T00:00:00Z"},
        dir_ / "export.csv",
        dir_ / "export.err",
        false,
        {}});
    const auto exit = exporter.wait(std::chrono::seconds(20));
    ASSERT_TRUE(exit);
    EXPECT_EQ(exit->code, 0) << retour::test::readFile(dir_ / "export.err");
    const std::string csv = retour::test::readFile(dir_ / "export.csv");
    EXPECT_TRUE(csv.starts_with("id,at,kind,sku,")) << csv;
    EXPECT_NE(csv.find(",restocked,HEAD,bench:bench-01,A-01,new,1,restock_new,pick_face,"), std::string::npos)
        << csv;
    stopCentral();
}

} // namespace
} // namespace retour::central
