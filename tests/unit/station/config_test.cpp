#include "config/config.h"
#include "tests/support/temp_dir.h"

#include <gtest/gtest.h>

namespace retour::station {
namespace {

using retour::test::TempDir;

constexpr std::string_view kValid = R"(
[station]
site = "demo-site"
id = "bench-01"
data_dir = "data"
operator = "op-17"

[broker]
host = "127.0.0.1"
port = 1884
username = "bench-01"
password_file = "secret.txt"

[devices]
scanner = "sim:scanner?script=scenario.toml"
scale = "sim:scale?script=scenario.toml"
printer = "tcp:127.0.0.1:9100?protocol=zpl"
camera = "file:images/frame_%03d.png"

[rules]
disposition = "../rules/disposition.toml"

[weight]
tolerance_g = 30
tolerance_pct = 4.5

[photos]
views = { electronics = ["front", "back"], generic = ["front"] }
jpeg_quality = 85
)";

// The error message of loading `text` as FILE in a fresh directory.
std::string errorOf(const TempDir& dir, std::string_view text)
{
    const auto file = dir.write("station.toml", text);
    auto config = loadConfig(file);
    EXPECT_FALSE(config.has_value());
    return config ? std::string{} : config.error().message;
}

TEST(Config, ReadsEveryKeyAndResolvesPathsAgainstTheConfigDirectory)
{
    TempDir dir;
    dir.write("secret.txt", "s3cret\n");
    const auto file = dir.write("bench/station.toml", kValid);
    std::filesystem::rename(dir.path() / "secret.txt", dir.path() / "bench/secret.txt");
    auto config = loadConfig(file);
    ASSERT_TRUE(config.has_value()) << config.error().message;
    const auto base = std::filesystem::absolute(dir.path() / "bench").lexically_normal();
    EXPECT_EQ(config->site, "demo-site");
    EXPECT_EQ(config->stationId, "bench-01");
    EXPECT_EQ(config->operatorId, "op-17");
    EXPECT_EQ(config->dataDir, base / "data");
    EXPECT_EQ(config->databasePath(), base / "data" / "station.db");
    ASSERT_TRUE(config->broker.has_value());
    EXPECT_EQ(config->broker->port, 1884);
    EXPECT_EQ(config->broker->password, "s3cret");
    ASSERT_TRUE(config->scanner.has_value());
    EXPECT_EQ(config->scanner->param("script"), (base / "scenario.toml").string());
    EXPECT_EQ(config->scale->param("script"), config->scanner->param("script"));
    EXPECT_EQ(config->camera->target, (base / "images/frame_%03d.png").string());
    EXPECT_EQ(config->rulesFile, (base / "../rules/disposition.toml").lexically_normal());
    EXPECT_DOUBLE_EQ(config->weight.grams, 30);
    EXPECT_DOUBLE_EQ(config->weight.percent, 4.5);
    EXPECT_EQ(config->photos.jpegQuality, 85);
    EXPECT_EQ(config->photos.viewsFor("electronics"), (std::vector<std::string>{"front", "back"}));
    EXPECT_EQ(config->photos.viewsFor("apparel"), (std::vector<std::string>{"front"}));
}

TEST(Config, DefaultsWhenOptionalTablesAreAbsent)
{
    TempDir dir;
    auto config = loadConfig(dir.write("s.toml", "[station]\nsite = \"s\"\nid = \"b\"\n"));
    ASSERT_TRUE(config.has_value()) << config.error().message;
    EXPECT_FALSE(config->broker.has_value());
    EXPECT_FALSE(config->scanner.has_value());
    EXPECT_EQ(config->dataDir.filename(), "data");
    EXPECT_DOUBLE_EQ(config->weight.grams, 25);
    EXPECT_EQ(config->photos.viewsFor("electronics").size(), 3u);
}

TEST(Config, MissingFileNamesTheFile)
{
    TempDir dir;
    auto config = loadConfig(dir.path() / "nope.toml");
    ASSERT_FALSE(config.has_value());
    EXPECT_EQ(config.error().code, ErrorCode::Config);
    EXPECT_EQ(config.error().message.rfind((dir.path() / "nope.toml").string() + ":1:1: file not found", 0),
              0u)
        << config.error().message;
}

TEST(Config, SyntaxErrorNamesLineAndColumn)
{
    TempDir dir;
    const auto message = errorOf(dir, "[station]\nsite = \"s\"\nid = \n");
    EXPECT_NE(message.find("station.toml:3:"), std::string::npos) << message;
}

TEST(Config, UnknownKeyNamesItsPositionAndTheAllowedKeys)
{
    TempDir dir;
    const auto message = errorOf(dir, "[station]\nsite = \"s\"\nid = \"b\"\n  colour = \"red\"\n");
    EXPECT_NE(message.find("station.toml:4:3: unknown key \"colour\" in [station]"), std::string::npos)
        << message;
    EXPECT_NE(message.find("allowed: site, id, data_dir, operator"), std::string::npos) << message;
}

TEST(Config, UnknownTableIsRefused)
{
    TempDir dir;
    const auto message = errorOf(dir, "[station]\nsite = \"s\"\nid = \"b\"\n[printer]\nx = 1\n");
    EXPECT_NE(message.find("station.toml:4:"), std::string::npos) << message;
    EXPECT_NE(message.find("unknown key \"printer\""), std::string::npos) << message;
}

TEST(Config, BadDeviceUriNamesTheValue)
{
    TempDir dir;
    const auto message =
        errorOf(dir, "[station]\nsite = \"s\"\nid = \"b\"\n[devices]\nscale = \"nonsense-without-scheme\"\n");
    EXPECT_NE(message.find("station.toml:5:9: [devices] scale:"), std::string::npos) << message;
}

TEST(Config, DeviceOfTheWrongKindIsRefused)
{
    TempDir dir;
    const auto message = errorOf(
        dir,
        "[station]\nsite = \"s\"\nid = \"b\"\n[devices]\ncamera = \"tcp:127.0.0.1:9100?protocol=zpl\"\n");
    EXPECT_NE(message.find("station.toml:5:10:"), std::string::npos) << message;
    EXPECT_NE(message.find("not a"), std::string::npos) << message;
}

TEST(Config, WrongTypeNamesTheKey)
{
    TempDir dir;
    const auto message = errorOf(dir, "[station]\nsite = \"s\"\nid = \"b\"\n[broker]\nport = \"1883\"\n");
    EXPECT_NE(message.find("station.toml:5:8: [broker] \"port\" must be an integer, not a string"),
              std::string::npos)
        << message;
}

TEST(Config, InvalidStationIdIsRefused)
{
    TempDir dir;
    const auto message = errorOf(dir, "[station]\nsite = \"s\"\nid = \"bench/01\"\n");
    EXPECT_NE(message.find("station.toml:3:6:"), std::string::npos) << message;
}

TEST(Config, MissingStationIdSaysWhatToAdd)
{
    TempDir dir;
    const auto message = errorOf(dir, "[station]\nsite = \"s\"\n");
    EXPECT_NE(message.find("station.toml:1:1: [station] has no \"id\": add id = "), std::string::npos)
        << message;
}

TEST(Weight, ToleranceIsTheLargerOfGramsAndPercent)
{
    WeightTolerance tolerance{25, 5.0};
    EXPECT_DOUBLE_EQ(tolerance.allowedFor(100), 25);
    EXPECT_DOUBLE_EQ(tolerance.allowedFor(1000), 50);
    EXPECT_FALSE(tolerance.mismatch(1049, 1000));
    EXPECT_TRUE(tolerance.mismatch(1051, 1000));
    EXPECT_TRUE(tolerance.mismatch(70, 100));
}

} // namespace
} // namespace retour::station
