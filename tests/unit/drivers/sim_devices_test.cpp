#include "retour/drivers/device.h"
#include "retour/drivers/sim.h"
#include "tests/support/temp_dir.h"

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

namespace retour::drivers {
namespace {

using namespace std::chrono_literals;
using retour::test::readFile;
using retour::test::TempDir;

std::unique_ptr<InputDevice> makeSim(const std::string& text, SimWorld& world)
{
    auto uri = parseDeviceUri(text);
    EXPECT_TRUE(uri) << (uri ? "" : uri.error().message);
    auto device = makeInputDevice(*uri, DeviceContext{&world});
    EXPECT_TRUE(device) << (device ? "" : device.error().message);
    return device ? std::move(*device) : nullptr;
}

template <class T> std::vector<T> only(const std::vector<DeviceEvent>& events)
{
    std::vector<T> out;
    for (const auto& e : events) {
        if (const auto* t = std::get_if<T>(&e)) {
            out.push_back(*t);
        }
    }
    return out;
}

constexpr const char* kBench = R"(step_delay_ms = 100
[[step]]
scan = "RMA-000101"
symbology = "Code 128"
[[step]]
weigh = 500.0
[[step]]
scan = "]E04006381333931"
[[step]]
clear = true
[[step]]
scan = "LAST"
)";

TEST(SimDevices, StepsComeInFileOrderAcrossDevices)
{
    TempDir dir;
    const auto script = dir.write("bench.toml", kBench).string();
    SimWorld world;
    auto scanner = makeSim("sim:scanner?script=" + script, world);
    auto scale = makeSim("sim:scale?script=" + script, world);
    ASSERT_TRUE(scanner && scale);
    EXPECT_EQ(scanner->kind(), DeviceKind::Scanner);
    EXPECT_EQ(scale->kind(), DeviceKind::Scale);
    EXPECT_FALSE(scanner->isOpen());

    const auto before = Clock::now();
    ASSERT_TRUE(scanner->open());
    ASSERT_TRUE(scale->open());
    EXPECT_TRUE(scanner->isOpen());
    EXPECT_EQ(scanner->fd(), -1);
    EXPECT_EQ(world.total(), 5u);
    EXPECT_EQ(world.delivered(), 0u);

    // Both announce themselves first.
    EXPECT_LE(scanner->nextDeadline(), before);
    auto events = scanner->service(before);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_TRUE(std::holds_alternative<DeviceOnline>(events[0]));
    ASSERT_EQ(scale->service(before).size(), 1u);

    // Step 0 belongs to the scanner: the scale has nothing due, even far in the future.
    EXPECT_EQ(scale->nextDeadline(), Clock::time_point::max());
    EXPECT_TRUE(scale->service(before + 1h).empty());
    const auto firstDue = scanner->nextDeadline();
    EXPECT_GE(firstDue, before + 100ms);
    EXPECT_TRUE(scanner->service(firstDue - 1ms).empty());

    const auto t1 = firstDue + 5ms;
    auto scans = only<Scan>(scanner->service(t1));
    ASSERT_EQ(scans.size(), 1u); // stops at the scale's step
    EXPECT_EQ(scans[0].text, "RMA-000101");
    EXPECT_EQ(scans[0].symbology, "Code 128");
    EXPECT_EQ(world.delivered(), 1u);
    EXPECT_EQ(scanner->nextDeadline(), Clock::time_point::max());

    // Step 1: weigh → one in-motion reading, then the stable one.
    EXPECT_EQ(scale->nextDeadline(), t1 + 100ms);
    EXPECT_TRUE(scale->service(t1 + 99ms).empty());
    const auto t2 = t1 + 100ms;
    auto weights = only<Weight>(scale->service(t2));
    ASSERT_EQ(weights.size(), 2u);
    EXPECT_EQ(weights[0].status, WeightStatus::InMotion);
    EXPECT_FALSE(weights[0].stable);
    EXPECT_EQ(weights[1].status, WeightStatus::Stable);
    EXPECT_TRUE(weights[1].stable);
    EXPECT_DOUBLE_EQ(weights[1].grams, 500.0);
    EXPECT_EQ(weights[1].deviceUnit, "g");

    // Step 2: a scan with an AIM prefix.
    EXPECT_TRUE(scale->service(t2 + 1h).empty());
    const auto t3 = t2 + 150ms;
    scans = only<Scan>(scanner->service(t3));
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "4006381333931");
    EXPECT_EQ(scans[0].aimId, "]E0");
    EXPECT_EQ(scans[0].symbology, "EAN-13");

    // Step 3: clear → a single stable zero.
    const auto t4 = t3 + 100ms;
    weights = only<Weight>(scale->service(t4));
    ASSERT_EQ(weights.size(), 1u);
    EXPECT_EQ(weights[0].status, WeightStatus::Stable);
    EXPECT_DOUBLE_EQ(weights[0].grams, 0.0);
    EXPECT_FALSE(world.finished());

    scans = only<Scan>(scanner->service(t4 + 100ms));
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "LAST");
    EXPECT_TRUE(world.finished());
    EXPECT_EQ(world.delivered(), 5u);
    EXPECT_EQ(scanner->nextDeadline(), Clock::time_point::max());
    EXPECT_EQ(scale->nextDeadline(), Clock::time_point::max());
}

TEST(SimDevices, ConsecutiveStepsOfOneDeviceAreSpacedByTheDelay)
{
    TempDir dir;
    const auto script =
        dir.write("s.toml", "step_delay_ms = 50\n[[step]]\nscan = \"A\"\n[[step]]\nscan = \"B\"\n");
    SimWorld world;
    auto scanner = makeSim("sim:scanner?script=" + script.string(), world);
    ASSERT_TRUE(scanner && scanner->open());
    scanner->service(Clock::now());
    const auto t = scanner->nextDeadline() + 1ms;
    auto scans = only<Scan>(scanner->service(t));
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "A");
    EXPECT_EQ(scanner->nextDeadline(), t + 50ms);
    scans = only<Scan>(scanner->service(t + 50ms));
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "B");
}

TEST(SimDevices, SameFileSharesOneCursorHoweverItIsSpelled)
{
    TempDir dir;
    const auto script =
        dir.write("s.toml", "step_delay_ms = 0\n[[step]]\nscan = \"A\"\n[[step]]\nscan = \"B\"\n");
    SimWorld world;
    auto first = makeSim("sim:scanner?script=" + script.string(), world);
    auto second = makeSim("sim:scanner?script=" + (dir.path() / "." / "s.toml").string(), world);
    ASSERT_TRUE(first && second && first->open() && second->open());
    const auto now = Clock::now() + 1s;
    EXPECT_EQ(only<Scan>(first->service(now)).size(), 2u);
    EXPECT_TRUE(only<Scan>(second->service(now)).empty());
    EXPECT_EQ(world.total(), 2u);
    EXPECT_TRUE(world.finished());
}

TEST(SimDevices, CloseAndReopenContinuesTheScenario)
{
    TempDir dir;
    const auto script = dir.write(
        "s.toml", "step_delay_ms = 0\n[[step]]\nscan = \"A\"\n[[step]]\nweigh = 3\n[[step]]\nscan = \"B\"\n");
    SimWorld world;
    auto scanner = makeSim("sim:scanner?script=" + script.string(), world);
    auto scale = makeSim("sim:scale?script=" + script.string(), world);
    ASSERT_TRUE(scanner->open() && scale->open());
    const auto now = Clock::now() + 1s;
    EXPECT_EQ(only<Scan>(scanner->service(now)).size(), 1u);
    scanner->close();
    EXPECT_FALSE(scanner->isOpen());
    EXPECT_TRUE(scanner->service(now).empty());
    EXPECT_EQ(only<Weight>(scale->service(now)).size(), 2u);
    ASSERT_TRUE(scanner->open());
    const auto events = scanner->service(now + 1s);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_TRUE(std::holds_alternative<DeviceOnline>(events[0]));
    EXPECT_EQ(std::get<Scan>(events[1]).text, "B");
}

TEST(SimDevices, BrokenScenarioFailsOpenWithFileAndLine)
{
    TempDir dir;
    const auto script = dir.write("bad.toml", "[[step]]\nscan = \"A\"\nbeep = true\n");
    SimWorld world;
    auto scanner = makeSim("sim:scanner?script=" + script.string(), world);
    ASSERT_TRUE(scanner);
    const auto opened = scanner->open();
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error().message.find(script.string() + ":3:1: unknown key 'beep'"), std::string::npos)
        << opened.error().message;
    EXPECT_FALSE(scanner->isOpen());
}

TEST(SimDevices, NeedASimWorldAndAScript)
{
    const auto uri = parseDeviceUri("sim:scanner?script=x.toml");
    ASSERT_TRUE(uri);
    const auto noWorld = makeInputDevice(*uri, DeviceContext{});
    ASSERT_FALSE(noWorld);
    EXPECT_NE(noWorld.error().message.find("SimWorld"), std::string::npos);

    SimWorld world;
    const auto noScript = makeInputDevice(*parseDeviceUri("sim:scale"), DeviceContext{&world});
    ASSERT_FALSE(noScript);
    EXPECT_EQ(noScript.error().code, ErrorCode::InvalidUri);
    EXPECT_NE(noScript.error().message.find("script=FILE"), std::string::npos);
}

TEST(SimPrinter, WritesEachJobOnceAtomically)
{
    TempDir dir;
    const auto out = dir.path() / "labels";
    auto uri = parseDeviceUri("sim:printer?out=" + out.string());
    ASSERT_TRUE(uri);
    auto printer = makeLabelPrinter(*uri, DeviceContext{});
    ASSERT_TRUE(printer) << printer.error().message;
    const auto status = (*printer)->status();
    ASSERT_TRUE(status);
    EXPECT_TRUE(status->ready);

    ASSERT_TRUE((*printer)->print(LabelJob{"job-1", "^XA^FDone^FS^XZ"}));
    EXPECT_EQ(readFile(out / "job-1.zpl"), "^XA^FDone^FS^XZ");
    // Same id again: not printed twice, even with other content.
    ASSERT_TRUE((*printer)->print(LabelJob{"job-1", "^XA^FDother^FS^XZ"}));
    EXPECT_EQ(readFile(out / "job-1.zpl"), "^XA^FDone^FS^XZ");
    ASSERT_TRUE((*printer)->print(LabelJob{"job-2", "^XA^FDtwo^FS^XZ"}));
    EXPECT_EQ(readFile(out / "job-2.zpl"), "^XA^FDtwo^FS^XZ");

    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(out)) {
        EXPECT_EQ(entry.path().extension(), ".zpl") << entry.path(); // no temporary left behind
        ++files;
    }
    EXPECT_EQ(files, 2u);

    // A new printer object on the same directory sees the label already there.
    auto again = makeLabelPrinter(*uri, DeviceContext{});
    ASSERT_TRUE(again && (*again)->print(LabelJob{"job-2", "^XA^FDchanged^FS^XZ"}));
    EXPECT_EQ(readFile(out / "job-2.zpl"), "^XA^FDtwo^FS^XZ");
}

TEST(SimPrinter, RefusesUnsafeIdsAndSimulatedFaults)
{
    TempDir dir;
    auto printer =
        makeLabelPrinter(*parseDeviceUri("sim:printer?out=" + dir.path().string()), DeviceContext{});
    ASSERT_TRUE(printer);
    for (const char* id : {"../escape", "", ".hidden", "a/b"}) {
        const auto r = (*printer)->print(LabelJob{id, "^XA^XZ"});
        ASSERT_FALSE(r) << id;
        EXPECT_EQ(r.error().code, ErrorCode::Refused);
    }

    auto paperOut = makeLabelPrinter(
        *parseDeviceUri("sim:printer?out=" + dir.path().string() + "&status=paper-out"), DeviceContext{});
    ASSERT_TRUE(paperOut);
    const auto status = (*paperOut)->status();
    ASSERT_TRUE(status);
    EXPECT_FALSE(status->ready);
    EXPECT_TRUE(status->paperOut);
    const auto refused = (*paperOut)->print(LabelJob{"job-9", "^XA^XZ"});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::Refused);
    EXPECT_NE(refused.error().message.find("paper out"), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "job-9.zpl"));
}

// A scenario's printer steps take a sim:printer playing the same file offline and back, in file
// order, delivered by the input device servicing the scenario (the printer has no clock).
TEST(SimPrinter, FollowsTheScenarioPrinterSteps)
{
    TempDir dir;
    const auto script = dir.write("bench.toml", R"(step_delay_ms = 10
[[step]]
scan = "A"
[[step]]
printer = "head-open"
[[step]]
scan = "B"
[[step]]
printer = "ready"
[[step]]
scan = "C"
)")
                            .string();
    SimWorld world;
    auto scanner = makeSim("sim:scanner?script=" + script, world);
    ASSERT_TRUE(scanner && scanner->open());
    auto printer = makeLabelPrinter(
        *parseDeviceUri("sim:printer?out=" + (dir.path() / "labels").string() + "&script=" + script),
        DeviceContext{&world});
    ASSERT_TRUE(printer) << printer.error().message;
    EXPECT_EQ(world.total(), 5u);

    auto now = Clock::now();
    auto step = [&] {
        now += 20ms;
        return only<Scan>(scanner->service(now));
    };
    scanner->service(now); // announcement
    now = scanner->nextDeadline();
    auto scans = only<Scan>(scanner->service(now));
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "A");
    EXPECT_TRUE((*printer)->status()->ready);
    ASSERT_TRUE((*printer)->print(LabelJob{"before", "^XA^XZ"}));

    // The printer step and the next scan are each one delay apart.
    EXPECT_TRUE(step().empty());
    EXPECT_FALSE((*printer)->status()->ready);
    EXPECT_TRUE((*printer)->status()->headOpen);
    const auto refused = (*printer)->print(LabelJob{"held", "^XA^XZ"});
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("head open"), std::string::npos) << refused.error().message;
    scans = step();
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "B");
    EXPECT_FALSE((*printer)->status()->ready);

    EXPECT_TRUE(step().empty());
    EXPECT_TRUE((*printer)->status()->ready);
    ASSERT_TRUE((*printer)->print(LabelJob{"held", "^XA^XZ"}));
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "labels" / "held.zpl"));
    scans = step();
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "C");
    EXPECT_TRUE(world.finished());
}

TEST(SimPrinter, ScriptNeedsASimWorldAndAGoodFile)
{
    TempDir dir;
    const auto out = dir.path().string();
    auto noWorld =
        makeLabelPrinter(*parseDeviceUri("sim:printer?out=" + out + "&script=x.toml"), DeviceContext{});
    ASSERT_FALSE(noWorld);
    EXPECT_NE(noWorld.error().message.find("SimWorld"), std::string::npos);
    SimWorld world;
    auto missing =
        makeLabelPrinter(*parseDeviceUri("sim:printer?out=" + out + "&script=" + out + "/missing.toml"),
                         DeviceContext{&world});
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("missing.toml"), std::string::npos) << missing.error().message;
}

} // namespace
} // namespace retour::drivers
