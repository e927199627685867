// Fault tests (label fault): real mosquitto, real retour-central and retour-station processes.
// Each ends with central holding exactly the events the station committed: none lost, none
// duplicated in central's tables, the station's outbox empty, and every message seen on the broker
// following the contract (docs/asyncapi.yaml).
#include "fault_site.h"
#include "tests/support/contract.h"
#include "tests/support/sqlite_query.h"
#include "tests/support/wait.h"

#include <gtest/gtest.h>
#include <thread>

namespace retour::test {
namespace {

using namespace std::chrono_literals;

class FaultTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if (!MosquittoBroker::available()) {
            GTEST_SKIP() << "mosquitto or mosquitto_passwd not installed";
        }
        site_ = std::make_unique<FaultSite>();
    }

    std::size_t held() { return site_->centralHeld().ids.size(); }

    // The station drained everything and central holds exactly `committed`, once each.
    void expectExactlyOnce(const std::vector<std::string>& committed)
    {
        const auto exit = site_->waitStation(55s);
        ASSERT_TRUE(exit) << "the station did not finish draining\n" << site_->stationLog();
        EXPECT_EQ(exit->code, 0) << site_->stationLog() << site_->centralLog();
        const auto outbox = site_->stationOutbox();
        ASSERT_FALSE(outbox.is_null());
        EXPECT_EQ(outbox.at("pending"), 0) << outbox.dump();
        const auto central = site_->centralHeld();
        const std::set<std::string> expected(committed.begin(), committed.end());
        EXPECT_EQ(central.rows, static_cast<std::int64_t>(central.ids.size()))
            << "a duplicate row at central";
        EXPECT_EQ(central.ids.size(), expected.size());
        EXPECT_TRUE(central.ids == expected) << "central does not hold exactly the committed events";
        const auto contract = validateMessages(site_->wiretap());
        if (contract.available) {
            EXPECT_TRUE(contract.valid) << contract.output;
        }
    }

    static void concat(std::vector<std::string>& into, const FaultSite::Appended& more)
    {
        EXPECT_EQ(more.status, 0) << more.error;
        into.insert(into.end(), more.ids.begin(), more.ids.end());
    }

    std::unique_ptr<FaultSite> site_;
};

TEST_F(FaultTest, BrokerStoppedForAWhileThenRestarted)
{
    site_->startCentral();
    std::vector<std::string> committed;
    concat(committed, site_->append(1000));
    site_->startStation();
    ASSERT_TRUE(waitUntil([&] { return held() >= 100; }, 30s)) << site_->stationLog() << site_->centralLog();

    site_->broker().stop();
    // The bench keeps committing while the broker is away.
    concat(committed, site_->append(300));
    std::this_thread::sleep_for(2s);
    site_->broker().restart();
    concat(committed, site_->append(200));
    expectExactlyOnce(committed);
}

// mosquitto 2.0.11 does not restore central's shared subscription after a broker restart: events
// a station sends before central is back reach nobody. Central's new "online" session makes the
// station send them again at once, instead of after its 30 s resend watchdog.
TEST_F(FaultTest, EventsSentBeforeCentralReconnectsAfterABrokerRestartArriveAtOnce)
{
    site_->startCentral();
    std::vector<std::string> committed;
    concat(committed, site_->append(10));
    site_->startStation();
    ASSERT_TRUE(site_->waitStation(30s)) << site_->stationLog();
    site_->broker().stop();
    concat(committed, site_->append(50));
    std::this_thread::sleep_for(3s); // central's back-off grows while the broker is away
    site_->broker().restart();
    const auto start = std::chrono::steady_clock::now();
    site_->startStation();
    expectExactlyOnce(committed);
    const auto took = std::chrono::steady_clock::now() - start;
    RecordProperty("drain_ms",
                   static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
    EXPECT_NE(site_->stationLog().find("central is (back) online"), std::string::npos) << site_->stationLog();
}

TEST_F(FaultTest, StationKilledWhileDrainingThenRestarted)
{
    site_->startCentral();
    std::vector<std::string> committed;
    concat(committed, site_->append(6000));
    site_->startStation();
    ASSERT_TRUE(waitUntil([&] { return held() >= 300; }, 30s)) << site_->stationLog() << site_->centralLog();
    site_->killStation(SIGKILL);
    RecordProperty("held_at_kill", static_cast<int>(held()));

    concat(committed, site_->append(100));
    site_->startStation();
    expectExactlyOnce(committed);
}

TEST_F(FaultTest, CentralKilledAndRestartedWhileTheStationPublishes)
{
    site_->startCentral();
    std::vector<std::string> committed;
    concat(committed, site_->append(3000));
    site_->startStation();
    ASSERT_TRUE(waitUntil([&] { return held() >= 300; }, 30s)) << site_->stationLog() << site_->centralLog();
    site_->killCentral(SIGKILL);
    concat(committed, site_->append(500));
    std::this_thread::sleep_for(1s);
    site_->startCentral();
    expectExactlyOnce(committed);
    // Central's return was announced and acted on: the station resent at once, not after its
    // 30 s watchdog.
    EXPECT_NE(site_->stationLog().find("central is (back) online"), std::string::npos) << site_->stationLog();
}

TEST_F(FaultTest, DiskFullWhileEnqueueingCommitsWholeEventsOrNothing)
{
    site_->startCentral();
    // SQLite's real SQLITE_FULL: the database may not grow past a few more pages.
    const std::string pageCount = queryValue(site_->stationDatabase(), "PRAGMA page_count");
    ASSERT_FALSE(pageCount.empty());
    const int pages = std::stoi(pageCount);

    const auto appended = site_->append(100000, pages + 40);
    EXPECT_EQ(appended.status, 3) << "the writer is told the disk is full: " << appended.error;
    EXPECT_NE(appended.error.find("full"), std::string::npos) << appended.error;
    ASSERT_GT(appended.ids.size(), 0u);
    ASSERT_LT(appended.ids.size(), 100000u);
    // Nothing half-written: every committed domain row has its event and no event lacks its row.
    EXPECT_EQ(site_->stationDomainRows(), static_cast<std::int64_t>(appended.ids.size()));
    EXPECT_EQ(site_->stationOutbox().at("pending"), static_cast<std::int64_t>(appended.ids.size()));

    site_->startStation();
    expectExactlyOnce(appended.ids);
}

TEST_F(FaultTest, StationWhoseAclRefusesItsTopicKeepsEverythingQueued)
{
    site_->startCentral();
    std::vector<std::string> committed;
    concat(committed, site_->append(50));
    // bench-02's credentials: the ACL lets it write only under bench-02, so every PUBACK is 0x87.
    site_->startStation(8s, "bench-02");
    const auto refused = site_->waitStation(30s);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->code, 1) << "nothing can be acknowledged";
    const std::string log = site_->stationLog();
    EXPECT_NE(log.find("ALARM: the broker refused event"), std::string::npos) << log;
    EXPECT_NE(log.find("not authorised"), std::string::npos) << log;
    EXPECT_EQ(site_->stationOutbox().at("pending"), 50) << "nothing deleted from the outbox";
    EXPECT_EQ(held(), 0u);

    // Credentials fixed: everything arrives, once.
    site_->startStation(50s, FaultSite::kStation);
    expectExactlyOnce(committed);
}

} // namespace
} // namespace retour::test
