#include "channel_fixture.h"

#include "retour/contract/message.h"
#include "tests/support/mosquitto_broker.h"
#include "tests/support/net.h"
#include "tests/support/paths.h"
#include "tests/support/site/central_api.h"
#include "tests/support/site/helper_service.h"
#include "tests/support/sqlite_query.h"
#include "tests/support/wait.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <regex>
#include <unistd.h>

namespace retour::test {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::string_view kToken = "channels-token-0123456789";

std::vector<json> readLines(const fs::path& path)
{
    std::vector<json> out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty()) {
            out.push_back(json::parse(line, nullptr, false));
        }
    }
    return out;
}

std::string subjectOf(const std::string& mail)
{
    const auto at = mail.find("Subject: ");
    if (at == std::string::npos) {
        return "";
    }
    const auto end = mail.find("\r\n", at);
    return mail.substr(at + 9, end == std::string::npos ? std::string::npos : end - at - 9);
}

} // namespace

const ChannelTest::Item ChannelTest::kShirt{"SHIRT-M", "4012345678000", 300.0};
const ChannelTest::Item ChannelTest::kHeadphones{"HEAD-BT-200", "4006381333931", 512.0};
const ChannelTest::Item ChannelTest::kCase{"CASE-BT-200", "4006381333948", 120.0};
const ChannelTest::Item ChannelTest::kUnknown{"", "5901234123457", 250.0};

void ChannelTest::SetUp()
{
    if (!MosquittoBroker::available() || ::access(RETOUR_PYTHON3, X_OK) != 0) {
        GTEST_SKIP() << "mosquitto or python3 not found";
    }
    payDir_ = bench_.dir() / "pay";
    mailDir_ = bench_.dir() / "mail";
    const int paymentPort = freeTcpPort();
    payment_.emplace(startHelperService("payment_service.py", payDir_, {}, paymentPort));
    smtp_.emplace(startHelperService("smtp_sink.py", mailDir_));
    const std::string source = RETOUR_SOURCE_DIR;
    const std::string base = "http://127.0.0.1:" + std::to_string(paymentPort);
    bench_.setCentralConfigExtra(
        "\n[http]\nlisten = \"127.0.0.1:0\"\ntoken = \"" + std::string(kToken) +
        "\"\n\n[rules]\nauthorisation = \"" + source +
        "/sync/central/rules/authorisation.toml\"\n\n[returns]\nrma_prefix = \"CH\"\n\n"
        "[returns.refunds]\npolicy = \"" +
        source + "/config/central/refunds.toml\"\npayment_url = \"" + base +
        "/refunds\"\n\n[returns.stock]\nrouting = \"" + source +
        "/config/central/routing.toml\"\nwebhook = \"" + base +
        "/wms/movements\"\n\n[returns.messages]\nsmtp_url = \"smtp://127.0.0.1:" +
        std::to_string(std::stoi(readFile(mailDir_ / "port"))) +
        "\"\nfrom = \"returns@example.com\"\ntemplates = \"" + source +
        "/config/central/templates\"\nevidence_url = \"http://cs.example/returns/{rma_id}/evidence\"\n\n"
        "[returns.delivery]\nbackoff_ms = 100\nbackoff_max_ms = 400\ntimeout_ms = 2000\n");
    bench_.startBroker();
    bench_.startCentral();
    const std::regex listening(R"(HTTP API listening on http://127\.0\.0\.1:(\d+)/)");
    ASSERT_TRUE(waitUntil(
        [&] {
            std::smatch match;
            const std::string log = centralLog();
            if (std::regex_search(log, match, listening)) {
                httpPort_ = std::stoi(match[1]);
                return true;
            }
            return false;
        },
        std::chrono::seconds(20)))
        << centralLog();
    call("POST", "/api/v1/catalogue",
         json{{"items",
               {{{"sku", kShirt.sku},
                 {"gtin", kShirt.gtin},
                 {"description", "Shirt, size M"},
                 {"category", "apparel"},
                 {"price", 39.0},
                 {"expected_weight_g", kShirt.grams}},
                {{"sku", kHeadphones.sku},
                 {"gtin", kHeadphones.gtin},
                 {"description", "Bluetooth headphones"},
                 {"category", "electronics"},
                 {"price", 129.9},
                 {"expected_weight_g", kHeadphones.grams}},
                {{"sku", kCase.sku},
                 {"gtin", kCase.gtin},
                 {"description", "Carry case"},
                 {"category", "generic"},
                 {"price", 19.0},
                 {"expected_weight_g", kCase.grams}}}}});
}

void ChannelTest::TearDown()
{
    bench_.stopCentral();
}

json ChannelTest::call(const std::string& method, const std::string& path, const json& body, int expected)
{
    return callCentralApi(httpPort_, std::string(kToken), method, path, body, expected);
}

void ChannelTest::importOrder(const std::string& orderId, const std::string& email, const Item& item)
{
    const std::string today = sync::formatTimestamp(std::chrono::system_clock::now()).substr(0, 10);
    const double price = item.sku == kShirt.sku ? 39.0 : item.sku == kHeadphones.sku ? 129.9 : 19.0;
    call("POST", "/api/v1/orders",
         json{{"orders",
               {{{"order_id", orderId},
                 {"email", email},
                 {"ordered_at", today},
                 {"lines",
                  {{{"line_id", "1"}, {"sku", item.sku}, {"quantity", 1}, {"unit_price", price}}}}}}}});
}

json ChannelTest::parcelEvent(const std::string& rma, const std::string& kind, const std::string& actor)
{
    return call("POST", "/api/v1/returns/" + rma + "/events", json{{"kind", kind}, {"actor", actor}});
}

void ChannelTest::inspectAtBench(const std::string& label, const Item& item, int rmas,
                                 const std::string& grade)
{
    char weigh[64];
    std::snprintf(weigh, sizeof weigh, "%.1f", item.grams + 3.0);
    bench_.writeScenario("step_delay_ms = 20\n[[step]]\nscan = \"" + label + "\"\n" +
                         (label == item.gtin ? "" : "[[step]]\nscan = \"" + item.gtin + "\"\n") +
                         "[[step]]\nweigh = " + weigh + "\n[[step]]\nscan = \"" + grade +
                         "\"\n[[step]]\nscan = \"CMD:CONFIRM\"\n[[step]]\nclear = true\n"
                         "[[step]]\nscan = \"CMD:CLOSE\"\n");
    const auto sync = bench_.station({"sync", "--wait-rmas", std::to_string(rmas), "--timeout", "20"});
    ASSERT_EQ(sync.status, 0) << sync.err;
    const auto run = bench_.station({"run", "--exit-when-done", "--timeout", "40"}, std::chrono::seconds(50));
    ASSERT_EQ(run.status, 0) << run.out << run.err;
}

std::string ChannelTest::query(const std::string& sql)
{
    return queryValue(bench_.dir() / "central/central.db", sql);
}

std::string ChannelTest::stateOf(const std::string& rma)
{
    return query("SELECT state FROM returns WHERE rma_id = '" + rma + "'");
}

bool ChannelTest::waitForState(const std::string& rma, const std::string& state)
{
    return waitUntil([&] { return stateOf(rma) == state; }, std::chrono::seconds(20),
                     std::chrono::milliseconds(50));
}

std::vector<json> ChannelTest::paid(const std::string& keyPrefix)
{
    std::vector<json> out;
    for (json& record : readLines(payDir_ / "refunds.jsonl")) {
        if (record.is_object() && record.value("key", "").starts_with(keyPrefix)) {
            out.push_back(std::move(record));
        }
    }
    return out;
}

bool ChannelTest::waitForPayment(const std::string& rma)
{
    return waitUntil([&] { return !paid("refund-" + rma).empty(); }, std::chrono::seconds(20),
                     std::chrono::milliseconds(50));
}

std::vector<std::string> ChannelTest::mails(const std::string& rma)
{
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(mailDir_)) {
        if (entry.path().extension() == ".eml") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end()); // NNNN.eml: arrival order
    std::vector<std::string> out;
    for (const fs::path& file : files) {
        std::string mail = readFile(file);
        if (subjectOf(mail).find(rma) != std::string::npos) {
            out.push_back(std::move(mail));
        }
    }
    return out;
}

bool ChannelTest::waitForMails(const std::string& rma, std::size_t count)
{
    return waitUntil([&] { return mails(rma).size() >= count; }, std::chrono::seconds(20),
                     std::chrono::milliseconds(50));
}

void ChannelTest::expectMails(const std::string& rma, const std::string& email,
                              const std::vector<std::string>& subjects)
{
    const auto have = [&] {
        std::vector<std::string> out;
        for (const std::string& mail : mails(rma)) {
            out.push_back(subjectOf(mail));
        }
        return out;
    };
    ASSERT_TRUE(waitUntil(
        [&] {
            const auto got = have();
            return std::all_of(subjects.begin(), subjects.end(), [&](const std::string& subject) {
                return std::find(got.begin(), got.end(), subject) != got.end();
            });
        },
        std::chrono::seconds(20), std::chrono::milliseconds(50)))
        << "wanted every one of these subjects for " << rma << ", got:\n"
        << nlohmann::json(have()).dump(1) << "\n"
        << centralLog();
    std::vector<std::string> seen;
    for (const std::string& mail : mails(rma)) {
        EXPECT_NE(mail.find("X-Envelope-To: <" + email + ">"), std::string::npos) << mail;
        EXPECT_NE(mail.find("From: returns@example.com"), std::string::npos) << mail;
        const std::string subject = subjectOf(mail);
        EXPECT_EQ(std::count(seen.begin(), seen.end(), subject), 0) << "told twice: " << subject;
        seen.push_back(subject);
    }
}

std::string ChannelTest::centralLog()
{
    return readFile(bench_.dir() / "central/central.log");
}

} // namespace retour::test
