// The retour-central program itself: exit statuses, the one-line config errors, and the read-only
// reporting commands on a database prepared through the library (no broker needed).
#include "desk/seed.h"
#include "ledger/ingest.h"
#include "tests/support/child_process.h"
#include "tests/unit/central/fixtures.h"

#include <gtest/gtest.h>

namespace retour::central {
namespace {

using nlohmann::json;

class CliTest : public ::testing::Test
{
protected:
    struct Outcome
    {
        int code = -1;
        std::string out, err;
    };

    Outcome runCentral(std::vector<std::string> args)
    {
        args.insert(args.begin(), RETOUR_CENTRAL_EXE);
        retour::test::ChildProcess::Options options;
        options.argv = std::move(args);
        options.stdoutPath = dir_ / "stdout";
        options.stderrPath = dir_ / "stderr";
        retour::test::ChildProcess child(std::move(options));
        const auto exit = child.wait(std::chrono::seconds(30));
        EXPECT_TRUE(exit) << "retour-central did not finish";
        if (!exit) {
            child.kill(SIGKILL);
            return {};
        }
        EXPECT_EQ(exit->signal, 0);
        return Outcome{exit->code, child.readStdout(), child.readStderr()};
    }

    std::filesystem::path writeConfig(std::string_view text)
    {
        const auto path = dir_ / "central.toml";
        test::writeFile(path, text);
        return path;
    }

    static std::size_t lineCount(const std::string& text)
    {
        return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    }

    retour::test::TempDir dir_{"central-cli"};
};

TEST_F(CliTest, MissingConfigIsOneLineAndStatus2)
{
    const auto path = dir_ / "missing.toml";
    const auto result = runCentral({"returns", "--config", path.string()});
    EXPECT_EQ(result.code, 2);
    EXPECT_EQ(lineCount(result.err), 1u) << result.err;
    EXPECT_EQ(result.err.rfind("retour-central: " + path.string() + ":1:1: ", 0), 0u) << result.err;
}

TEST_F(CliTest, SyntaxErrorInRunIsOneLineWithItsPlace)
{
    const auto path = writeConfig("[central]\nsite = \"demo-site\"\n[broker\nhost = \"x\"\n");
    const auto result = runCentral({"run", "--config", path.string()});
    EXPECT_EQ(result.code, 2);
    EXPECT_EQ(lineCount(result.err), 1u) << result.err;
    EXPECT_EQ(result.err.rfind("retour-central: " + path.string() + ":3:", 0), 0u) << result.err;
}

TEST_F(CliTest, UnknownKeyInRunIsOneLineWithItsPlace)
{
    const auto path = writeConfig("[central]\nsite = \"demo-site\"\nwebsite = \"x\"\n");
    const auto result = runCentral({"run", "--config", path.string()});
    EXPECT_EQ(result.code, 2);
    EXPECT_EQ(lineCount(result.err), 1u) << result.err;
    EXPECT_EQ(result.err.rfind("retour-central: " + path.string() + ":3:1: unknown key \"website\"", 0), 0u)
        << result.err;
}

TEST_F(CliTest, SeedErrorInRunIsOneLineWithItsPlace)
{
    test::writeFile(dir_ / "rmas.toml", "[[rma]]\nrma_id = \"R1\"\nchannel = \"fax\"\n");
    const auto path = writeConfig("[central]\nsite = \"demo-site\"\n[seed]\nrmas = \"rmas.toml\"\n");
    const auto result = runCentral({"run", "--config", path.string()});
    EXPECT_EQ(result.code, 2);
    EXPECT_EQ(lineCount(result.err), 1u) << result.err;
    EXPECT_NE(result.err.find("rmas.toml:3:11: unknown channel"), std::string::npos) << result.err;
}

TEST_F(CliTest, UsageErrorIsStatus2)
{
    EXPECT_EQ(runCentral({}).code, 2);
    EXPECT_EQ(runCentral({"returns"}).code, 2); // --config is required
    EXPECT_EQ(runCentral({"--help"}).code, 0);
}

TEST_F(CliTest, ReportsOnAMissingDatabaseFailWithStatus1)
{
    const auto path = writeConfig("[central]\nsite = \"demo-site\"\n");
    const auto result = runCentral({"returns", "--config", path.string()});
    EXPECT_EQ(result.code, 1);
    EXPECT_NE(result.err.find("does not exist"), std::string::npos) << result.err;
}

TEST_F(CliTest, ReturnsAndEventsReadTheDatabase)
{
    test::writeFile(dir_ / "rmas.toml", test::kSeed);
    const auto path = writeConfig("[central]\nsite = \"demo-site\"\ndatabase = \"ledger.db\"\n");
    {
        auto store = test::openSqliteStorage(dir_ / "ledger.db", OpenMode::ReadWrite);
        ASSERT_TRUE(store) << store.error().message;
        Ledger ledger((*store)->ledger());
        ASSERT_TRUE(
            applySeed((*store)->ledger(), ledger, loadSeed(dir_ / "rmas.toml").value(), "rmas.toml", "t"));
        Ingest ingest("demo-site", (*store)->ledger(), ledger);
        const auto stored =
            ingest.handle(sync::topics::event("demo-site", "bench-01", sync::event_type::ParcelReceived),
                          test::eventBody(sync::event_type::ParcelReceived,
                                          test::parcelReceived(sync::newUuidV7(), "RMA-000101")),
                          "2026-11-26T11:30:00.000Z");
        ASSERT_TRUE(stored && stored->outcome == IngestResult::Outcome::Stored);
        // The store stays open: the commands read while a writer holds the file.

        const auto returns = runCentral({"returns", "--config", path.string(), "--json"});
        ASSERT_EQ(returns.code, 0) << returns.err;
        const json doc = json::parse(returns.out);
        ASSERT_TRUE(doc.is_array()) << returns.out;
        ASSERT_EQ(doc.size(), 2u);
        EXPECT_EQ(doc[0].at("rma_id"), "RMA-000101");
        EXPECT_EQ(doc[0].at("state"), "received");

        const auto table = runCentral({"returns", "--config", path.string()});
        ASSERT_EQ(table.code, 0) << table.err;
        EXPECT_NE(table.out.find("RMA-000102"), std::string::npos) << table.out;

        const auto events =
            runCentral({"events", "--config", path.string(), "--station", "bench-01", "--json"});
        ASSERT_EQ(events.code, 0) << events.err;
        const json eventsDoc = json::parse(events.out);
        EXPECT_EQ(eventsDoc.at("events").size(), 1u);
        EXPECT_EQ(eventsDoc.at("dead_letters"), 0);

        const auto none =
            runCentral({"events", "--config", path.string(), "--station", "bench-09", "--json"});
        ASSERT_EQ(none.code, 0) << none.err;
        EXPECT_TRUE(json::parse(none.out).at("events").empty());
    }
}

} // namespace
} // namespace retour::central
