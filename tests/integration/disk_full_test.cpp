// The station's disk fills up while the operator confirms an item, through the real program: its
// data directory is a small tmpfs (a private mount namespace, unshare -m) that is filled to the
// last byte after the parcel was opened. The confirm must fail with SQLite's real SQLITE_FULL (the
// WAL has to grow: an earlier attempt that capped max_page_count from another connection, or let a
// reused WAL absorb the write, saw the confirm succeed), the operator is told, nothing of the item
// is written, and once space is freed the same confirm goes through and is acknowledged.
#include "bench_fixture.h"
#include "tests/support/paths.h"
#include "tests/support/sqlite_query.h"
#include "tests/support/wait.h"

#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <set>

namespace {

namespace fs = std::filesystem;
using retour::test::BenchFixture;
using retour::test::withRepeatedConfirms;
namespace fixtures = retour::test::fixtures;
using retour::test::ChildProcess;
using retour::test::MosquittoBroker;
using retour::test::readFile;

std::int64_t count(const fs::path& db, const char* sql)
{
    const auto rows = retour::test::queryRows(db, sql);
    return rows.empty() ? -1 : std::stoll(rows.front().front());
}

// A private tmpfs can be mounted here (root, or a user namespace allowing it).
bool canMountTmpfs(const fs::path& dir)
{
    fs::create_directories(dir / "probe");
    ChildProcess probe(
        {"unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs '" + (dir / "probe").string() + "'"});
    const auto exit = probe.wait(std::chrono::seconds(10));
    return exit && exit->code == 0;
}

TEST(DiskFull, ConfirmOnAFullDiskIsRefusedWholeAndGoesThroughOnceSpaceIsFreed)
{
    if (!MosquittoBroker::available())
        GTEST_SKIP() << "mosquitto or mosquitto_passwd not installed";
    BenchFixture bench(fixtures::text("rmas/disk_full.toml"),
                       withRepeatedConfirms(fixtures::text("scenarios/disk_full.toml"), 16));
    if (!canMountTmpfs(bench.dir()))
        GTEST_SKIP() << "cannot mount a tmpfs in a private mount namespace (unshare -m)";
    bench.setStationCamera(false);
    bench.startBroker();
    bench.startWiretap();
    bench.startCentral();
    ASSERT_EQ(bench.station({"sync", "--wait-rmas", "1", "--timeout", "30"}).status, 0);

    // The synced database moves aside; the run's data directory is a 2 MiB tmpfs holding a copy.
    const fs::path station = bench.dir() / "station";
    fs::rename(station / "data", station / "seed");
    fs::create_directories(station / "data");
    const fs::path log = station / "full-run.log";
    const std::string script =
        "set -u\n"
        "mount -t tmpfs -o size=2m tmpfs data || exit 90\n"
        "cp -a seed/. data/\n"
        "\"$0\" run --config station.toml --exit-when-done --timeout 60 2>full-run.log &\n"
        "pid=$!\n"
        "while [ ! -e fill ] && kill -0 $pid 2>/dev/null; do sleep 0.05; done\n"
        "cat /dev/zero > data/filler 2>/dev/null; touch filled\n"
        "while [ ! -e free ] && kill -0 $pid 2>/dev/null; do sleep 0.05; done\n"
        "rm -f data/filler\n"
        "wait $pid; rc=$?\n"
        "mkdir -p after && cp -a data/. after/\n"
        "exit $rc\n";
    ChildProcess run(ChildProcess::Options{
        {"sh", "-c",
         "cd '" + station.string() + "' && exec unshare -m sh -c '" + script + "' " RETOUR_STATION_BIN},
        station / "full-run.out",
        station / "full-run.err",
        false,
        {}});

    // The parcel is open (parcel.received committed): the disk fills up before the confirm.
    ASSERT_TRUE(retour::test::waitUntil([&] { return readFile(log).find("RMA-D1") != std::string::npos; },
                                        std::chrono::seconds(20), std::chrono::milliseconds(20)))
        << readFile(log) << readFile(station / "full-run.err");
    std::ofstream(station / "fill").put('\n');
    ASSERT_TRUE(
        retour::test::waitUntil([&] { return fs::exists(station / "filled"); }, std::chrono::seconds(10)));
    ASSERT_TRUE(
        retour::test::waitUntil([&] { return readFile(log).find("could not save") != std::string::npos; },
                                std::chrono::seconds(20), std::chrono::milliseconds(20)))
        << readFile(log);
    const std::string refused = readFile(log);
    EXPECT_NE(refused.find("full"), std::string::npos)
        << "the operator is told the disk is full: " << refused;

    // Space again: the operator's next confirm is accepted.
    std::ofstream(station / "free").put('\n');
    const auto exit = run.wait(std::chrono::seconds(90));
    ASSERT_TRUE(exit.has_value());
    ASSERT_EQ(exit->code, 0) << readFile(log) << readFile(station / "full-run.err");

    // The item exists once, with each of its rows and its event: the refused attempt left nothing.
    const fs::path db = station / "after" / "station.db";
    ASSERT_TRUE(fs::exists(db)) << readFile(station / "full-run.err");
    EXPECT_EQ(count(db, "SELECT count(*) FROM inspection"), 1);
    EXPECT_EQ(count(db, "SELECT count(*) FROM label"), 1);
    EXPECT_EQ(count(db, "SELECT count(*) FROM audit WHERE action = 'inspection.confirmed'"), 1);
    EXPECT_EQ(count(db, "SELECT count(*) FROM inspection WHERE event_id = ''"), 0);
    EXPECT_EQ(count(db, "SELECT count(*) FROM outbox"), 0) << "everything acknowledged";

    // Central stored exactly the events the station sent (every id the broker carried), each once.
    const std::map<std::string, int> expected{
        {"parcel.received", 1}, {"inspection.completed", 1}, {"label.printed", 1}, {"parcel.closed", 1}};
    EXPECT_EQ(bench.centralStoredWhatTheBrokerCarried(expected), "");
}

} // namespace
