#include "retour/drivers/device_uri.h"

#include <gtest/gtest.h>

namespace retour::drivers {
namespace {

DeviceUri parseOk(std::string_view text)
{
    auto uri = parseDeviceUri(text);
    EXPECT_TRUE(uri.has_value()) << (uri ? "" : uri.error().message);
    return uri.value_or(DeviceUri{});
}

TEST(DeviceUri, UsbWithSerial)
{
    const auto uri = parseOk("usb:0922:8003?serial=ABC%20123");
    EXPECT_EQ(uri.scheme, "usb");
    EXPECT_EQ(uri.target, "0922:8003");
    EXPECT_EQ(uri.param("serial"), "ABC 123");
    EXPECT_EQ(uri.text, "usb:0922:8003?serial=ABC%20123");
    const auto id = uri.usbId();
    ASSERT_TRUE(id);
    EXPECT_EQ(id->vendor, 0x0922u);
    EXPECT_EQ(id->product, 0x8003u);
    EXPECT_EQ(kindOf(uri), DeviceKind::Unknown);
}

TEST(DeviceUri, UsbHexIsCaseInsensitive)
{
    const auto id = parseOk("usb:0EB8:f000").usbId();
    ASSERT_TRUE(id);
    EXPECT_EQ(id->vendor, 0x0eb8u);
    EXPECT_EQ(id->product, 0xf000u);
}

TEST(DeviceUri, DevicePaths)
{
    EXPECT_EQ(parseOk("hidraw:/dev/hidraw3").target, "/dev/hidraw3");
    const auto evdev = parseOk("evdev:/dev/input/by-id/usb-Symbol_Bar_Code_Scanner-event-kbd?gs=%3CGS%3E");
    EXPECT_EQ(evdev.target, "/dev/input/by-id/usb-Symbol_Bar_Code_Scanner-event-kbd");
    EXPECT_EQ(evdev.param("gs"), "<GS>");
    EXPECT_EQ(kindOf(evdev), DeviceKind::Unknown);
    EXPECT_EQ(kindOf(parseOk("usblp:/dev/usb/lp0")), DeviceKind::Printer);
}

TEST(DeviceUri, TtyWithProtocol)
{
    const auto uri = parseOk("tty:/dev/serial/by-id/usb-FTDI-if00?protocol=mt-sics&baud=9600&frame=8N1");
    EXPECT_EQ(uri.target, "/dev/serial/by-id/usb-FTDI-if00");
    EXPECT_EQ(uri.param("protocol"), "mt-sics");
    EXPECT_EQ(uri.intParam("baud", 0), 9600);
    EXPECT_EQ(uri.param("frame"), "8N1");
    EXPECT_EQ(kindOf(uri), DeviceKind::Scale);
    EXPECT_EQ(kindOf(parseOk("tty:/dev/ttyACM0?protocol=serial-scanner")), DeviceKind::Scanner);
}

TEST(DeviceUri, TcpPrinter)
{
    const auto uri = parseOk("tcp:192.0.2.10:9100?protocol=zpl&timeout_ms=1500");
    EXPECT_EQ(kindOf(uri), DeviceKind::Printer);
    const auto hp = uri.hostPort();
    ASSERT_TRUE(hp);
    EXPECT_EQ(hp->host, "192.0.2.10");
    EXPECT_EQ(hp->port, 9100);
    EXPECT_EQ(uri.intParam("timeout_ms", 3000), 1500);
    EXPECT_EQ(uri.intParam("missing", 3000), 3000);
}

TEST(DeviceUri, TcpHostNameAndIpv6)
{
    EXPECT_EQ(parseOk("tcp:zebra-1.bench.example:9100?protocol=zpl").hostPort()->host,
              "zebra-1.bench.example");
    const auto v6 = parseOk("tcp:[2001:db8::10]:4001?protocol=mt-sics").hostPort();
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->host, "2001:db8::10");
    EXPECT_EQ(v6->port, 4001);
}

TEST(DeviceUri, Cameras)
{
    const auto v4l2 = parseOk("v4l2:/dev/video0?width=1920&height=1080&fourcc=MJPG");
    EXPECT_EQ(kindOf(v4l2), DeviceKind::Camera);
    EXPECT_EQ(v4l2.intParam("width", 0), 1920);
    EXPECT_EQ(parseOk("v4l2:0").target, "0");

    const auto rtsp = parseOk("rtsp://cam.example/stream1?channel=2");
    EXPECT_EQ(rtsp.scheme, "rtsp");
    EXPECT_EQ(rtsp.target, "rtsp://cam.example/stream1?channel=2");
    EXPECT_TRUE(rtsp.params.empty());
    EXPECT_EQ(kindOf(rtsp), DeviceKind::Camera);

    EXPECT_EQ(parseOk("http://cam.example/video.mjpg").target, "http://cam.example/video.mjpg");

    const auto gst = parseOk("gst:videotestsrc num-buffers=3 ! video/x-raw,format=BGR ! appsink name=a?b&c");
    EXPECT_EQ(gst.target, "videotestsrc num-buffers=3 ! video/x-raw,format=BGR ! appsink name=a?b&c");
    EXPECT_TRUE(gst.params.empty());
    EXPECT_EQ(kindOf(gst), DeviceKind::Camera);

    const auto file = parseOk("file:/data/frames/frame_%03d.png?loop=1");
    EXPECT_EQ(file.target, "/data/frames/frame_%03d.png"); // the target is not percent-decoded
    EXPECT_EQ(file.param("loop"), "1");
    EXPECT_EQ(kindOf(file), DeviceKind::Camera);
}

TEST(DeviceUri, SimKinds)
{
    EXPECT_EQ(kindOf(parseOk("sim:scanner?script=demo/bench.toml")), DeviceKind::Scanner);
    EXPECT_EQ(kindOf(parseOk("sim:scale?script=demo/bench.toml")), DeviceKind::Scale);
    EXPECT_EQ(kindOf(parseOk("sim:printer?out=/tmp/labels")), DeviceKind::Printer);
}

TEST(DeviceUri, SchemeIsCaseInsensitive)
{
    EXPECT_EQ(parseOk("USB:0922:8003").scheme, "usb");
}

TEST(DeviceUri, PercentDecodingOfValues)
{
    const auto uri = parseOk("evdev:/dev/input/event3?gs=%1d&x=a%2Bb+c%25");
    EXPECT_EQ(uri.param("gs"), std::string(1, '\x1d'));
    EXPECT_EQ(uri.param("x"), "a+b+c%"); // '+' is not a space: this is not form encoding
}

TEST(DeviceUri, EncodedValuesRoundTrip)
{
    const std::string value = "<GS> a&b=c?%/\x1d\xc3\xa9";
    const std::string encoded = encodeUriValue(value);
    EXPECT_EQ(encoded.find_first_of("&=? "), std::string::npos) << encoded;
    EXPECT_EQ(encodeUriValue("<GS>"), "%3CGS%3E");
    const auto uri = parseOk("evdev:/dev/input/event3?gs=" + encoded);
    EXPECT_EQ(uri.param("gs"), value);
}

TEST(DeviceUri, IntParamRejectsGarbage)
{
    const auto uri = parseOk("tcp:127.0.0.1:9100?protocol=zpl&timeout_ms=3s");
    const auto value = uri.intParam("timeout_ms", 3000);
    ASSERT_FALSE(value);
    EXPECT_EQ(value.error().code, ErrorCode::InvalidUri);
    EXPECT_NE(value.error().message.find("timeout_ms='3s' is not an integer"), std::string::npos);
    EXPECT_NE(value.error().message.find("tcp:127.0.0.1:9100"), std::string::npos);
}

TEST(DeviceUri, KindNames)
{
    EXPECT_STREQ(toString(DeviceKind::Scanner), "scanner");
    EXPECT_STREQ(toString(DeviceKind::Scale), "scale");
    EXPECT_STREQ(toString(DeviceKind::Printer), "printer");
    EXPECT_STREQ(toString(DeviceKind::Camera), "camera");
    EXPECT_STREQ(toString(DeviceKind::Unknown), "unknown");
}

struct BadUri
{
    const char* text;
    const char* expected; // part of the message
};

class BadDeviceUri : public testing::TestWithParam<BadUri>
{};

TEST_P(BadDeviceUri, IsRefusedWithAClearOneLineMessage)
{
    const auto& bad = GetParam();
    const auto uri = parseDeviceUri(bad.text);
    ASSERT_FALSE(uri) << bad.text << " was accepted";
    EXPECT_EQ(uri.error().code, ErrorCode::InvalidUri);
    const std::string& message = uri.error().message;
    EXPECT_NE(message.find(bad.expected), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    if (std::string_view(bad.text).size() > 0) {
        EXPECT_NE(message.find(std::string("'") + bad.text + "'"), std::string::npos)
            << "the message must name the URI: " << message;
    }
}

INSTANTIATE_TEST_SUITE_P(
    Grammar, BadDeviceUri,
    testing::Values(
        BadUri{"", "empty device URI"}, BadUri{"/dev/input/event3", "no scheme"}, BadUri{":foo", "no scheme"},
        BadUri{"serial:/dev/ttyUSB0", "unknown scheme 'serial'"}, BadUri{" usb:0922:8003", "whitespace"},
        BadUri{"usb:0922:8003 ", "whitespace"}, BadUri{"evdev:", "empty target"},
        BadUri{"evdev:?gs=x", "empty target"}, BadUri{"sim:", "empty target"},
        BadUri{"gst:", "empty pipeline"}, BadUri{"rtsp:", "empty target"}, BadUri{"rtsp://", "empty target"},
        BadUri{"http:/cam", "empty target"}, BadUri{"evdev:dev/input/event3", "not an absolute"},
        BadUri{"hidraw:hidraw0", "not an absolute"}, BadUri{"v4l2:video0", "not an absolute"},
        BadUri{"usb:0922", "bad VID:PID"}, BadUri{"usb:0922:80031", "bad VID:PID"},
        BadUri{"usb:zz22:8003", "bad VID:PID"}, BadUri{"usb:0922:", "bad VID:PID"},
        BadUri{"usb::8003", "bad VID:PID"}, BadUri{"tcp:printer?protocol=zpl", "missing port"},
        BadUri{"tcp::9100?protocol=zpl", "empty host"},
        BadUri{"tcp:printer:99999?protocol=zpl", "bad port '99999'"},
        BadUri{"tcp:printer:0?protocol=zpl", "bad port '0'"},
        BadUri{"tcp:printer:91x0?protocol=zpl", "bad port '91x0'"},
        BadUri{"tcp:printer:?protocol=zpl", "bad port ''"},
        BadUri{"tcp:2001:db8::1:9100?protocol=zpl", "in brackets"},
        BadUri{"tcp:[2001:db8::1?protocol=zpl", "closing ']'"},
        BadUri{"tcp:192.0.2.10:9100", "needs ?protocol="}, BadUri{"tty:/dev/ttyUSB0", "needs ?protocol="},
        BadUri{"tcp:192.0.2.10:9100?protocol=epl", "unknown protocol 'epl'"},
        BadUri{"tcp:192.0.2.10:9100?protocol=serial-scanner", "unknown protocol 'serial-scanner'"},
        BadUri{"usb:0922:8003?serial=A&serial=B", "given twice"}, BadUri{"usb:0922:8003?", "empty query"},
        BadUri{"usb:0922:8003?serial", "has no value"}, BadUri{"usb:0922:8003?serial=A&&x=1", "stray '&'"},
        BadUri{"usb:0922:8003?serial=A&", "stray '&'"}, BadUri{"usb:0922:8003?=A", "bad parameter name"},
        BadUri{"usb:0922:8003?se rial=A", "bad parameter name"},
        BadUri{"evdev:/dev/input/event3?gs=%G1", "bad percent-escape"},
        BadUri{"evdev:/dev/input/event3?gs=%1", "bad percent-escape"},
        BadUri{"sim:camera", "unknown sim kind 'camera'"},
        BadUri{"sim:Scanner?script=x", "unknown sim kind"}));

} // namespace
} // namespace retour::drivers
