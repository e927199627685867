// Central benchmarks (label bench; issue 7): each prints ours, the floor measured in the same run
// against the same processes, and the ratio ours/floor. No timing assertion: CI machines vary; the
// run fails only when the flow itself breaks.
//
//   central_bench create [N]  N portal returns created over HTTP (POST /api/v1/portal/returns: the
//                             order looked up, the authorisation rules applied, the return, its
//                             lines, decision and transition committed to the real SQLite file and
//                             the RMA published retained) by a real retour-central, vs GET
//                             /api/v1/health of the same server (the same HTTP thread -> central
//                             loop -> answer path with no work). One httplib client, one kept-alive
//                             connection for both, interleaved in rounds; requests/s, p50 / p99.
//   central_bench refund [N]  N returns, each received at the bench and then inspected: a station
//                             session publishes inspection.completed (QoS 1) through a real
//                             mosquitto to a real retour-central; latency from the publish to the
//                             refund decision row in central's database (polled every 1 ms, read
//                             only, as an operator's report would). Floor: the same session
//                             publishing the same body through the same broker to a bare subscriber
//                             (same QoS, same 1 ms poll of the arrival), i.e. the broker round trip
//                             without central's work.
#include "retour/contract/message.h"
#include "retour/link/mqtt_session.h"
#include "tests/support/child_process.h"
#include "tests/support/mosquitto_broker.h"
#include "tests/support/net.h"
#include "tests/support/paths.h"
#include "tests/support/sqlite_query.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <httplib.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <sqlite3.h>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;
using retour::test::readFile;
using retour::test::waitUntil;
using retour::test::writeFile;

constexpr std::string_view kSite = "demo-site";
constexpr std::string_view kStation = "bench-01";
constexpr std::string_view kToken = "central-bench-token-0123456789";

[[noreturn]] void die(const std::string& what)
{
    std::fprintf(stderr, "central_bench: %s\n", what.c_str());
    std::exit(1);
}

void must(bool ok, const std::string& what)
{
    if (!ok) {
        die(what + " failed");
    }
}

double millis(Clock::duration d)
{
    return std::chrono::duration<double, std::milli>(d).count();
}

struct Figures
{
    double p50 = 0;
    double p99 = 0;
    double max = 0;
};

Figures figures(std::vector<double> samples)
{
    std::sort(samples.begin(), samples.end());
    auto at = [&](double q) {
        return samples[static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1))];
    };
    return {at(0.5), at(0.99), samples.back()};
}

// A real retour-central in a temporary folder with its own broker; `extra` is appended to the
// config (sections of the bench).
class Central
{
public:
    explicit Central(const std::string& extra, const std::string& seed = "")
    {
        if (!retour::test::MosquittoBroker::available()) {
            die("mosquitto not found");
        }
        broker_.emplace(std::vector<std::string>{std::string(kStation)});
        writeFile(dir_ / "central.pw", retour::test::MosquittoBroker::passwordFor("central") + "\n");
        std::string config = "[central]\nsite = \"" + std::string(kSite) +
                             "\"\ndatabase = \"central.db\"\n"
                             "[broker]\nport = " +
                             std::to_string(broker_->port()) +
                             "\nusername = \"central\"\npassword_file = \"central.pw\"\n"
                             "[http]\nlisten = \"127.0.0.1:0\"\ntoken = \"" +
                             std::string(kToken) + "\"\n[rules]\nauthorisation = \"" +
                             (retour::test::sourceDir() / "sync/central/rules/authorisation.toml").string() +
                             "\"\n";
        if (!seed.empty()) {
            writeFile(dir_ / "rmas.toml", seed);
            config += "[seed]\nrmas = \"rmas.toml\"\n";
        }
        writeFile(dir_ / "central.toml", config + extra);
        retour::test::ChildProcess::Options options;
        options.argv = {RETOUR_CENTRAL_BIN, "run", "--config", (dir_ / "central.toml").string()};
        options.stderrPath = dir_ / "central.log";
        process_.emplace(std::move(options));
        const std::regex listening(R"(HTTP API listening on http://127\.0\.0\.1:(\d+)/)");
        must(waitUntil(
                 [&] {
                     const std::string log = readFile(dir_ / "central.log");
                     std::smatch match;
                     if (std::regex_search(log, match, listening)) {
                         httpPort_ = std::stoi(match[1]);
                     }
                     return httpPort_ != 0 && log.find("RMA(s) retained") != std::string::npos;
                 },
                 std::chrono::seconds(30)),
             "retour-central start (log: " + log() + ")");
    }
    ~Central()
    {
        process_->kill(SIGTERM);
        (void)process_->wait(std::chrono::seconds(20));
    }
    Central(const Central&) = delete;
    Central& operator=(const Central&) = delete;

    int httpPort() const { return httpPort_; }
    const retour::test::MosquittoBroker& broker() const { return *broker_; }
    std::filesystem::path database() const { return dir_ / "central.db"; }
    const std::filesystem::path& dir() const { return dir_.path(); }
    std::string log() const { return readFile(dir_ / "central.log"); }

private:
    retour::test::TempDir dir_{"central-bench"};
    std::optional<retour::test::MosquittoBroker> broker_;
    std::optional<retour::test::ChildProcess> process_;
    int httpPort_ = 0;
};

// ---- create ----

std::string today()
{
    return retour::sync::formatTimestamp(std::chrono::system_clock::now()).substr(0, 10);
}

int benchCreate(int n)
{
    Central central("[returns]\nrma_prefix = \"BN\"\n");
    httplib::Client client("127.0.0.1", central.httpPort());
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true); // as browsers do: no Nagle wait on the request
    client.set_read_timeout(30, 0);
    const httplib::Headers staff{{"Authorization", "Bearer " + std::string(kToken)}};

    // Set-up (not timed): one catalogue item and n orders of one line, each by another customer
    // (so the frequent-returner rule does not send them to review), delivered today.
    auto catalogue = client.Post("/api/v1/catalogue", staff,
                                 json{{"items",
                                       {{{"sku", "HEAD-BT-200"},
                                         {"description", "Bluetooth headphones BT-200"},
                                         {"category", "electronics"},
                                         {"price", 129.9},
                                         {"expected_weight_g", 512}}}}}
                                     .dump(),
                                 "application/json");
    must(catalogue && catalogue->status == 200, "catalogue import");
    json orders = json::array();
    for (int i = 0; i < n; ++i) {
        orders.push_back(
            {{"order_id", "SO-" + std::to_string(i)},
             {"email", "c" + std::to_string(i) + "@example.com"},
             {"ordered_at", today()},
             {"delivered_at", today()},
             {"lines",
              {{{"line_id", "1"}, {"sku", "HEAD-BT-200"}, {"quantity", 1}, {"unit_price", 129.9}}}}});
    }
    auto imported = client.Post("/api/v1/orders", staff, json{{"orders", orders}}.dump(), "application/json");
    must(imported && imported->status == 200, "orders import");

    // Warm-up of both paths (connection, statement caches).
    for (int i = 0; i < 20; ++i) {
        auto health = client.Get("/api/v1/health");
        must(health && health->status == 200, "GET /api/v1/health");
    }

    std::vector<double> ours;
    std::vector<double> floor;
    Clock::duration oursTotal{};
    Clock::duration floorTotal{};
    constexpr int kRounds = 5;
    int next = 0;
    for (int round = 0; round < kRounds; ++round) {
        const int until = n * (round + 1) / kRounds;
        const int count = until - next;
        auto start = Clock::now();
        for (int i = 0; i < count; ++i) {
            const auto t0 = Clock::now();
            auto health = client.Get("/api/v1/health");
            floor.push_back(millis(Clock::now() - t0));
            must(health && health->status == 200, "GET /api/v1/health");
        }
        floorTotal += Clock::now() - start;
        start = Clock::now();
        for (; next < until; ++next) {
            const json body = {{"order_id", "SO-" + std::to_string(next)},
                               {"email", "c" + std::to_string(next) + "@example.com"},
                               {"items", {{{"line_id", "1"}, {"quantity", 1}, {"reason", "does_not_fit"}}}}};
            const auto t0 = Clock::now();
            auto created = client.Post("/api/v1/portal/returns", body.dump(), "application/json");
            ours.push_back(millis(Clock::now() - t0));
            must(created && created->status == 201,
                 "POST /api/v1/portal/returns (" +
                     (created ? created->body : httplib::to_string(created.error())) + ")");
        }
        oursTotal += Clock::now() - start;
    }
    // Every return is in the ledger, authorised by the rules.
    must(retour::test::queryValue(
             central.database(),
             "SELECT count(*) FROM returns WHERE state = 'authorised' AND channel = 'portal'") ==
             std::to_string(n),
         "every return authorised in the ledger");

    const Figures o = figures(ours);
    const Figures f = figures(floor);
    const double oursRate = n / std::chrono::duration<double>(oursTotal).count();
    const double floorRate = n / std::chrono::duration<double>(floorTotal).count();
    std::printf(
        "return creation over HTTP (POST /api/v1/portal/returns, rules applied, SQLite synchronous=FULL, "
        "n=%d, one kept-alive connection): ours %.0f req/s p50 %.2f ms p99 %.2f ms max %.2f ms; "
        "GET /api/v1/health of the same server %.0f req/s p50 %.2f ms p99 %.2f ms; "
        "ratio ours/floor p50 %.2f p99 %.2f, throughput %.2f\n",
        n, oursRate, o.p50, o.p99, o.max, floorRate, f.p50, f.p99, o.p50 / f.p50, o.p99 / f.p99,
        oursRate / floorRate);
    return 0;
}

// ---- refund ----

// n returns of one electronics line (129.90 EUR: refunded after inspection by the shipped policy).
std::string seed(int n)
{
    std::string out;
    for (int i = 0; i < n; ++i) {
        out += "[[rma]]\nrma_id = \"RMA-B" + std::to_string(100000 + i) +
               "\"\nchannel = \"portal\"\norder_id = \"SO-B" + std::to_string(i) +
               "\"\ncustomer = \"Bench Customer\"\n\n[[rma.line]]\nline_id = \"1\"\nsku = \"HEAD-BT-200\"\n"
               "description = \"Bluetooth headphones BT-200\"\ncategory = \"electronics\"\nquantity = 1\n"
               "unit_price = 129.9\nexpected_weight_g = 512\nreason = \"does_not_fit\"\n\n";
    }
    return out;
}

// Parcel and inspection ids are UUIDs on the wire (docs/schemas): item i's are fixed ones, told
// apart by their fourth group.
std::string benchId(const char* group, int i)
{
    char text[37];
    std::snprintf(text, sizeof text, "00000000-0000-7000-%s-%012d", group, i);
    return text;
}

std::string rmaId(int i)
{
    return "RMA-B" + std::to_string(100000 + i);
}

json inspection(int i)
{
    const std::string id = std::to_string(i);
    return {{"inspection_id", benchId("9000", i)},
            {"parcel_id", benchId("8000", i)},
            {"rma_id", rmaId(i)},
            {"line_id", "1"},
            {"channel", "portal"},
            {"identified_by", "rma_label"},
            {"item",
             {{"sku", "HEAD-BT-200"},
              {"category", "electronics"},
              {"description", "Bluetooth headphones BT-200"}}},
            {"weight", {{"measured_g", 514.0}, {"expected_g", 512}, {"tolerance_g", 30}, {"result", "ok"}}},
            {"photos",
             {{{"sha256", std::string(64, 'a')},
               {"view", "front"},
               {"bytes", 48211},
               {"width", 1280},
               {"height", 720}}}},
            {"photo_missing_reason", nullptr},
            {"findings", json::array()},
            {"grade", {{"function", 0}, {"cosmetic", "A"}, {"grade", "A"}}},
            {"disposition", {{"code", "restock_new"}, {"location", "A-01"}, {"rule", "like-new-restock"}}},
            {"lpn", "LPN-bench-01-" + id},
            {"operator", "op-17"},
            {"confirmed_at", retour::sync::formatTimestamp(std::chrono::system_clock::now())}};
}

class Station
{
public:
    explicit Station(const retour::test::MosquittoBroker& broker)
    {
        retour::sync::MqttOptions options;
        options.host = broker.host();
        options.port = broker.port();
        options.clientId = std::string(kStation) + "-central-bench";
        options.username = std::string(kStation);
        options.password = retour::test::MosquittoBroker::passwordFor(kStation);
        options.cleanStart = true;
        retour::sync::MqttSession::Callbacks callbacks;
        callbacks.onConnection = [](bool, const std::string&) {};
        callbacks.onPublished = [](int, bool, int) {};
        callbacks.onMessage = [](const std::string&, const std::string&, bool) {};
        session_ = retour::sync::MqttSession::create(options, callbacks).value();
        must(session_->start().has_value(), "station session");
        must(waitUntil([&] { return session_->connected(); }), "station connected");
    }
    ~Station() { session_->stop(); }
    Station(const Station&) = delete;
    Station& operator=(const Station&) = delete;

    // The body of an event as the station's outbox encodes it.
    std::string body(std::string_view site, std::string_view type, json data)
    {
        retour::sync::Envelope e{std::string(type),
                                 1,
                                 retour::sync::newUuidV7(),
                                 ++seq_,
                                 retour::sync::formatTimestamp(std::chrono::system_clock::now()),
                                 std::string(site),
                                 std::string(kStation),
                                 std::move(data)};
        return retour::sync::encodeEnvelope(e);
    }
    void publish(const std::string& topic, const std::string& body)
    {
        must(session_->publish(topic, body, 1, false).has_value(), "publish");
    }

private:
    std::unique_ptr<retour::sync::MqttSession> session_;
    std::int64_t seq_ = 0;
};

// A read-only connection to central's database with one query of a single text column.
class Probe
{
public:
    Probe(const std::filesystem::path& path, const char* sql)
    {
        must(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK,
             "open central.db");
        sqlite3_busy_timeout(db_, 5000);
        must(sqlite3_prepare_v2(db_, sql, -1, &stmt_, nullptr) == SQLITE_OK, std::string("prepare ") + sql);
    }
    ~Probe()
    {
        sqlite3_finalize(stmt_);
        sqlite3_close(db_);
    }
    Probe(const Probe&) = delete;
    Probe& operator=(const Probe&) = delete;

    std::string value(const std::string& key)
    {
        sqlite3_reset(stmt_);
        sqlite3_bind_text(stmt_, 1, key.c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(stmt_) != SQLITE_ROW) {
            return "";
        }
        const auto* text = sqlite3_column_text(stmt_, 0);
        return text != nullptr ? reinterpret_cast<const char*>(text) : "";
    }

private:
    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
};

// The floor: the station session publishing to a bare libmosquitto subscriber (QoS 1, another
// site's topic, so central does not take them) that counts arrivals.
std::vector<double> brokerFloor(const retour::test::MosquittoBroker& broker, Station& station, int n)
{
    mosquitto_lib_init();
    std::atomic<int> received{0};
    mosquitto* sub = mosquitto_new("central-bench-floor", true, &received);
    mosquitto_int_option(sub, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
    mosquitto_int_option(sub, MOSQ_OPT_TCP_NODELAY, 1);
    mosquitto_username_pw_set(sub, "central", retour::test::MosquittoBroker::passwordFor("central").c_str());
    mosquitto_message_v5_callback_set(
        sub, [](mosquitto*, void* counter, const mosquitto_message*, const mosquitto_property*) {
            ++*static_cast<std::atomic<int>*>(counter);
        });
    must(mosquitto_connect(sub, broker.host().c_str(), broker.port(), 30) == MOSQ_ERR_SUCCESS,
         "floor connect");
    mosquitto_loop_start(sub);
    const std::string topic = retour::sync::topics::event("peer-site", kStation, "inspection.completed");
    mosquitto_subscribe_v5(sub, nullptr, topic.c_str(), 1, 0, nullptr);
    // Subscribed once a probe message comes back.
    const std::string probe = station.body("peer-site", "inspection.completed", inspection(0));
    must(waitUntil(
             [&] {
                 if (received.load() == 0) {
                     station.publish(topic, probe);
                 }
                 return received.load() > 0;
             },
             std::chrono::seconds(10), std::chrono::milliseconds(50)),
         "floor subscriber");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::vector<double> latencies;
    for (int i = 0; i < n; ++i) {
        const std::string body = station.body("peer-site", "inspection.completed", inspection(i));
        const int before = received.load();
        const auto t0 = Clock::now();
        station.publish(topic, body);
        must(waitUntil([&] { return received.load() > before; }, std::chrono::seconds(30),
                       std::chrono::milliseconds(1)),
             "floor delivery");
        latencies.push_back(millis(Clock::now() - t0));
    }
    mosquitto_disconnect(sub);
    mosquitto_loop_stop(sub, false);
    mosquitto_destroy(sub);
    return latencies;
}

int benchRefund(int n, const std::filesystem::path& python)
{
    retour::test::TempDir pay("central-bench-pay");
    const int paymentPort = retour::test::freeTcpPort();
    retour::test::ChildProcess::Options paymentOptions;
    paymentOptions.argv = {
        python.string(), (retour::test::sourceDir() / "tests/support/site/payment_service.py").string(),
        "--dir",         pay.path().string(),
        "--port",        std::to_string(paymentPort)};
    paymentOptions.stderrPath = pay / "payment.log";
    retour::test::ChildProcess payment(std::move(paymentOptions));
    must(waitUntil([&] { return std::filesystem::exists(pay / "port"); }), "payment service start");
    const std::string config = (retour::test::sourceDir() / "config/central").string();
    Central central("[returns]\nrma_prefix = \"BN\"\n[returns.refunds]\npolicy = \"" + config +
                        "/refunds.toml\"\npayment_url = \"http://127.0.0.1:" + std::to_string(paymentPort) +
                        "/refunds\"\n",
                    seed(n));
    Station station(central.broker());
    Probe state(central.database(), "SELECT state FROM returns WHERE rma_id = ?");
    Probe refund(central.database(), "SELECT amount_cents FROM refunds WHERE rma_id = ?");

    std::vector<double> ours;
    for (int i = 0; i < n; ++i) {
        // The parcel reaches the bench first (not timed).
        json received = {{"parcel_id", benchId("8000", i)},
                         {"rma_id", rmaId(i)},
                         {"identified_by", "rma_label"},
                         {"scanned", rmaId(i)},
                         {"operator", "op-17"}};
        station.publish(retour::sync::topics::event(kSite, kStation, "parcel.received"),
                        station.body(kSite, "parcel.received", std::move(received)));
        if (!waitUntil([&] { return state.value(rmaId(i)) == "received"; }, std::chrono::seconds(30),
                       std::chrono::milliseconds(1))) {
            die(rmaId(i) + " not received at central (log: " + central.log() + ")");
        }
        const std::string body = station.body(kSite, "inspection.completed", inspection(i));
        const auto t0 = Clock::now();
        station.publish(retour::sync::topics::event(kSite, kStation, "inspection.completed"), body);
        const bool decided = waitUntil([&] { return !refund.value(rmaId(i)).empty(); },
                                       std::chrono::seconds(30), std::chrono::milliseconds(1));
        ours.push_back(millis(Clock::now() - t0));
        if (!decided) {
            die("no refund decided for " + rmaId(i) + " (log: " + central.log() + ")");
        }
        must(refund.value(rmaId(i)) == "12990", "full refund of 129.90 for " + rmaId(i));
    }
    const std::vector<double> floor = brokerFloor(central.broker(), station, n);

    const Figures o = figures(ours);
    const Figures f = figures(floor);
    std::printf(
        "inspection.completed -> refund decided at central (n=%d, real mosquitto and retour-central, "
        "QoS 1, decision row polled every 1 ms): p50 %.2f ms p99 %.2f ms max %.2f ms; floor (same "
        "session and broker to a bare subscriber, same poll) p50 %.2f ms p99 %.2f ms; ratio ours/floor "
        "p50 %.2f p99 %.2f; central adds p50 %.2f ms\n",
        n, o.p50, o.p99, o.max, f.p50, f.p99, o.p50 / f.p50, o.p99 / f.p99, o.p50 - f.p50);
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: central_bench create|refund [N]\n");
        return 2;
    }
    const std::string what = argv[1];
    const int n = argc > 2 ? std::atoi(argv[2]) : 0;
    if (what == "create") {
        return benchCreate(n > 0 ? n : 2000);
    }
    if (what == "refund") {
        return benchRefund(n > 0 ? n : 500, RETOUR_PYTHON3);
    }
    std::fprintf(stderr, "central_bench: unknown benchmark %s\n", what.c_str());
    return 2;
}
