#include "app/config.h"
#include "tests/unit/central/fixtures.h"

#include <gtest/gtest.h>

namespace retour::central {
namespace {

using test::writeFile;

class ConfigTest : public ::testing::Test
{
protected:
    std::filesystem::path write(std::string_view content)
    {
        const auto path = dir_ / "central.toml";
        writeFile(path, content);
        return path;
    }

    retour::test::TempDir dir_{"central-config"};
};

TEST_F(ConfigTest, MissingFileNamesTheFile)
{
    const auto path = dir_ / "nope.toml";
    const auto config = loadConfig(path);
    ASSERT_FALSE(config);
    EXPECT_EQ(config.error().file, path.string());
    EXPECT_EQ(config.error().line, 1);
    EXPECT_NE(config.error().message.find("not found"), std::string::npos) << config.error().message;
    EXPECT_EQ(config.error().format().rfind(path.string() + ":1:1: ", 0), 0u) << config.error().format();
}

TEST_F(ConfigTest, SyntaxErrorNamesItsLine)
{
    const auto path = write("[central]\nsite = \"demo-site\"\ndatabase = central.db\n");
    const auto config = loadConfig(path);
    ASSERT_FALSE(config);
    EXPECT_EQ(config.error().line, 3);
    EXPECT_GE(config.error().column, 1);
    EXPECT_NE(config.error().message.find("TOML syntax error"), std::string::npos) << config.error().message;
}

TEST_F(ConfigTest, UnknownKeyNamesItsPlaceAndTheKnownKeys)
{
    const auto path =
        write("[central]\nsite = \"demo-site\"\n\n[broker]\nhost = \"127.0.0.1\"\n  prot = 1883\n");
    const auto config = loadConfig(path);
    ASSERT_FALSE(config);
    EXPECT_EQ(config.error().line, 6);
    EXPECT_EQ(config.error().column, 3);
    EXPECT_NE(config.error().message.find("unknown key \"prot\" in [broker]"), std::string::npos)
        << config.error().message;
    EXPECT_NE(config.error().message.find("port"), std::string::npos) << config.error().message;
}

TEST_F(ConfigTest, StorageNamesTheBackendAndRefusesAnUnknownOne)
{
    const auto chosen = loadConfig(write("[central]\nsite = \"s\"\nstorage = \"sqlite\"\n"));
    ASSERT_TRUE(chosen) << chosen.error().format();
    EXPECT_EQ(chosen->storageBackend, StorageBackend::Sqlite);
    EXPECT_EQ(chosen->storage().database, chosen->database);

    const auto unknown = loadConfig(write("[central]\nsite = \"s\"\nstorage = \"postgres\"\n"));
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().line, 3);
    EXPECT_NE(unknown.error().message.find("storage \"postgres\" is not a backend"), std::string::npos)
        << unknown.error().message;
}

TEST_F(ConfigTest, UnknownTableIsAnUnknownKey)
{
    const auto config = loadConfig(write("[central]\nsite = \"s\"\n[brokr]\nhost = \"x\"\n"));
    ASSERT_FALSE(config);
    EXPECT_EQ(config.error().line, 3);
    EXPECT_NE(config.error().message.find("unknown key \"brokr\""), std::string::npos)
        << config.error().message;
}

TEST_F(ConfigTest, WrongTypeNamesTheValue)
{
    const auto config = loadConfig(write("[central]\nsite = \"s\"\n[broker]\nport = \"1883\"\n"));
    ASSERT_FALSE(config);
    EXPECT_EQ(config.error().line, 4);
    EXPECT_EQ(config.error().column, 8);
    EXPECT_NE(config.error().message.find("must be an integer"), std::string::npos) << config.error().message;
}

TEST_F(ConfigTest, MissingSiteIsReported)
{
    const auto config = loadConfig(write("[central]\ndatabase = \"x.db\"\n"));
    ASSERT_FALSE(config);
    EXPECT_NE(config.error().message.find("missing key \"site\" in [central]"), std::string::npos)
        << config.error().message;
}

TEST_F(ConfigTest, SiteMustBeATopicLevel)
{
    const auto config = loadConfig(write("[central]\nsite = \"demo/site\"\n"));
    ASSERT_FALSE(config);
    EXPECT_EQ(config.error().line, 2);
}

TEST_F(ConfigTest, PortOutOfRangeIsRefused)
{
    const auto config = loadConfig(write("[central]\nsite = \"s\"\n[broker]\nport = 70000\n"));
    ASSERT_FALSE(config);
    EXPECT_EQ(config.error().line, 4);
    EXPECT_NE(config.error().message.find("out of range"), std::string::npos);
}

TEST_F(ConfigTest, FullConfigResolvesPathsAgainstItsDirectory)
{
    const auto config = loadConfig(write(R"([central]
site = "demo-site"
database = "data/central.db"

[broker]
host = "broker.example"
port = 8883
username = "central"
password = "secret"
client_id = "central-a"

[seed]
rmas = "rmas.toml"
)"));
    ASSERT_TRUE(config) << config.error().format();
    EXPECT_EQ(config->site, "demo-site");
    EXPECT_EQ(config->database, std::filesystem::absolute(dir_.path()) / "data/central.db");
    EXPECT_EQ(config->broker.host, "broker.example");
    EXPECT_EQ(config->broker.port, 8883);
    EXPECT_EQ(config->broker.username, "central");
    EXPECT_EQ(config->broker.password, "secret");
    EXPECT_EQ(config->broker.clientId, "central-a");
    ASSERT_TRUE(config->seedRmas);
    EXPECT_EQ(*config->seedRmas, std::filesystem::absolute(dir_.path()) / "rmas.toml");
}

TEST_F(ConfigTest, DefaultsAndAbsolutePaths)
{
    const auto config = loadConfig(write("[central]\nsite = \"demo-site\"\ndatabase = \"/var/lib/x.db\"\n"));
    ASSERT_TRUE(config) << config.error().format();
    EXPECT_EQ(config->database, "/var/lib/x.db");
    EXPECT_EQ(config->broker.host, "127.0.0.1");
    EXPECT_EQ(config->broker.port, 1883);
    EXPECT_EQ(config->broker.clientId, "central-demo-site");
    EXPECT_TRUE(config->broker.sharedSubscription);
    EXPECT_FALSE(config->seedRmas);
}

TEST_F(ConfigTest, TheExampleConfigIsValid)
{
    std::filesystem::copy_file(std::filesystem::path(RETOUR_CENTRAL_EXAMPLES) / "central.toml",
                               dir_ / "central.toml");
    writeFile(dir_ / "central.pw", "pw\n");
    const auto config = loadConfig(dir_ / "central.toml");
    ASSERT_TRUE(config) << config.error().format();
    EXPECT_EQ(config->site, "demo-site");
    EXPECT_EQ(config->broker.password, "pw");
    EXPECT_EQ(config->seedRmas, std::filesystem::absolute(dir_.path()) / "rmas.toml");
}

TEST_F(ConfigTest, SharedSubscriptionCanBeTurnedOff)
{
    const auto off = loadConfig(write("[central]\nsite = \"s\"\n[broker]\nshared_subscription = false\n"));
    ASSERT_TRUE(off) << off.error().format();
    EXPECT_FALSE(off->broker.sharedSubscription);
    const auto wrong = loadConfig(write("[central]\nsite = \"s\"\n[broker]\nshared_subscription = \"no\"\n"));
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().line, 4);
    EXPECT_NE(wrong.error().message.find("true or false"), std::string::npos) << wrong.error().message;
}

TEST_F(ConfigTest, PasswordFileIsReadRelativeToTheConfig)
{
    writeFile(dir_ / "central.pw", "s3cret\n");
    const auto config = loadConfig(
        write("[central]\nsite = \"s\"\n[broker]\nusername = \"central\"\npassword_file = \"central.pw\"\n"));
    ASSERT_TRUE(config) << config.error().format();
    EXPECT_EQ(config->broker.password, "s3cret");
}

TEST_F(ConfigTest, UnreadablePasswordFileNamesTheKey)
{
    const auto config =
        loadConfig(write("[central]\nsite = \"s\"\n[broker]\npassword_file = \"missing.pw\"\n"));
    ASSERT_FALSE(config);
    EXPECT_EQ(config.error().line, 4);
    EXPECT_NE(config.error().message.find("missing.pw"), std::string::npos);
}

TEST_F(ConfigTest, PasswordAndPasswordFileTogetherAreRefused)
{
    writeFile(dir_ / "central.pw", "s3cret\n");
    const auto config = loadConfig(
        write("[central]\nsite = \"s\"\n[broker]\npassword = \"a\"\npassword_file = \"central.pw\"\n"));
    ASSERT_FALSE(config);
    EXPECT_EQ(config.error().line, 5);
    EXPECT_NE(config.error().message.find("keep only one"), std::string::npos);
}

} // namespace
} // namespace retour::central
