// CMD:UNDO through the real processes: retour-station (simulated scanner and scale, a Zebra on
// loopback TCP that is out of paper when the first label comes), a real mosquitto and
// retour-central. The confirmed item is undone while its label is held: the station's store has
// it voided with an audit row (before/after), its label job withdrawn (never sent to the printer),
// central received inspection.voided; the item inspected again prints and everything is
// acknowledged.
#include "bench_fixture.h"
#include "tests/devices/zpl/fake_zebra.h"
#include "tests/support/contract.h"
#include "tests/support/paths.h"
#include "tests/support/sqlite_query.h"

#include <gtest/gtest.h>

namespace {

using retour::test::BenchFixture;
namespace fixtures = retour::test::fixtures;
using retour::test::FakeZebra;
using retour::test::MosquittoBroker;

TEST(Undo, AConfirmedItemUndoneThroughTheRealStationIsVoidedEverywhereAndItsHeldLabelWithdrawn)
{
    if (!MosquittoBroker::available()) {
        GTEST_SKIP() << "mosquitto or mosquitto_passwd not installed";
    }
    // Out of paper for the first two print attempts, ready afterwards.
    using B = FakeZebra::Behaviour;
    FakeZebra zebra({B{FakeZebra::Mode::Answer, retour::test::kPaperOut},
                     B{FakeZebra::Mode::Answer, retour::test::kPaperOut},
                     B{FakeZebra::Mode::Answer, retour::test::kReady},
                     B{FakeZebra::Mode::Answer, retour::test::kReady},
                     B{FakeZebra::Mode::Answer, retour::test::kReady}});
    BenchFixture bench(fixtures::text("rmas/undo.toml"), fixtures::text("scenarios/undo.toml"));
    bench.setStationCamera(false);
    bench.setStationPrinter(zebra.uri(1000));
    bench.startBroker();
    bench.startWiretap();
    bench.startCentral();

    const auto sync = bench.station({"sync", "--wait-rmas", "1", "--timeout", "30"});
    ASSERT_EQ(sync.status, 0) << sync.err;
    const auto run = bench.station({"run", "--exit-when-done", "--timeout", "90"});
    ASSERT_EQ(run.status, 0) << run.out << run.err;

    // The report: two items of the one parcel, the first void, the second printed and acknowledged.
    const auto report = bench.stationReport();
    ASSERT_EQ(report.size(), 1U) << report.dump(2);
    const auto& items = report[0]["items"];
    ASSERT_EQ(items.size(), 2U) << report.dump(2);
    EXPECT_TRUE(items[0]["voided"].get<bool>());
    EXPECT_EQ(items[0]["grade"], "A");
    EXPECT_FALSE(items[1]["voided"].get<bool>());
    EXPECT_EQ(items[1]["grade"], "B");
    EXPECT_TRUE(items[1]["label_printed"].get<bool>());
    EXPECT_TRUE(items[1]["acked"].get<bool>());
    const std::string voidedId = items[0]["inspection_id"];
    const std::string voidedLpn = items[0]["lpn"];
    const std::string keptLpn = items[1]["lpn"];
    EXPECT_NE(voidedLpn, keptLpn);

    // The store: voided by the operator, its label job withdrawn unprinted, the audit row.
    const auto db = bench.dir() / "station/data/station.db";
    const auto inspection = retour::test::queryRows(
        db, "SELECT voided_at, voided_by FROM inspection WHERE inspection_id = '" + voidedId + "'");
    ASSERT_EQ(inspection.size(), 1U);
    EXPECT_FALSE(inspection[0][0].empty());
    EXPECT_EQ(inspection[0][1], "op-1");
    const auto labels = retour::test::queryRows(
        db, "SELECT void, printed, printed_at, reason FROM label WHERE inspection_id = '" + voidedId + "'");
    ASSERT_EQ(labels.size(), 1U);
    EXPECT_EQ(labels[0][0], "1");
    EXPECT_EQ(labels[0][1], "1") << "a void job is retired";
    EXPECT_EQ(labels[0][2], "") << "the void label has no print time: it never printed";
    EXPECT_EQ(labels[0][3], "void");
    const auto audit = retour::test::queryRows(
        db, "SELECT actor, before, after FROM audit WHERE action = 'inspection.voided' AND subject = '" +
                voidedId + "'");
    ASSERT_EQ(audit.size(), 1U);
    EXPECT_EQ(audit[0][0], "op-1");
    const auto before = nlohmann::json::parse(audit[0][1]);
    const auto after = nlohmann::json::parse(audit[0][2]);
    EXPECT_EQ(before["lpn"], voidedLpn);
    EXPECT_EQ(before["grade"], "A");
    EXPECT_EQ(before["state"], "confirmed");
    EXPECT_EQ(after["state"], "void");
    EXPECT_TRUE(after["event_id"].is_string());

    // The printer: the void label never reached it, the kept one did.
    bool voidedSent = false;
    bool keptSent = false;
    for (const auto& bytes : zebra.received()) {
        voidedSent = voidedSent || bytes.find(voidedLpn) != std::string::npos;
        keptSent = keptSent || bytes.find(keptLpn) != std::string::npos;
    }
    EXPECT_FALSE(voidedSent);
    EXPECT_TRUE(keptSent);

    // Central: inspection.voided for that inspection, after its inspection.completed; the contract holds.
    bench.stopCentral();
    const auto events = bench.centralEvents();
    int completed = 0;
    int voided = 0;
    for (const auto& event : events["events"]) {
        if (event["type"] == "inspection.completed") {
            ++completed;
        } else if (event["type"] == "inspection.voided") {
            ++voided;
        }
    }
    EXPECT_EQ(completed, 2);
    EXPECT_EQ(voided, 1);
    EXPECT_EQ(events["dead_letters"], 0);
    bool found = false;
    for (const auto& [topic, payload] : bench.centralStoredEvents()) {
        if (topic.ends_with("/inspection.voided")) {
            const auto data = nlohmann::json::parse(payload)["data"];
            EXPECT_EQ(data["inspection_id"], voidedId);
            EXPECT_EQ(data["lpn"], voidedLpn);
            EXPECT_EQ(data["operator"], "op-1");
            found = true;
        }
    }
    EXPECT_TRUE(found);
    const auto valid = retour::test::validateMessages(bench.centralStoredEvents());
    ASSERT_TRUE(valid.available) << valid.output;
    EXPECT_TRUE(valid.valid) << valid.output;
    const auto carried = retour::test::validateMessages(bench.wiretap());
    EXPECT_TRUE(carried.valid) << carried.output;

    // The bench's retained status carried its counters: the item counted once confirmed, the
    // voided one never (the bench never had two items to its name).
    int counted = 0;
    for (const auto& [topic, payload] : bench.wiretap()) {
        if (!topic.ends_with("/bench-01/status")) {
            continue;
        }
        const auto status = nlohmann::json::parse(payload, nullptr, false);
        if (status.is_object() && status.contains("counters")) {
            const auto& counters = status["counters"];
            EXPECT_LE(counters["bench"]["items"].get<int>(), 1) << payload;
            if (counters["bench"]["items"] == 1) {
                EXPECT_EQ(counters["operators"]["op-1"]["items"], 1) << payload;
                ++counted;
            }
        }
    }
    EXPECT_GT(counted, 0) << "no status message counted the item";
}

} // namespace
