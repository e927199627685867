// Sync benchmarks (label bench; docs/protocols/benchmarks.md §4 B8, B9): each prints ours, the peer measured
// in the same run, and the ratio. No timing assertion: CI machines vary.
//
//   sync_bench append  [N]   Outbox::enqueue, one event per transaction (WAL, synchronous=FULL as
//                           for a confirmed inspection, and NORMAL), vs a raw sqlite3 loop with the
//                           same schema, pragmas and transactions. Target >= 0.8x.
//   sync_bench drain   [N]   a backlog of N events drained by retour-station to retour-central
//                           with acknowledgements, counted at central, vs a bare libmosquitto
//                           QoS 1 publisher (the station's in-flight window) counted at a
//                           subscriber, same broker, same payload size. Target >= 0.5x.
//   sync_bench latency [N]   commit at the station (Outbox + MqttSession) -> stored at the real
//                           retour-central, one event at a time, p50 / p99.
#include "fault_site.h"
#include "retour/link/outbox.h"
#include "tests/support/wait.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <sqlite3.h>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using retour::test::FaultSite;
using retour::test::TempDir;

double seconds(Clock::duration d)
{
    return std::chrono::duration<double>(d).count();
}

void must(bool ok, const char* what)
{
    if (!ok) {
        std::fprintf(stderr, "sync_bench: %s failed\n", what);
        std::exit(1);
    }
}

sqlite3* openDb(const std::string& path, const char* synchronous)
{
    sqlite3* db = nullptr;
    must(sqlite3_open(path.c_str(), &db) == SQLITE_OK, "open");
    must(sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr) == SQLITE_OK, "WAL");
    must(sqlite3_exec(db, (std::string("PRAGMA synchronous=") + synchronous).c_str(), nullptr, nullptr,
                      nullptr) == SQLITE_OK,
         "synchronous");
    return db;
}

const nlohmann::json& sampleData()
{
    static const nlohmann::json data = {{"inspection_id", "0193a5c2-7d1e-7c3a-9b2f-5e6d7c8b9a01"},
                                        {"lpn", "LPN-bench-01-000001"},
                                        {"job_id", std::string(200, 'j')},
                                        {"printer", "tcp:192.0.2.10:9100"}};
    return data;
}

double appendOurs(const std::string& path, int n, const char* synchronous)
{
    sqlite3* db = openDb(path, synchronous);
    auto outbox = std::make_unique<retour::sync::Outbox>(db, 10000000);
    must(outbox->ensureSchema().has_value(), "schema");
    const auto start = Clock::now();
    for (int i = 0; i < n; ++i) {
        sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
        must(outbox->enqueue("site-a", "bench-01", retour::sync::event_type::LabelPrinted, sampleData())
                 .has_value(),
             "enqueue");
        must(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK, "commit");
    }
    const double rate = n / seconds(Clock::now() - start);
    outbox.reset(); // its kept statements go before the connection
    sqlite3_close(db);
    return rate;
}

// The peer: the same tables, pragmas and transactions written by hand with prepared statements
// (the row a station writes: seq, id, type, topic, JSON body, time; and the sequence counter).
double appendRaw(const std::string& path, int n, const char* synchronous)
{
    sqlite3* db = openDb(path, synchronous);
    {
        sqlite3* probe = openDb(path + ".schema", "NORMAL");
        {
            retour::sync::Outbox outbox(probe, 1);
            must(outbox.ensureSchema().has_value(), "schema");
        }
        sqlite3_close(probe);
    }
    must(sqlite3_exec(
             db,
             "CREATE TABLE outbox (station_seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, type "
             "TEXT NOT NULL, topic TEXT NOT NULL, payload TEXT NOT NULL, created_at TEXT NOT NULL);"
             "CREATE TABLE outbox_meta (id INTEGER PRIMARY KEY CHECK (id = 1), next_seq INTEGER NOT NULL, "
             "acknowledged INTEGER NOT NULL, sent_through INTEGER NOT NULL DEFAULT 0);"
             "INSERT INTO outbox_meta (id, next_seq, acknowledged) VALUES (1, 1, 0);",
             nullptr, nullptr, nullptr) == SQLITE_OK,
         "raw schema");
    sqlite3_stmt* read = nullptr;
    sqlite3_stmt* insert = nullptr;
    sqlite3_stmt* bump = nullptr;
    sqlite3_prepare_v2(db, "SELECT next_seq, acknowledged FROM outbox_meta WHERE id = 1", -1, &read, nullptr);
    sqlite3_prepare_v2(db, "INSERT INTO outbox VALUES (?, ?, ?, ?, ?, ?)", -1, &insert, nullptr);
    sqlite3_prepare_v2(db, "UPDATE outbox_meta SET next_seq = next_seq + 1 WHERE id = 1", -1, &bump, nullptr);
    const std::string topic = "returns/v1/site-a/bench-01/evt/label.printed";
    const auto start = Clock::now();
    for (int i = 0; i < n; ++i) {
        // The same body work as the outbox: a fresh id and time, the JSON encoded per event.
        retour::sync::Envelope e{"label.printed",
                                 1,
                                 retour::sync::newUuidV7(),
                                 i + 1,
                                 retour::sync::formatTimestamp(std::chrono::system_clock::now()),
                                 "site-a",
                                 "bench-01",
                                 sampleData()};
        const std::string payload = retour::sync::encodeEnvelope(e);
        sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
        sqlite3_step(read);
        sqlite3_reset(read);
        sqlite3_bind_int64(insert, 1, i + 1);
        sqlite3_bind_text(insert, 2, e.eventId.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 3, e.type.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 4, topic.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 5, payload.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 6, e.occurredAt.c_str(), -1, SQLITE_TRANSIENT);
        must(sqlite3_step(insert) == SQLITE_DONE, "raw insert");
        sqlite3_reset(insert);
        sqlite3_step(bump);
        sqlite3_reset(bump);
        must(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK, "raw commit");
    }
    const double rate = n / seconds(Clock::now() - start);
    sqlite3_finalize(read);
    sqlite3_finalize(insert);
    sqlite3_finalize(bump);
    sqlite3_close(db);
    return rate;
}

int benchAppend(int n)
{
    TempDir dir("retour-bench-append");
    for (const char* synchronous : {"FULL", "NORMAL"}) {
        const std::string tag = synchronous;
        // Alternate and keep the best of three: the disk cache and the other tenants of the
        // machine move single runs.
        double ours = 0;
        double raw = 0;
        for (int round = 0; round < 3; ++round) {
            const std::string r = tag + std::to_string(round);
            raw = std::max(raw, appendRaw((dir / ("raw-" + r + ".db")).string(), n, synchronous));
            ours = std::max(ours, appendOurs((dir / ("ours-" + r + ".db")).string(), n, synchronous));
        }
        std::printf(
            "outbox append (WAL, synchronous=%s, 1 event/txn, n=%d): ours %.0f/s, raw sqlite3 %.0f/s, "
            "ratio %.2f (target >= 0.80)\n",
            synchronous, n, ours, raw, ours / raw);
    }
    return 0;
}

// ---- drain ----

// The peer: a bare libmosquitto QoS 1 publisher (TCP_NODELAY, `inFlight` unacknowledged at most:
// the station's own window) and a subscriber counting what arrives, on the same broker, with
// payloads of the same size (docs/protocols/mqtt-broker.md: the fair ceiling, since mosquitto_pub -l loses
// QoS 1 messages).
double barePublisher(retour::test::MosquittoBroker& broker, int n, std::size_t payloadBytes, int inFlight)
{
    mosquitto_lib_init();
    std::atomic<int> received{0};
    std::atomic<int> subscribed{0};
    auto client = [&](const char* id) {
        mosquitto* m = mosquitto_new(id, true, nullptr);
        mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
        mosquitto_int_option(m, MOSQ_OPT_TCP_NODELAY, 1);
        mosquitto_username_pw_set(m, "central",
                                  retour::test::MosquittoBroker::passwordFor("central").c_str());
        return m;
    };
    mosquitto* sub = client("bench-peer-sub");
    mosquitto_user_data_set(sub, &received);
    mosquitto_message_v5_callback_set(
        sub, [](mosquitto*, void* counter, const mosquitto_message*, const mosquitto_property*) {
            ++*static_cast<std::atomic<int>*>(counter);
        });
    mosquitto* pub = client("bench-peer-pub");
    mosquitto_int_option(pub, MOSQ_OPT_SEND_MAXIMUM, inFlight);
    must(mosquitto_connect(sub, broker.host().c_str(), broker.port(), 30) == MOSQ_ERR_SUCCESS,
         "peer connect");
    must(mosquitto_connect(pub, broker.host().c_str(), broker.port(), 30) == MOSQ_ERR_SUCCESS,
         "peer connect");
    mosquitto_loop_start(sub);
    mosquitto_subscribe_v5(sub, nullptr, "returns/v1/bench-peer/+/evt/#", 1, 0, nullptr);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    mosquitto_loop_start(pub);
    const std::string payload(payloadBytes, 'x');
    const auto start = Clock::now();
    for (int i = 0; i < n; ++i) {
        mosquitto_publish_v5(pub, nullptr, "returns/v1/bench-peer/peer/evt/label.printed",
                             static_cast<int>(payload.size()), payload.data(), 1, false, nullptr);
    }
    must(retour::test::waitUntil([&] { return received.load() >= n; }, std::chrono::seconds(120),
                                 std::chrono::milliseconds(1)),
         "peer delivery");
    const double rate = n / seconds(Clock::now() - start);
    for (mosquitto* m : {pub, sub}) {
        mosquitto_disconnect(m);
        mosquitto_loop_stop(m, false);
        mosquitto_destroy(m);
    }
    (void)subscribed;
    return rate;
}

int benchDrain(int n)
{
    FaultSite site;
    site.startCentral();
    std::fprintf(stderr, "sync_bench drain: committing %d events at the station...\n", n);
    const auto appended = site.append(n);
    must(appended.status == 0 && static_cast<int>(appended.ids.size()) == n, "append");
    const std::size_t payloadBytes = 620; // about the size of the events above
    must(retour::test::waitUntil(
             [&] {
                 return site.centralLog().find("central status") != std::string::npos ||
                        site.centralLog().find("published") != std::string::npos;
             },
             std::chrono::seconds(20)),
         "central up");

    const auto start = Clock::now();
    site.startStation(std::chrono::seconds(600));
    must(retour::test::waitUntil([&] { return static_cast<int>(site.centralHeld().ids.size()) >= n; },
                                 std::chrono::seconds(600), std::chrono::milliseconds(20)),
         "drain to central");
    const double ours = n / seconds(Clock::now() - start);
    const auto exit = site.waitStation(std::chrono::seconds(120));
    must(exit && exit->code == 0, "station exits once every event is acknowledged");
    const auto stored = site.centralHeld();
    std::fprintf(stderr, "sync_bench drain: ours %.0f/s; now the peer...\n", ours);
    constexpr int kStationWindow = 256 + 4; // Uplink: OutboxConfig::window + 4 for status and lookups
    const double peer = barePublisher(site.broker(), n, payloadBytes, kStationWindow);
    std::printf(
        "outbox drain to central with acks (n=%d, counted at central, stored %zu, duplicates %lld): ours "
        "%.0f/s, bare libmosquitto QoS 1 publisher (same in-flight window) %.0f/s, ratio %.2f (target >= "
        "0.50)\n",
        n, stored.ids.size(), static_cast<long long>(stored.rows) - static_cast<long long>(stored.ids.size()),
        ours, peer, ours / peer);
    return 0;
}

int benchLatency(int n)
{
    // The station side is the sync library itself (Outbox commit with synchronous=FULL, then
    // MqttSession QoS 1 publish of the committed row, as the Uplink does after every write); the
    // broker and retour-central are the real ones. Latency: commit returned -> the event is in
    // central's database (polled every millisecond, so about 0.5 ms is the poll's own share).
    FaultSite site;
    site.startCentral();
    must(retour::test::waitUntil([&] { return site.centralLog().find("published") != std::string::npos; },
                                 std::chrono::seconds(20)),
         "central connected");
    sqlite3* db = openDb(site.stationDatabase().string(), "FULL");
    sqlite3_busy_timeout(db, 5000);
    auto outbox = std::make_unique<retour::sync::Outbox>(db, 1000000);
    retour::sync::MqttOptions options;
    options.host = site.broker().host();
    options.port = site.broker().port();
    options.clientId = "bench-latency";
    options.username = FaultSite::kStation;
    options.password = retour::test::MosquittoBroker::passwordFor(FaultSite::kStation);
    options.cleanStart = true;
    auto session = retour::sync::MqttSession::create(options, {}).value();
    must(session->start().has_value(), "session");
    must(retour::test::waitUntil([&] { return session->connected(); }), "connected");
    sqlite3* central = nullptr;
    sqlite3_open_v2((site.dir() / "central/central.db").c_str(), &central, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_busy_timeout(central, 5000);
    std::vector<double> latencies;
    for (int i = 0; i < n; ++i) {
        sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        auto e = outbox->enqueue(FaultSite::kSite, FaultSite::kStation,
                                 retour::sync::event_type::LabelPrinted, sampleData());
        must(e.has_value(), "enqueue");
        must(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK, "commit");
        const auto committed = Clock::now();
        auto rows = outbox->after(e->stationSeq - 1, 1);
        must(rows && rows->size() == 1, "read back");
        must(session->publish(rows->front().topic, rows->front().payload, 1, false).has_value(), "publish");
        sqlite3_stmt* q = nullptr;
        sqlite3_prepare_v2(central, "SELECT 1 FROM events WHERE event_id = ?", -1, &q, nullptr);
        sqlite3_bind_text(q, 1, e->eventId.c_str(), -1, SQLITE_TRANSIENT);
        const bool seen = retour::test::waitUntil(
            [&] {
                sqlite3_reset(q);
                return sqlite3_step(q) == SQLITE_ROW;
            },
            std::chrono::seconds(60), std::chrono::milliseconds(1));
        sqlite3_finalize(q);
        must(seen, "event stored at central");
        latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - committed).count());
    }
    session->stop();
    sqlite3_close(central);
    outbox.reset();
    sqlite3_close(db);
    std::sort(latencies.begin(), latencies.end());
    auto at = [&](double q) {
        return latencies[static_cast<std::size_t>(q * static_cast<double>(latencies.size() - 1))];
    };
    std::printf("commit at the station -> stored at central (n=%d, one event at a time, central polled every "
                "1 ms): p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                n, at(0.5), at(0.99), latencies.back());
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: sync_bench append|drain|latency [N]\n");
        return 2;
    }
    const std::string what = argv[1];
    const int n = argc > 2 ? std::atoi(argv[2]) : 0;
    if (what == "append") {
        return benchAppend(n > 0 ? n : 5000);
    }
    if (what == "drain") {
        return benchDrain(n > 0 ? n : 100000);
    }
    if (what == "latency") {
        return benchLatency(n > 0 ? n : 500);
    }
    std::fprintf(stderr, "sync_bench: unknown benchmark %s\n", what.c_str());
    return 2;
}
