// Hostile copies of real station events, sent through the broker with the station's own
// credentials (its ACL lets them through): central stores only what the contract accepts — every
// stored body satisfies its JSON Schema (docs/schemas/, checked by python3-jsonschema) — and
// dead-letters the rest, and stays up.
#include "fault_site.h"
#include "mutator.h"
#include "retour/contract/events.h"
#include "retour/link/mqtt_session.h"
#include "tests/support/contract.h"
#include "tests/support/wait.h"

#include <atomic>
#include <gtest/gtest.h>
#include <map>
#include <set>
#include <sqlite3.h>
#include <thread>

namespace retour::test {
namespace {

using nlohmann::json;

// topic and payload of every row of `table` in central's database.
std::vector<std::pair<std::string, std::string>> centralRows(const std::filesystem::path& db,
                                                             const char* table)
{
    std::vector<std::pair<std::string, std::string>> rows;
    sqlite3* handle = nullptr;
    if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(handle, 5000);
        sqlite3_stmt* stmt = nullptr;
        const std::string sql = std::string("SELECT topic, payload FROM ") + table;
        if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
            while (sqlite3_step(stmt) == SQLITE_ROW) {
                auto text = [&](int column) {
                    const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt, column));
                    return bytes == nullptr
                               ? std::string()
                               : std::string(bytes,
                                             static_cast<std::size_t>(sqlite3_column_bytes(stmt, column)));
                };
                rows.emplace_back(text(0), text(1));
            }
        }
        sqlite3_finalize(stmt);
    }
    sqlite3_close(handle);
    return rows;
}

TEST(HostileEvents, CentralStoresNoneThatBreaksTheContractAndDeadLettersThem)
{
    if (!MosquittoBroker::available()) {
        GTEST_SKIP() << "mosquitto or mosquitto_passwd not installed";
    }
    FaultSite site;
    site.startCentral();
    // Central takes events once it has subscribed: it then says so in its retained status.
    const std::string centralStatus = sync::topics::centralStatus(FaultSite::kSite);
    ASSERT_TRUE(waitUntil(
        [&] {
            for (const auto& [topic, payload] : site.wiretap()) {
                if (auto status = sync::decodeCentralStatus(payload); topic == centralStatus && status &&
                                                                      status->online) {
                    return true;
                }
            }
            return false;
        },
        std::chrono::seconds(20)))
        << site.centralLog();

    // The golden events of sync/contract/testdata, as this site's bench-01 would send them.
    std::vector<sync::test::Golden> events;
    for (auto& golden : sync::test::loadGoldens(RETOUR_CONTRACT_TESTDATA)) {
        if (sync::isKnownEventType(golden.kind)) {
            json doc = json::parse(golden.body);
            doc["site"] = FaultSite::kSite;
            doc["station"] = FaultSite::kStation;
            golden.body = doc.dump();
            events.push_back(std::move(golden));
        }
    }
    ASSERT_FALSE(events.empty());

    std::atomic<int> acknowledged{0};
    std::atomic<bool> up{false};
    sync::MqttOptions options;
    options.port = site.broker().port();
    options.clientId = "hostile-bench-01";
    options.username = FaultSite::kStation;
    options.password = MosquittoBroker::passwordFor(FaultSite::kStation);
    options.cleanStart = true;
    options.maxInflight = 50;
    sync::Transport::Callbacks callbacks;
    callbacks.onConnection = [&](bool connected, const std::string&) { up = connected; };
    callbacks.onPublished = [&](int, bool, int) { ++acknowledged; };
    std::unique_ptr<sync::Transport> session = sync::MqttSession::create(options, callbacks).value();
    ASSERT_TRUE(session->start());
    ASSERT_TRUE(waitUntil([&] { return up.load(); }, std::chrono::seconds(10)));

    // Each mutated copy gets its own event id first, so that copies are not duplicates of each other.
    constexpr int kCount = 600;
    sync::test::Random random(2026);
    std::map<std::string, bool> sent; // body -> the contract accepts it
    for (int i = 0; i < kCount; ++i) {
        const auto& golden = events[static_cast<std::size_t>(i) % events.size()];
        json doc = json::parse(golden.body);
        doc["event_id"] = sync::newUuidV7();
        if (golden.kind == "inspection.completed") {
            doc["data"]["inspection_id"] = sync::newUuidV7(); // central books an inspection once
        }
        const std::string body = sync::test::mutate(doc.dump(), random);
        sent[body] = sync::decodeEvent(body).has_value();
        ASSERT_TRUE(session->publish(sync::topics::event(FaultSite::kSite, FaultSite::kStation, golden.kind),
                                     body, 1, false));
    }
    ASSERT_TRUE(waitUntil([&] { return acknowledged.load() == kCount; }, std::chrono::seconds(30)));
    session->stop();

    // Central has taken each message when the rows stop growing.
    const auto db = site.dir() / "central/central.db";
    std::size_t rows = 0;
    for (int stable = 0; stable < 10;) {
        const std::size_t now = centralRows(db, "events").size() + centralRows(db, "dead_letters").size();
        stable = now == rows ? stable + 1 : 0;
        rows = now;
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    EXPECT_TRUE(site.centralRunning()) << site.centralLog();

    const auto stored = centralRows(db, "events");
    const auto dead = centralRows(db, "dead_letters");
    ASSERT_FALSE(stored.empty() && dead.empty())
        << "central took none of the " << kCount << " events; broker log:\n"
        << site.broker().log().substr(site.broker().log().size() > 4000 ? site.broker().log().size() - 4000 : 0);
    std::set<std::string> deadBodies;
    for (const auto& [topic, payload] : dead) {
        deadBodies.insert(payload);
    }
    std::size_t refused = 0;
    for (const auto& [topic, payload] : stored) {
        const auto it = sent.find(payload);
        ASSERT_NE(it, sent.end()) << "central stored a body nobody sent: " << payload;
        EXPECT_TRUE(it->second) << "central stored a body the contract refuses: " << payload;
    }
    for (const auto& [body, accepted] : sent) {
        if (!accepted) {
            ++refused;
            // Oversized bodies are kept in part (their first 4 KiB).
            const bool kept = deadBodies.contains(body) || body.size() > sync::kMaxPayloadBytes;
            EXPECT_TRUE(kept) << "a body the contract refuses was not dead-lettered (" << dead.size()
                              << " dead letters, " << stored.size() << " events): " << body.substr(0, 300);
        }
    }
    EXPECT_GT(stored.size(), 50U) << "too few mutations the contract accepts to prove anything";
    EXPECT_GT(refused, 100U) << "too few mutations the contract refuses to prove anything";

    // The schemas' own verdict on what central stored: all of it valid.
    const auto verdict = validateMessages(stored);
    if (!verdict.available) {
        GTEST_SKIP() << verdict.output;
    }
    EXPECT_TRUE(verdict.valid) << verdict.output;
}

} // namespace
} // namespace retour::test
