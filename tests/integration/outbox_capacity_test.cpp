// The station's outbox capacity at the bench, through real processes: a station whose central is
// away fills its outbox; the operator sees the alarm (status document, `outbox`, the log), the
// confirm that would exceed the capacity is refused with the reason and nothing is dropped; once
// central is back and acknowledges, the same confirm goes through.
#include "bench_fixture.h"
#include "tests/support/paths.h"
#include "tests/support/wait.h"

#include <gtest/gtest.h>
#include <map>
#include <set>

namespace {

using retour::test::BenchFixture;
using retour::test::withRepeatedConfirms;
namespace fixtures = retour::test::fixtures;
using retour::test::MosquittoBroker;

TEST(OutboxCapacity, AlarmRefusedConfirmNothingDroppedAndAcceptedAfterAcknowledgement)
{
    if (!MosquittoBroker::available())
        GTEST_SKIP() << "mosquitto or mosquitto_passwd not installed";
    BenchFixture bench(fixtures::text("rmas/outbox_capacity.toml"),
                       withRepeatedConfirms(fixtures::text("scenarios/outbox_capacity.toml"), 120));
    bench.setStationConfigExtra("\n[outbox]\ncapacity = 3\n");
    bench.startBroker();
    bench.startWiretap();
    bench.startCentral();
    ASSERT_EQ(bench.station({"sync", "--wait-rmas", "1", "--timeout", "30"}).status, 0);
    bench.stopCentral(); // central away: nothing is acknowledged

    const auto log = bench.dir() / "station-run.log";
    auto station = bench.spawnStation({"run", "--exit-when-done", "--timeout", "90"}, log);
    // The operator is told twice: the alarm, and why the confirm was refused.
    ASSERT_TRUE(retour::test::waitUntil(
        [&] {
            const std::string text = retour::test::readFile(log);
            return text.find("could not save") != std::string::npos &&
                   text.find("ALARM: the outbox holds 3 of 3") != std::string::npos;
        },
        std::chrono::seconds(30)))
        << retour::test::readFile(log);
    const std::string refused = retour::test::readFile(log);
    EXPECT_NE(refused.find("unacknowledged events, its capacity"), std::string::npos) << refused;

    // The alarm where the operator and the site see it; every event is still queued.
    const auto outbox = bench.station({"outbox", "--json"});
    ASSERT_EQ(outbox.status, 0) << outbox.err;
    const auto stats = nlohmann::json::parse(outbox.out);
    EXPECT_EQ(stats["pending"], 3);
    EXPECT_EQ(stats["capacity"], 3);
    EXPECT_EQ(stats["alarm"], true);
    const auto text = bench.station({"outbox"});
    EXPECT_NE(text.out.find("ALARM"), std::string::npos) << text.out;
    const auto statusAlarm = [&] {
        for (const auto& [topic, payload] : bench.wiretap()) {
            const auto status = nlohmann::json::parse(payload, nullptr, false);
            if (topic.ends_with("/bench-01/status") && status.is_object() &&
                status.value("outbox_alarm", false))
                return true;
        }
        return false;
    };
    EXPECT_TRUE(retour::test::waitUntil(statusAlarm, std::chrono::seconds(10)))
        << "no status document with outbox_alarm";
    auto report = bench.stationReport();
    ASSERT_EQ(report.size(), 1u);
    EXPECT_EQ(report[0]["items"].size(), 1u) << "the refused item is not half-written";

    // Central is back: the backlog is acknowledged, the confirm goes through, the run completes.
    bench.startCentral();
    const auto exit = station.wait(std::chrono::seconds(90));
    ASSERT_TRUE(exit.has_value()) << "station still running";
    EXPECT_EQ(exit->code, 0) << retour::test::readFile(log);
    report = bench.stationReport();
    ASSERT_EQ(report.size(), 1u);
    ASSERT_EQ(report[0]["items"].size(), 2u) << report.dump(2);
    for (const auto& item : report[0]["items"])
        EXPECT_TRUE(item["acked"].get<bool>());
    EXPECT_FALSE(report[0]["closed_at"].is_null());
    const auto drained = nlohmann::json::parse(bench.station({"outbox", "--json"}).out);
    EXPECT_EQ(drained["pending"], 0);
    EXPECT_EQ(drained["alarm"], false);

    // Central stored exactly the events the station sent, each once (resends deduplicated).
    const std::map<std::string, int> expected{
        {"parcel.received", 1}, {"inspection.completed", 2}, {"label.printed", 2}, {"parcel.closed", 1}};
    EXPECT_EQ(bench.centralStoredWhatTheBrokerCarried(expected), "");
}

} // namespace
