#include "cli/cli.h"
#include "tests/support/temp_dir.h"

#include <gtest/gtest.h>

namespace retour::station {
namespace {

using retour::test::TempDir;

// Configuration errors end the program with status 2 (the message names FILE:LINE:COL).
TEST(Commands, BadConfigExitsWithStatusTwo)
{
    TempDir dir;
    const auto config = dir.write("station.toml", "[station]\nsite = \"s\"\nid = \"b\"\nbogus = 1\n");
    ::testing::internal::CaptureStderr();
    EXPECT_EQ(runStation(RunArgs{config, true, std::chrono::seconds(1), -1}), 2);
    const std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_NE(err.find("retour-station: " + config.string() + ":4:1: unknown key \"bogus\""),
              std::string::npos)
        << err;
}

TEST(Commands, MissingConfigAndBrokenRulesExitWithStatusTwo)
{
    TempDir dir;
    ::testing::internal::CaptureStderr();
    EXPECT_EQ(printReport(dir.path() / "missing.toml", false), 2);
    dir.write("rules.toml", "[[rule]]\nname = \"x\"\ndisposition = \"sell\"\nlocation = \"L\"\n");
    const auto config =
        dir.write("station.toml", "[station]\nsite = \"s\"\nid = \"b\"\ndata_dir = \"d\"\n[rules]\n"
                                  "disposition = \"rules.toml\"\n");
    EXPECT_EQ(runStation(RunArgs{config, true, std::chrono::seconds(1), -1}), 2);
    const std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_NE(err.find("missing.toml:1:1: file not found"), std::string::npos) << err;
    EXPECT_NE(err.find((dir.path() / "rules.toml").string() + ":3:15: rule \"x\": unknown disposition"),
              std::string::npos)
        << err;
}

TEST(Commands, ReportAndOutboxOfAFreshStoreAreEmpty)
{
    TempDir dir;
    const auto config = dir.write("station.toml", "[station]\nsite = \"s\"\nid = \"b\"\n");
    ::testing::internal::CaptureStdout();
    EXPECT_EQ(printReport(config, true), 0);
    EXPECT_EQ(printOutbox(config, true), 0);
    const std::string out = ::testing::internal::GetCapturedStdout();
    EXPECT_NE(out.find("[]"), std::string::npos) << out;
    EXPECT_NE(out.find("\"pending\": 0"), std::string::npos) << out;
}

} // namespace
} // namespace retour::station
