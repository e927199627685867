// Replays one device capture through the real driver and compares the events with a golden .chk
// file, as gpsd's regress-driver does with its device logs (docs/protocols/testing-without-hardware.md §8).
//
//   device_replay FILE.chk        (run under umockdev-run; see tests/devices/CMakeLists.txt)
//
// The .chk file starts with '#' header lines; "# uri: …" names the device to open through
// makeInputDevice. Every other line is one expected event, in order (format: formatEvent()).

#include "retour/drivers/device.h"
#include "retour/drivers/scale_control.h"

#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <poll.h>
#include <string>
#include <vector>

namespace retour::drivers {
namespace {

using namespace std::chrono_literals;

std::string gChkFile; // set by main() from the command line

std::string escape(const std::string& text)
{
    std::string out;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7F || c == '"' || c == '\\') {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += ch;
        }
    }
    return out;
}

std::string formatEvent(const DeviceEvent& event)
{
    if (const auto* scan = std::get_if<Scan>(&event)) {
        std::string line = "scan aim=\"" + escape(scan->aimId) + "\" symbology=\"" + escape(scan->symbology) +
                           "\" text=\"" + escape(scan->text) + "\" raw=\"" + escape(scan->raw) + "\"";
        // GS1 scans show their application identifiers in human-readable form, "(01)…(10)…", and a
        // scan announced as GS1 that does not parse shows why (docs/protocols/scanners.md §5).
        if (!scan->gs1.empty()) {
            std::string hri;
            for (const auto& element : scan->gs1) {
                hri += "(" + element.ai + ")" + element.value;
            }
            line += " gs1=\"" + escape(hri) + "\"";
        }
        if (!scan->gs1Error.empty()) {
            line += " gs1-error=\"" + escape(scan->gs1Error) + "\"";
        }
        return line;
    }
    if (const auto* w = std::get_if<Weight>(&event)) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "weight status=%s stable=%s grams=%.3f value=%g unit=%s",
                      toString(w->status), w->stable ? "yes" : "no", w->grams, w->deviceValue,
                      w->deviceUnit.c_str());
        return buf;
    }
    if (const auto* zero = std::get_if<ZeroResult>(&event)) {
        return zero->ok ? std::string("zero ok") : "zero refused reason=\"" + escape(zero->reason) + "\"";
    }
    if (const auto* tare = std::get_if<TareResult>(&event)) {
        if (!tare->ok) {
            return "tare refused reason=\"" + escape(tare->reason) + "\"";
        }
        if (!tare->grams) {
            return "tare ok";
        }
        char buf[120];
        std::snprintf(buf, sizeof buf, "tare ok grams=%.3f value=%g unit=%s", *tare->grams, tare->deviceValue,
                      tare->deviceUnit.c_str());
        return buf;
    }
    if (std::holds_alternative<DeviceOnline>(event)) {
        return "online";
    }
    if (std::holds_alternative<DeviceOffline>(event)) {
        return "offline";
    }
    return "other";
}

struct Golden
{
    std::string uri;
    std::vector<std::string> events;
    // "# control: zero|tare|clear-tare" lines: scale commands sent one after each weight event, in
    // order (ScaleControl), so their answers appear in the events.
    std::vector<std::string> controls;
};

Golden readGolden(const std::string& file)
{
    Golden golden;
    std::ifstream in(file);
    EXPECT_TRUE(in) << "cannot read " << file;
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("# uri: ", 0) == 0) {
            golden.uri = line.substr(7);
        } else if (line.rfind("# control: ", 0) == 0) {
            golden.controls.push_back(line.substr(11));
        } else if (!line.empty() && line[0] != '#') {
            golden.events.push_back(line);
        }
    }
    return golden;
}

TEST(DeviceReplay, EventsMatchTheGoldenFile)
{
    if (gChkFile.empty()) {
        GTEST_SKIP() << "give a .chk file; ctest runs this under umockdev-run";
    }
    const Golden golden = readGolden(gChkFile);
    ASSERT_FALSE(golden.uri.empty()) << gChkFile << " has no '# uri: ' header";
    ASSERT_FALSE(golden.events.empty());

    const auto uri = parseDeviceUri(golden.uri);
    ASSERT_TRUE(uri) << uri.error().message;
    auto device = makeInputDevice(*uri, DeviceContext{});
    ASSERT_TRUE(device) << device.error().message;
    const auto opened = (*device)->open();
    ASSERT_TRUE(opened) << opened.error().message;

    // Drive the device the way the station loop does: poll its fd up to its next deadline.
    std::vector<std::string> seen;
    std::size_t nextControl = 0;
    const auto giveUp = Clock::now() + 20s;
    while (seen.size() < golden.events.size() && Clock::now() < giveUp) {
        const auto now = Clock::now();
        const auto deadline = std::min((*device)->nextDeadline(), giveUp);
        const int timeout =
            deadline <= now
                ? 0
                : static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count());
        pollfd p{(*device)->fd(), POLLIN, 0};
        ::poll(&p, p.fd >= 0 ? 1 : 0, timeout);
        for (const auto& event : (*device)->service(Clock::now())) {
            // A USB replay starts over when it runs out of records, and a loaded machine can hand
            // over a whole round at once: what follows the golden events is not compared.
            if (seen.size() == golden.events.size()) {
                break;
            }
            seen.push_back(formatEvent(event));
            if (std::holds_alternative<Weight>(event) && nextControl < golden.controls.size()) {
                auto* scale = scaleControl(**device);
                ASSERT_NE(scale, nullptr) << golden.uri << " is not a scale with controls";
                const std::string& control = golden.controls[nextControl++];
                const auto sent = control == "zero" ? scale->zero() : scale->tare(control == "clear-tare");
                ASSERT_TRUE(sent) << control << ": " << sent.error().message;
            }
        }
        if (!(*device)->isOpen()) {
            break;
        }
    }
    (*device)->close();

    std::string produced;
    for (const auto& line : seen) {
        produced += line + "\n";
    }
    ASSERT_EQ(seen.size(), golden.events.size()) << "produced:\n" << produced;
    for (std::size_t i = 0; i < seen.size(); ++i) {
        EXPECT_EQ(seen[i], golden.events[i]) << "event " << i << "; produced:\n" << produced;
    }
}

} // namespace
} // namespace retour::drivers

int main(int argc, char** argv)
{
    testing::InitGoogleTest(&argc, argv);
    if (argc > 1) {
        retour::drivers::gChkFile = argv[1];
    }
    return RUN_ALL_TESTS();
}
