#include "retour/drivers/device.h"
#include "retour/drivers/scale_control.h"

#include <gtest/gtest.h>

namespace retour::drivers {
namespace {

Result<std::unique_ptr<InputDevice>> make(const std::string& text)
{
    auto uri = parseDeviceUri(text);
    if (!uri) {
        return std::unexpected(uri.error());
    }
    return makeInputDevice(*uri, DeviceContext{});
}

TEST(SerialFactory, BuildsScalesAndScannersClosed)
{
    for (const char* text :
         {"tty:/dev/ttyUSB0?protocol=mt-sics",
          "tty:/dev/ttyUSB0?protocol=mt-sics&baud=9600&frame=8N1&flow=rtscts",
          "tty:/dev/ttyS0?protocol=sma&mode=stream&poll_ms=100&timeout_ms=500&missed=5",
          "tty:/dev/ttyS0?protocol=nci&frame=7E1", "tcp:192.0.2.10:4001?protocol=mt-sics&mode=stream",
          "tcp:[2001:db8::1]:4001?protocol=sma",
          "tty:/dev/ttyUSB0?protocol=mt-sics&stable=agree&agree_count=5&agree_window_g=0.5",
          "tty:/dev/ttyACM0?protocol=serial-scanner&prefix=%02&suffix=%0D%0A&idle_ms=80&gs=%3CGS%3E&aim=0",
          "tty:/dev/ttyACM0?protocol=serial-scanner&suffix=&idle_ms=50", "hidraw:/dev/hidraw7?stable=both",
          "usb:0922:8003?stable=agree&agree_count=4&agree_window_g=1.5"}) {
        auto device = make(text);
        ASSERT_TRUE(device) << text << ": " << device.error().message;
        EXPECT_FALSE((*device)->isOpen());
        EXPECT_EQ((*device)->fd(), -1);
    }
    auto scale = make("tty:/dev/ttyUSB0?protocol=mt-sics");
    EXPECT_EQ((*scale)->kind(), DeviceKind::Scale);
    EXPECT_NE(scaleControl(**scale), nullptr);
    auto scanner = make("tty:/dev/ttyACM0?protocol=serial-scanner");
    EXPECT_EQ((*scanner)->kind(), DeviceKind::Scanner);
    EXPECT_EQ(scaleControl(**scanner), nullptr);
}

TEST(SerialFactory, RejectsBadParametersNamingThem)
{
    const std::pair<const char*, const char*> cases[] = {
        {"tty:/dev/ttyUSB0?protocol=mt-sics&baud=9601", "baud=9601"},
        {"tty:/dev/ttyUSB0?protocol=mt-sics&frame=9N1", "frame=9N1"},
        {"tty:/dev/ttyUSB0?protocol=mt-sics&frame=8X1", "frame=8X1"},
        {"tty:/dev/ttyUSB0?protocol=mt-sics&flow=maybe", "flow=maybe"},
        {"tty:/dev/ttyUSB0?protocol=mt-sics&poll_ms=1", "poll_ms=1"},
        {"tty:/dev/ttyUSB0?protocol=mt-sics&mode=push", "mode=push"},
        {"tty:/dev/ttyUSB0?protocol=nci&mode=stream", "NCI"},
        {"tty:/dev/ttyUSB0?protocol=mt-sics&stable=maybe", "stable=maybe"},
        {"tty:/dev/ttyUSB0?protocol=mt-sics&agree_window_g=abc", "agree_window_g=abc"},
        {"tty:/dev/ttyUSB0?protocol=mt-sics&agree_count=0", "agree_count=0"},
        {"tty:/dev/ttyUSB0?protocol=mt-sics&bauds=9600", "bauds"},
        {"tcp:192.0.2.1:4001?protocol=mt-sics&baud=9600", "baud"},
        {"tty:/dev/ttyACM0?protocol=serial-scanner&suffix=&idle_ms=0", "idle_ms"},
        {"tty:/dev/ttyACM0?protocol=serial-scanner&gs=", "gs="},
        {"tty:/dev/ttyACM0?protocol=serial-scanner&aim=2", "aim=2"},
        {"hidraw:/dev/hidraw0?stable=sometimes", "stable=sometimes"},
        {"usb:0922:8003?agree_window_g=-1", "agree_window_g=-1"},
    };
    for (const auto& [text, named] : cases) {
        auto device = make(text);
        ASSERT_FALSE(device) << text;
        EXPECT_EQ(device.error().code, ErrorCode::InvalidUri) << text;
        EXPECT_NE(device.error().message.find(named), std::string::npos) << device.error().message;
    }
}

} // namespace
} // namespace retour::drivers
