// Runs under `umockdev-run -d fixtures/bench.umockdev`: discovery over a simulated sysfs and /dev.
#include "catalogue.h"
#include "discovery.h"

#include <array>
#include <cstdlib>
#include <gtest/gtest.h>
#include <string>

namespace {

using namespace retour::hwconfig;

const FoundDevice* byUri(const std::vector<FoundDevice>& devices, const std::string& uri)
{
    for (const auto& d : devices) {
        if (d.uri == uri)
            return &d;
    }
    return nullptr;
}

class Discovery : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if (std::getenv("UMOCKDEV_DIR") == nullptr)
            GTEST_SKIP() << "needs umockdev-run (see tests/unit/hw-config/CMakeLists.txt)";
        devices = discoverDevices(Catalogue::load(Catalogue::defaultFile()));
    }
    std::vector<FoundDevice> devices;
};

// What discovery says of the device named `uri`: {kind, driver, matchedBy, name}.
std::array<std::string, 4> found(const std::vector<FoundDevice>& devices, const std::string& uri)
{
    const auto* device = byUri(devices, uri);
    if (device == nullptr)
        return {"(not found)", "", "", ""};
    return {device->kind, device->driver, device->matchedBy, device->name};
}

using Found = std::array<std::string, 4>;

TEST_F(Discovery, CataloguedUsbScaleIsNamedFromTheCatalogue)
{
    EXPECT_EQ(found(devices, "usb:0922:8003"),
              (Found{"scale", "hid-pos-scale", "catalogue", "Dymo M10 postal scale"}));
}

TEST_F(Discovery, UnknownHidScaleIsRecognisedFromItsDescriptor)
{
    EXPECT_EQ(found(devices, "hidraw:/dev/hidraw1"),
              (Found{"scale", "hid-pos-scale", "descriptor", "Unlisted Shipping Scale"}));
}

TEST_F(Discovery, ZeroSizeUsagePageIsNoScale)
{
    // Its descriptor opens with a Usage Page item without data (page 0), then Usage 0x20.
    EXPECT_EQ(found(devices, "hidraw:/dev/hidraw2"),
              (Found{"unknown", "", "subsystem", "Gadget With An Empty Usage Page"}));
}

TEST_F(Discovery, KeyboardWedgeScannerIsFoundByItsStableName)
{
    const auto* scanner = byUri(devices, "evdev:/dev/input/by-id/usb-Symbol_Bar_Code_Scanner-event-kbd");
    ASSERT_NE(scanner, nullptr);
    EXPECT_EQ(scanner->kind, "scanner");
    EXPECT_EQ(scanner->driver, "keyboard-wedge");
}

} // namespace
