// A serial scale unplugged and plugged back in at another /dev node is found again through its
// stable /dev/serial/by-id name (docs/protocols/serial-scales.md §5): the same device object, re-opened after
// it went offline, comes back online on the new node. The bench is an in-process umockdev testbed (the test
// runs under umockdev-wrapper), so the test can remove the tty and add it again while the driver
// lives; the scale's side is a umockdev script per node.
#include "retour/drivers/device.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <poll.h>
#include <string>
#include <umockdev.h>
#include <unistd.h>
#include <vector>

namespace retour::drivers {
namespace {

using namespace std::chrono_literals;

constexpr const char* kById = "/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A1B2C3D4-if00-port0";

// One FTDI tty at /dev/<node> (major 188, minor `minor`) with the by-id link of the same adapter.
std::string ttyDescription(const std::string& node, int minor)
{
    return "P: /devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0/" + node + "/tty/" + node + "\nN: " + node +
           "\nS: serial/by-id/usb-FTDI_FT232R_USB_UART_A1B2C3D4-if00-port0\nE: DEVNAME=/dev/" + node +
           "\nE: SUBSYSTEM=tty\nE: ID_VENDOR_ID=0403\nE: ID_MODEL_ID=6001\nE: ID_SERIAL_SHORT=A1B2C3D4\nA: "
           "dev=188:" +
           std::to_string(minor) + "\n";
}

// An MT-SICS balance (docs/protocols/serial-scales.md §1) that answers @ and one SI with `grams`, then falls
// silent.
std::string balanceScript(int grams)
{
    return "w 0 @^M^J\nr 10 I4 A \"A1B2C3D4\"^M^J\nw 0 SI^M^J\nr 10 S S " + std::to_string(grams) +
           ".00 g^M^J\n";
}

class Replug : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if (std::getenv("LD_PRELOAD") == nullptr ||
            std::string(std::getenv("LD_PRELOAD")).find("umockdev") == std::string::npos) {
            GTEST_SKIP() << "runs under umockdev-wrapper (see tests/devices/CMakeLists.txt)";
        }
        testbed_ = umockdev_testbed_new();
        dir_ = std::filesystem::temp_directory_path() / ("retour-replug-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override
    {
        if (testbed_ != nullptr) {
            g_object_unref(testbed_);
        }
        std::filesystem::remove_all(dir_);
    }

    // Adds the adapter as /dev/<node> with the balance's script behind it; returns its sysfs path.
    std::string plug(const std::string& node, int minor, int grams)
    {
        GError* error = nullptr;
        EXPECT_TRUE(umockdev_testbed_add_from_string(testbed_, ttyDescription(node, minor).c_str(), &error))
            << (error != nullptr ? error->message : "");
        const auto script = dir_ / (node + ".script");
        std::ofstream(script) << balanceScript(grams);
        EXPECT_TRUE(umockdev_testbed_load_script(testbed_, ("/dev/" + node).c_str(), script.c_str(), &error))
            << (error != nullptr ? error->message : "");
        if (error != nullptr) {
            g_error_free(error);
        }
        return "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0/" + node + "/tty/" + node;
    }

    // Drives the device as the station loop does until `until` is seen or 10 s pass.
    static std::vector<std::string> drive(InputDevice& device, const std::string& until)
    {
        std::vector<std::string> seen;
        const auto giveUp = Clock::now() + 10s;
        while (Clock::now() < giveUp && device.isOpen()) {
            const auto wait = std::chrono::ceil<std::chrono::milliseconds>(
                std::min(device.nextDeadline(), giveUp) - Clock::now());
            pollfd p{device.fd(), POLLIN, 0};
            ::poll(&p, 1, static_cast<int>(std::max<long long>(0, wait.count())));
            for (const auto& event : device.service(Clock::now())) {
                if (std::holds_alternative<DeviceOnline>(event)) {
                    seen.push_back("online " + std::get<DeviceOnline>(event).description);
                } else if (const auto* weight = std::get_if<Weight>(&event)) {
                    seen.push_back("weight " + std::to_string(static_cast<int>(weight->grams)));
                } else if (std::holds_alternative<DeviceOffline>(event)) {
                    seen.push_back("offline");
                }
                if (seen.back().rfind(until, 0) == 0) {
                    return seen;
                }
            }
        }
        return seen;
    }

    UMockdevTestbed* testbed_ = nullptr;
    std::filesystem::path dir_;
};

TEST_F(Replug, ScaleComesBackOnANewNodeThroughItsByIdName)
{
    const std::string first = plug("ttyUSB0", 0, 100);
    const auto uri =
        parseDeviceUri(std::string("tty:") + kById + "?protocol=mt-sics&poll_ms=20&timeout_ms=300&missed=2");
    ASSERT_TRUE(uri) << uri.error().message;
    auto device = makeInputDevice(*uri, DeviceContext{});
    ASSERT_TRUE(device) << device.error().message;

    ASSERT_TRUE((*device)->open());
    auto seen = drive(**device, "weight");
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_NE(seen[0].find("/dev/serial/by-id/"), std::string::npos) << seen[0];
    EXPECT_EQ(seen[1], "weight 100");

    // Unplugged: the balance falls silent and the adapter's node goes away.
    EXPECT_EQ(drive(**device, "offline").back(), "offline");
    umockdev_testbed_remove_device(testbed_, first.c_str());
    // udev removes the device's links with it; umockdev 0.17's remove_device leaves them dangling.
    gchar* root = umockdev_testbed_get_root_dir(testbed_);
    std::filesystem::remove(std::string(root) + kById);
    g_free(root);
    EXPECT_FALSE((*device)->open()) << "nothing behind the by-id name while unplugged";

    // Plugged back in, enumerated as ttyUSB1 this time: the same name finds it.
    plug("ttyUSB1", 1, 250);
    ASSERT_TRUE(std::filesystem::exists(kById));
    EXPECT_EQ(std::filesystem::read_symlink(kById).filename(), "ttyUSB1");
    const auto reopened = (*device)->open();
    ASSERT_TRUE(reopened) << reopened.error().message;
    seen = drive(**device, "weight");
    ASSERT_EQ(seen.size(), 2u) << (seen.empty() ? "" : seen.back());
    EXPECT_EQ(seen[0].rfind("online", 0), 0u);
    EXPECT_EQ(seen[1], "weight 250");
}

// The DYMO M10 of tests/devices/usb-scale at bus 1 address `address`.
std::string scaleDescription(int address)
{
    char node[32];
    std::snprintf(node, sizeof node, "bus/usb/001/%03d", address);
    const std::string descriptors =
        "1201000200000008220903800001010203010902220001010080320904000001030000000921100100"
        "012260000705810306000A";
    return std::string("P: /devices/pci0000:00/0000:00:14.0/usb1/1-") + std::to_string(address) +
           "\nN: " + node + "=" + descriptors + "\nE: BUSNUM=001\nE: DEVNAME=/dev/" + node +
           "\nE: DEVNUM=" + std::string(node + 12) +
           "\nE: DEVTYPE=usb_device\nE: DRIVER=usb\nE: ID_BUS=usb\nE: ID_MODEL_ID=8003\nE: "
           "ID_VENDOR_ID=0922\n"
           "E: SUBSYSTEM=usb\nA: bConfigurationValue=1\nA: bDeviceClass=00\nA: bNumConfigurations=1\n"
           "A: bNumInterfaces= 1\nA: busnum=1\nH: descriptors=" +
           descriptors + "\nA: devnum=" + std::to_string(address) +
           "\nA: devpath=" + std::to_string(address) + "\nA: idProduct=8003\nA: idVendor=0922\nA: speed=12\n";
}

TEST_F(Replug, UsbScaleIsFoundAgainByVidPidAtANewBusAddress)
{
    const auto replay = std::filesystem::path(RETOUR_DEVICES_DIR) / "usb-scale/dymo-m10-session.ioctl";
    GError* error = nullptr;
    ASSERT_TRUE(umockdev_testbed_add_from_string(testbed_, scaleDescription(5).c_str(), &error));
    ASSERT_TRUE(umockdev_testbed_load_ioctl(testbed_, "/dev/bus/usb/001/005", replay.c_str(), &error))
        << error->message;

    const auto uri = parseDeviceUri("usb:0922:8003");
    ASSERT_TRUE(uri);
    auto device = makeInputDevice(*uri, DeviceContext{});
    ASSERT_TRUE(device) << device.error().message;
    ASSERT_TRUE((*device)->open());
    auto seen = drive(**device, "weight");
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_NE(seen[0].find("usb bus 1 address 5"), std::string::npos) << seen[0];

    // Unplugged (the station closes a device that went offline), then enumerated again at
    // address 9: opening by VID:PID finds it there.
    (*device)->close();
    umockdev_testbed_remove_device(testbed_, "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-5");
    EXPECT_FALSE((*device)->open()) << "no scale while unplugged";
    ASSERT_TRUE(umockdev_testbed_add_from_string(testbed_, scaleDescription(9).c_str(), &error));
    ASSERT_TRUE(umockdev_testbed_load_ioctl(testbed_, "/dev/bus/usb/001/009", replay.c_str(), &error))
        << error->message;
    const auto reopened = (*device)->open();
    ASSERT_TRUE(reopened) << reopened.error().message;
    seen = drive(**device, "weight");
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_NE(seen[0].find("usb bus 1 address 9"), std::string::npos) << seen[0];
    EXPECT_EQ(seen[1], "weight 0") << "the replay's first reading after the stale one";
    (*device)->close();
}

} // namespace
} // namespace retour::drivers
