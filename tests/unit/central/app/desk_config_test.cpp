// The [http], [rules] and [returns] sections of central's config: values, defaults, and errors at
// FILE:LINE:COLUMN.
#include "app/config.h"
#include "tests/unit/central/fixtures.h"

#include <gtest/gtest.h>

namespace retour::central {
namespace {

class DeskConfigTest : public ::testing::Test
{
protected:
    SourceResult<Config> load(std::string_view extra)
    {
        const auto path = dir_ / "central.toml";
        test::writeFile(path, "[central]\nsite = \"demo-site\"\n" + std::string(extra));
        return loadConfig(path);
    }

    std::string error(std::string_view extra)
    {
        auto config = load(extra);
        EXPECT_FALSE(config);
        if (config) {
            return {};
        }
        const std::string prefix = (dir_ / "central.toml").string() + ":";
        std::string text = config.error().format();
        return text.starts_with(prefix) ? text.substr(prefix.size()) : text;
    }

    retour::test::TempDir dir_{"central-desk-config"};
};

TEST_F(DeskConfigTest, DefaultsWithoutTheSections)
{
    auto config = load("");
    ASSERT_TRUE(config) << config.error().format();
    EXPECT_FALSE(config->http);
    EXPECT_FALSE(config->authorisationRules);
    EXPECT_EQ(config->rmaPrefix, "DEMOSITE");
    EXPECT_EQ(config->expireAfterDays, 30);
    EXPECT_EQ(config->expireIntervalS, 3600);
}

TEST_F(DeskConfigTest, ExpiryWindowAndInterval)
{
    auto config = load("[returns]\nexpire_after_days = 14\nexpire_interval_s = 60\n");
    ASSERT_TRUE(config) << config.error().format();
    EXPECT_EQ(config->expireAfterDays, 14);
    EXPECT_EQ(config->expireIntervalS, 60);
    EXPECT_EQ(error("[returns]\nexpire_after_days = 0\n"),
              "4:21: expire_after_days in [returns] must be 1..3650");
    EXPECT_EQ(error("[returns]\nexpire_interval_s = \"hourly\"\n").substr(0, 5), "4:21:");
}

TEST_F(DeskConfigTest, ReadsEverySetting)
{
    test::writeFile(dir_ / "token", "a-token-from-a-file-0123\n");
    std::filesystem::create_directory(dir_ / "web");
    auto config = load("[http]\nlisten = \"0.0.0.0:0\"\ntoken_file = \"token\"\nweb = \"web\"\n"
                       "[rules]\nauthorisation = \"auth.toml\"\n[returns]\nrma_prefix = \"PAR1\"\n");
    ASSERT_TRUE(config) << config.error().format();
    ASSERT_TRUE(config->http);
    EXPECT_EQ(config->http->host, "0.0.0.0");
    EXPECT_EQ(config->http->port, 0);
    EXPECT_EQ(config->http->token, "a-token-from-a-file-0123");
    EXPECT_EQ(config->http->web, dir_.path() / "web");
    EXPECT_EQ(config->authorisationRules, dir_.path() / "auth.toml");
    EXPECT_EQ(config->rmaPrefix, "PAR1");
    auto ipv6 = load("[http]\nlisten = \"[::1]:8081\"\ntoken = \"0123456789abcdef\"\n");
    ASSERT_TRUE(ipv6) << ipv6.error().format();
    EXPECT_EQ(ipv6->http->host, "::1");
    EXPECT_EQ(ipv6->http->port, 8081);
}

TEST_F(DeskConfigTest, ErrorsNameTheirPlace)
{
    EXPECT_EQ(
        error("[http]\nlisten = \"localhost\"\ntoken = \"0123456789abcdef\"\n"),
        "4:10: listen \"localhost\" in [http] is not HOST:PORT; write e.g. \"127.0.0.1:8081\" (port 0: any "
        "free port)");
    EXPECT_EQ(error("[http]\nlisten = \"127.0.0.1:70000\"\ntoken = \"0123456789abcdef\"\n").substr(0, 5),
              "4:10:");
    EXPECT_EQ(error("[http]\ntoken = \"short\"\n"),
              "4:9: [http] needs a token of at least 16 characters for the staff endpoints (token = \"…\" or "
              "token_file = \"…\")");
    EXPECT_EQ(error("[http]\ntoken = \"0123456789abcdef\"\nweb = \"nowhere\"\n").substr(0, 5), "5:7: ");
    EXPECT_EQ(error("[http]\ntoken = \"0123456789abcdef\"\nport = 1\n").substr(0, 4), "5:1:");
    EXPECT_EQ(
        error("[returns]\nrma_prefix = \"ds-1\"\n"),
        "4:14: rma_prefix \"ds-1\" in [returns] must be 1-12 capital letters or digits (it starts every RMA "
        "number and label barcode)");
    EXPECT_EQ(error("[rules]\nauthorization = \"a.toml\"\n").substr(0, 4), "4:1:");
    EXPECT_EQ(error("[payments]\n").substr(0, 4), "3:2:");
}

} // namespace
} // namespace retour::central
