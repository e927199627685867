// Bad configuration reaches the operator as one line naming the file, the place and what to do,
// with exit status 2.
#include "bench_fixture.h"

#include <algorithm>
#include <fstream>
#include <gtest/gtest.h>

namespace {

using retour::test::BenchFixture;
namespace fs = std::filesystem;

class BadInput : public ::testing::Test
{
protected:
    BenchFixture bench{"", "step_delay_ms = 10\n"};

    void SetUp() override { bench.writeStationConfig(1); }

    void replaceInConfig(const std::string& from, const std::string& to)
    {
        std::ifstream in(bench.stationConfig());
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto at = text.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        text.replace(at, from.size(), to);
        std::ofstream(bench.stationConfig()) << text;
    }
};

TEST_F(BadInput, MissingConfigFileIsExit2WithItsName)
{
    fs::remove(bench.stationConfig());
    const auto missing = bench.station({"run"});
    EXPECT_EQ(missing.status, 2);
    EXPECT_NE(missing.err.find(bench.stationConfig().string()), std::string::npos) << missing.err;
}

TEST_F(BadInput, BadDeviceUriNamesFileLineAndUri)
{
    replaceInConfig("sim:scale?script=scenario.toml", "tcp:nowhere?protocol=mt-sics");
    const auto run = bench.station({"run", "--exit-when-done", "--timeout", "5"});
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(run.err.find(bench.stationConfig().string() + ":"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("tcp:nowhere"), std::string::npos) << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << "one line: " << run.err;
}

TEST_F(BadInput, UnknownConfigKeyIsRefused)
{
    replaceInConfig("operator = \"op-1\"", "operator = \"op-1\"\nopertor = \"typo\"");
    const auto run = bench.station({"run", "--exit-when-done", "--timeout", "5"});
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(run.err.find(":6:"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("opertor"), std::string::npos) << run.err;
}

TEST_F(BadInput, UnknownRulesKeyNamesTheRulesFile)
{
    const fs::path rules = bench.dir() / "bad-rules.toml";
    std::ofstream(rules) << "[[rule]]\nname = \"all\"\ndisposition = \"recycle\"\nlocaton = \"X\"\n";
    replaceInConfig(std::string(RETOUR_SOURCE_DIR) + "/config/rules/disposition.toml", rules.string());
    const auto run = bench.station({"run", "--exit-when-done", "--timeout", "5"});
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(run.err.find(rules.string() + ":4:"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("locaton"), std::string::npos) << run.err;
}

TEST_F(BadInput, CentralRefusesABrokenConfig)
{
    std::ofstream(bench.centralConfig()) << "[central]\nsite = \"s\"\ndatabase = \"c.db\"\n[broker\n";
    const auto run = bench.central({"run"});
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(run.err.find(bench.centralConfig().string() + ":4:"), std::string::npos) << run.err;
}

} // namespace
