#include "retour/drivers/sim.h"
#include "tests/support/paths.h"
#include "tests/support/temp_dir.h"

#include <gtest/gtest.h>

namespace retour::drivers {
namespace {

using retour::test::TempDir;

TEST(SimScenario, ParsesAllStepKinds)
{
    TempDir dir;
    const auto file = dir.write("bench.toml", R"(# a returns bench
step_delay_ms = 150

[[step]]
scan = "RMA-000101"
symbology = "Code 128"

[[step]]
note = "the operator puts the parcel on the scale"

[[step]]
weigh = 512.5

[[step]]
weigh = 40
note = "integer grams are fine"

[[step]]
clear = true

[[step]]
scan = "]C10109521234543213\u001D10LOT7"

[[step]]
printer = "paper-out"
)");
    const auto scenario = loadSimScenario(file);
    ASSERT_TRUE(scenario) << scenario.error().message;
    EXPECT_EQ(scenario->file, file);
    EXPECT_EQ(scenario->stepDelay, std::chrono::milliseconds(150));
    ASSERT_EQ(scenario->steps.size(), 6u); // the note-only step is not a step

    EXPECT_EQ(scenario->steps[0].target, SimStep::Target::Scanner);
    EXPECT_EQ(scenario->steps[0].scanText, "RMA-000101");
    EXPECT_EQ(scenario->steps[0].symbology, "Code 128");
    EXPECT_EQ(scenario->steps[0].line, 4);

    EXPECT_EQ(scenario->steps[1].target, SimStep::Target::Scale);
    EXPECT_DOUBLE_EQ(scenario->steps[1].grams, 512.5);
    EXPECT_FALSE(scenario->steps[1].clear);
    EXPECT_EQ(scenario->steps[1].line, 11);

    EXPECT_DOUBLE_EQ(scenario->steps[2].grams, 40.0);

    EXPECT_EQ(scenario->steps[3].target, SimStep::Target::Scale);
    EXPECT_TRUE(scenario->steps[3].clear);
    EXPECT_DOUBLE_EQ(scenario->steps[3].grams, 0.0);

    EXPECT_EQ(scenario->steps[4].scanText, "]C10109521234543213\x1d"
                                           "10LOT7");

    EXPECT_EQ(scenario->steps[5].target, SimStep::Target::Printer);
    EXPECT_EQ(scenario->steps[5].printerState, "paper-out");
}

// The bench sessions of tests/fixtures/scenarios, which the demo and the process tests play, are
// scenarios the sim devices accept.
TEST(SimScenario, EveryFixtureScenarioLoads)
{
    const auto demo = loadSimScenario(retour::test::fixtures::path("scenarios/demo.toml"));
    ASSERT_TRUE(demo) << demo.error().message;
    ASSERT_FALSE(demo->steps.empty());
    EXPECT_EQ(demo->steps[0].scanText, "RMA-000101");
    int loaded = 0;
    for (const auto& entry : std::filesystem::directory_iterator(
             retour::test::fixtures::path("scenarios/demo.toml").parent_path())) {
        const auto scenario = loadSimScenario(entry.path());
        ASSERT_TRUE(scenario) << scenario.error().message;
        EXPECT_FALSE(scenario->steps.empty()) << entry.path();
        ++loaded;
    }
    EXPECT_GE(loaded, 5);
}

TEST(SimScenario, DefaultDelay)
{
    TempDir dir;
    const auto scenario = loadSimScenario(dir.write("s.toml", "[[step]]\nscan = \"A\"\n"));
    ASSERT_TRUE(scenario);
    EXPECT_EQ(scenario->stepDelay, std::chrono::milliseconds(100));
}

TEST(SimScenario, MissingFile)
{
    TempDir dir;
    const auto scenario = loadSimScenario(dir.path() / "nope.toml");
    ASSERT_FALSE(scenario);
    EXPECT_EQ(scenario.error().code, ErrorCode::NotFound);
    EXPECT_NE(scenario.error().message.find("nope.toml"), std::string::npos);
}

struct BadScenario
{
    const char* name;
    const char* content;
    const char* where; // ":line:column:" expected in the message
    const char* what;
};

class BadSimScenario : public testing::TestWithParam<BadScenario>
{};

TEST_P(BadSimScenario, NamesFileLineAndColumn)
{
    const auto& bad = GetParam();
    TempDir dir;
    const auto file = dir.write("bad.toml", bad.content);
    const auto scenario = loadSimScenario(file);
    ASSERT_FALSE(scenario) << bad.name;
    const std::string& message = scenario.error().message;
    EXPECT_EQ(message.rfind(file.string() + bad.where, 0), 0u) << message;
    EXPECT_NE(message.find(bad.what), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Errors, BadSimScenario,
    testing::Values(
        BadScenario{"syntax", "[[step]]\nscan = \"A\nweigh = 1\n", ":2:", ""},
        BadScenario{"unknown step key", "[[step]]\nscan = \"A\"\n\n[[step]]\nwiegh = 12\n",
                    ":5:1:", "unknown key 'wiegh'"},
        BadScenario{"unknown top key", "step_dealy_ms = 5\n[[step]]\nscan = \"A\"\n",
                    ":1:1:", "unknown key 'step_dealy_ms'"},
        BadScenario{"two actions", "[[step]]\nscan = \"A\"\n\n[[step]]\nscan = \"B\"\nweigh = 3\n",
                    ":4:", "exactly one thing"},
        BadScenario{"empty step", "[[step]]\nscan = \"A\"\n[[step]]\n", ":3:", "empty step"},
        BadScenario{"weigh not a number", "[[step]]\nweigh = \"heavy\"\n", ":2:9:", "weigh must be a number"},
        BadScenario{"negative weight", "[[step]]\nweigh = -5.0\n", ":2:9:", "weigh must be a number"},
        BadScenario{"infinite weight", "[[step]]\nweigh = inf\n", ":2:9:", "weigh must be a number"},
        BadScenario{"clear false", "[[step]]\nclear = false\n", ":2:9:", "clear must be true"},
        BadScenario{"empty scan", "[[step]]\nscan = \"\"\n", ":2:8:", "scan must be a non-empty string"},
        BadScenario{"scan not a string", "[[step]]\nscan = 12\n", ":2:8:", "scan must be a non-empty string"},
        BadScenario{"symbology without scan", "[[step]]\nweigh = 1\nsymbology = \"QR\"\n",
                    ":3:1:", "symbology belongs to a scan step"},
        BadScenario{"note not a string", "[[step]]\nscan = \"A\"\nnote = 3\n",
                    ":3:8:", "note must be a string"},
        BadScenario{"bad delay", "step_delay_ms = -1\n[[step]]\nscan = \"A\"\n", ":1:17:", "step_delay_ms"},
        BadScenario{"delay not integer", "step_delay_ms = 1.5\n[[step]]\nscan = \"A\"\n",
                    ":1:17:", "step_delay_ms"},
        BadScenario{"step not tables", "step = [1, 2]\n", ":1:8:", "array of tables"},
        BadScenario{"no steps", "step_delay_ms = 10\n", ":1:1:", "no [[step]]"},
        BadScenario{"unknown printer state", "[[step]]\nprinter = \"jammed\"\n",
                    ":2:11:", "printer must be one of"},
        BadScenario{"printer not a string", "[[step]]\nprinter = false\n",
                    ":2:11:", "printer must be one of"}));

} // namespace
} // namespace retour::drivers
