// Three parcels through the whole path: simulated scanner and scale → station workflow → SQLite
// and outbox → real mosquitto → retour-central → acknowledgement back to the station. Every
// message central stored and every message the broker carried is checked against the contract.
#include "bench_fixture.h"
#include "tests/support/contract.h"
#include "tests/support/paths.h"

#include <gtest/gtest.h>
#include <map>
#include <set>

namespace {

using retour::test::BenchFixture;
namespace fixtures = retour::test::fixtures;
using retour::test::MosquittoBroker;

class EndToEnd : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if (!MosquittoBroker::available())
            GTEST_SKIP() << "mosquitto or mosquitto_passwd not installed";
    }
};

TEST_F(EndToEnd, ThreeParcelsReachCentralExactlyOnceAndAreAcknowledged)
{
    BenchFixture bench(fixtures::text("rmas/end_to_end.toml"), fixtures::text("scenarios/end_to_end.toml"));
    bench.startBroker();
    bench.startWiretap();
    bench.startCentral();

    const auto sync = bench.station({"sync", "--wait-rmas", "2", "--timeout", "30"});
    ASSERT_EQ(sync.status, 0) << sync.err;

    const auto run = bench.station({"run", "--exit-when-done", "--timeout", "90"});
    ASSERT_EQ(run.status, 0) << run.out << run.err;

    // The station: three parcels, identified three different ways, every item acknowledged.
    const auto report = bench.stationReport();
    ASSERT_EQ(report.size(), 3u) << report.dump(2);
    EXPECT_EQ(report[0]["identified_by"], "rma_label");
    EXPECT_EQ(report[0]["rma_id"], "RMA-T1");
    EXPECT_EQ(report[1]["identified_by"], "tracking");
    EXPECT_EQ(report[1]["rma_id"], "RMA-T2");
    EXPECT_EQ(report[2]["identified_by"], "unannounced");
    EXPECT_TRUE(report[2]["rma_id"].is_null());
    std::set<std::string> inspectionIds;
    for (const auto& parcel : report) {
        ASSERT_EQ(parcel["items"].size(), 1u) << parcel.dump(2);
        const auto& item = parcel["items"][0];
        EXPECT_TRUE(item["acked"].get<bool>()) << item.dump(2);
        EXPECT_TRUE(item["label_printed"].get<bool>()) << item.dump(2);
        inspectionIds.insert(item["inspection_id"].get<std::string>());
    }
    EXPECT_EQ(report[0]["items"][0]["weight"]["result"], "ok");
    EXPECT_EQ(report[0]["items"][0]["grade"], "A");
    EXPECT_EQ(report[1]["items"][0]["weight"]["result"], "mismatch");
    EXPECT_EQ(report[2]["items"][0]["weight"]["result"], "not_checked");

    const auto outbox = bench.station({"outbox", "--json"});
    ASSERT_EQ(outbox.status, 0) << outbox.err;
    EXPECT_EQ(nlohmann::json::parse(outbox.out)["pending"], 0);

    // Central: each inspection exactly once, the returns moved on, the unannounced one created.
    bench.stopCentral();
    const auto events = bench.centralEvents();
    std::set<std::string> eventIds;
    std::size_t inspections = 0;
    for (const auto& event : events["events"]) {
        EXPECT_TRUE(eventIds.insert(event["event_id"].get<std::string>()).second) << "duplicate event";
        if (event["type"] == "inspection.completed")
            ++inspections;
    }
    EXPECT_EQ(inspections, 3u);
    EXPECT_EQ(events["dead_letters"], 0);
    std::map<std::string, int> types;
    for (const auto& event : events["events"])
        ++types[event["type"].get<std::string>()];
    EXPECT_EQ(types["parcel.received"], 3);
    EXPECT_EQ(types["parcel.closed"], 3);
    EXPECT_EQ(types["label.printed"], 3);

    // The contract: every event central stored, and every message the broker carried (events,
    // acknowledgements, station and central status, retained RMAs, lookups).
    const auto stored = bench.centralStoredEvents();
    EXPECT_EQ(stored.size(), events["events"].size());
    const auto storedValid = retour::test::validateMessages(stored);
    ASSERT_TRUE(storedValid.available) << storedValid.output;
    EXPECT_TRUE(storedValid.valid) << storedValid.output;
    const auto carried = bench.wiretap();
    std::set<std::string> kinds;
    for (const auto& [topic, payload] : carried)
        kinds.insert(topic.substr(topic.rfind('/') + 1));
    for (const char* kind : {"ack", "status", "parcel.closed", "RMA-T1"})
        EXPECT_TRUE(kinds.contains(kind)) << "the broker carried no " << kind << " message";
    const auto carriedValid = retour::test::validateMessages(carried);
    EXPECT_TRUE(carriedValid.valid) << carriedValid.output;

    const auto returns = bench.centralReturns();
    std::map<std::string, std::string> states;
    std::size_t unannounced = 0;
    for (const auto& r : returns) {
        states[r["rma_id"].get<std::string>()] = r["state"].get<std::string>();
        if (r["channel"] == "unannounced")
            ++unannounced;
    }
    EXPECT_EQ(states["RMA-T1"], "inspected") << "closed with line 2 missing";
    EXPECT_EQ(states["RMA-T2"], "inspected");
    EXPECT_EQ(unannounced, 1u);
    for (const auto& r : returns) {
        if (r["rma_id"] != "RMA-T1") {
            EXPECT_TRUE(r["findings"].empty()) << r.dump(2);
            continue;
        }
        ASSERT_EQ(r["findings"].size(), 1u) << r.dump(2);
        EXPECT_EQ(r["findings"][0]["finding"], "missing_item");
        EXPECT_EQ(r["findings"][0]["line_id"], "2");
        EXPECT_EQ(r["findings"][0]["sku"], "CASE-BT-200");
        EXPECT_EQ(r["findings"][0]["parcel_id"], report[0]["parcel_id"]);
        EXPECT_NE(r["history"].back()["reason"].get<std::string>().find("missing: 1 x CASE-BT-200"),
                  std::string::npos)
            << r["history"].back().dump();
    }
}

TEST_F(EndToEnd, StationWorksWithoutBrokerAndDeliversWhenItReturns)
{
    BenchFixture bench(fixtures::text("rmas/end_to_end.toml"), fixtures::text("scenarios/end_to_end.toml"));
    bench.startBroker();
    bench.startCentral();
    ASSERT_EQ(bench.station({"sync", "--wait-rmas", "2", "--timeout", "30"}).status, 0);

    // The broker goes away: the bench keeps working from its cache and queues its events.
    bench.broker().stop();
    const auto offline = bench.station({"run", "--exit-when-done", "--timeout", "15"});
    EXPECT_EQ(offline.status, 1) << "nothing can be acknowledged without a broker";
    const auto report = bench.stationReport();
    ASSERT_EQ(report.size(), 3u) << report.dump(2);
    auto pending = nlohmann::json::parse(bench.station({"outbox", "--json"}).out)["pending"].get<int>();
    EXPECT_GE(pending, 6) << "3 parcel.received + 3 inspection.completed at least";

    // The broker is back: a second run, without the simulated devices, drains the outbox.
    bench.broker().restart();
    bench.writeStationConfig(bench.broker().port(), /*devices=*/false);
    const auto online = bench.station({"run", "--exit-when-done", "--timeout", "60"});
    ASSERT_EQ(online.status, 0) << online.err;
    EXPECT_EQ(nlohmann::json::parse(bench.station({"outbox", "--json"}).out)["pending"], 0);

    bench.stopCentral();
    std::size_t inspections = 0;
    const auto held = bench.centralEvents();
    for (const auto& event : held["events"])
        inspections += event["type"] == "inspection.completed" ? 1 : 0;
    EXPECT_EQ(inspections, 3u);
    for (const auto& parcel : bench.stationReport())
        for (const auto& item : parcel["items"])
            EXPECT_TRUE(item["acked"].get<bool>());
}

} // namespace
