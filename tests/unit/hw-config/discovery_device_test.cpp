// Runs under `umockdev-run -d fixtures/bench.umockdev`: discovery over a simulated sysfs and /dev.
#include "catalogue.h"
#include "discovery.h"

#include <cstdlib>
#include <gtest/gtest.h>

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

TEST_F(Discovery, CataloguedUsbScaleIsNamedFromTheCatalogue)
{
    const auto* scale = byUri(devices, "usb:0922:8003");
    ASSERT_NE(scale, nullptr);
    EXPECT_EQ(scale->kind, "scale");
    EXPECT_EQ(scale->driver, "hid-pos-scale");
    EXPECT_EQ(scale->matchedBy, "catalogue");
    EXPECT_EQ(scale->name, "Dymo M10 postal scale");
}

TEST_F(Discovery, UnknownHidScaleIsRecognisedFromItsDescriptor)
{
    const auto* scale = byUri(devices, "hidraw:/dev/hidraw1");
    ASSERT_NE(scale, nullptr);
    EXPECT_EQ(scale->kind, "scale");
    EXPECT_EQ(scale->matchedBy, "descriptor");
    EXPECT_EQ(scale->name, "Unlisted Shipping Scale");
}

TEST_F(Discovery, KeyboardWedgeScannerIsFoundByItsStableName)
{
    const auto* scanner = byUri(devices, "evdev:/dev/input/by-id/usb-Symbol_Bar_Code_Scanner-event-kbd");
    ASSERT_NE(scanner, nullptr);
    EXPECT_EQ(scanner->kind, "scanner");
    EXPECT_EQ(scanner->driver, "keyboard-wedge");
}

} // namespace
