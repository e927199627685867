#include "retour/drivers/device.h"
#include "retour/drivers/sim.h"

#include <gtest/gtest.h>

namespace retour::drivers {
namespace {

Result<std::unique_ptr<InputDevice>> input(const std::string& text)
{
    auto uri = parseDeviceUri(text);
    EXPECT_TRUE(uri) << (uri ? "" : uri.error().message);
    SimWorld world; // never used past the call for non-sim URIs
    return makeInputDevice(*uri, DeviceContext{});
}

Result<std::unique_ptr<LabelPrinter>> printer(const std::string& text)
{
    auto uri = parseDeviceUri(text);
    EXPECT_TRUE(uri) << (uri ? "" : uri.error().message);
    return makeLabelPrinter(*uri, DeviceContext{});
}

void expectError(const auto& result, ErrorCode code, const std::string& part)
{
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, code) << result.error().message;
    EXPECT_NE(result.error().message.find(part), std::string::npos) << result.error().message;
}

TEST(Factory, EvdevScannerIsCreatedClosed)
{
    auto device = input("evdev:/dev/input/event99?gs=%3CGS%3E&terminator=tab&idle_ms=50&aim=0");
    ASSERT_TRUE(device) << device.error().message;
    EXPECT_EQ((*device)->kind(), DeviceKind::Scanner);
    EXPECT_FALSE((*device)->isOpen());
    EXPECT_EQ((*device)->fd(), -1);
    EXPECT_EQ((*device)->uri().target, "/dev/input/event99");
}

TEST(Factory, EvdevOpenOfAMissingNodeSaysWhat)
{
    auto device = input("evdev:/dev/input/no-such-scanner");
    ASSERT_TRUE(device);
    const auto opened = (*device)->open();
    expectError(opened, ErrorCode::NotFound, "/dev/input/no-such-scanner");
    EXPECT_NE(opened.error().message.find("plugged in"), std::string::npos);
    EXPECT_FALSE((*device)->isOpen());
}

TEST(Factory, EvdevOpenOfANonInputNodeIsNotSupported)
{
    auto device = input("evdev:/dev/null");
    ASSERT_TRUE(device);
    expectError((*device)->open(), ErrorCode::NotSupported, "not an evdev input node");
}

TEST(Factory, EvdevParameterErrors)
{
    expectError(input("evdev:/dev/input/event3?terminator=cr"), ErrorCode::InvalidUri,
                "use enter, tab or none");
    expectError(input("evdev:/dev/input/event3?idle_ms=-1"), ErrorCode::InvalidUri, "out of range");
    expectError(input("evdev:/dev/input/event3?idle_ms=fast"), ErrorCode::InvalidUri, "not an integer");
    expectError(input("evdev:/dev/input/event3?gs="), ErrorCode::InvalidUri, "gs= is empty");
    expectError(input("evdev:/dev/input/event3?aim=2"), ErrorCode::InvalidUri, "out of range");
    expectError(input("evdev:/dev/input/event3?terminator=none&idle_ms=0"), ErrorCode::InvalidUri,
                "idle gap");
    expectError(input("evdev:/dev/input/event3?suffix=cr"), ErrorCode::InvalidUri,
                "unknown parameter 'suffix'");
}

TEST(Factory, UsbScale)
{
    auto device = input("usb:0922:8003?serial=X1");
    ASSERT_TRUE(device);
    EXPECT_EQ((*device)->kind(), DeviceKind::Scale);
    EXPECT_FALSE((*device)->isOpen());
    expectError(input("usb:0922:8003?serail=X1"), ErrorCode::InvalidUri, "unknown parameter 'serail'");
}

TEST(Factory, UsbOpenOfAnAbsentDeviceFails)
{
    auto device = input("usb:fffe:fffd");
    ASSERT_TRUE(device);
    const auto opened = (*device)->open();
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error().message.find("usb:fffe:fffd"), std::string::npos) << opened.error().message;
    EXPECT_FALSE((*device)->isOpen());
    EXPECT_EQ((*device)->fd(), -1);
}

TEST(Factory, InputDeviceForTheWrongKind)
{
    expectError(input("tcp:127.0.0.1:9100?protocol=zpl"), ErrorCode::InvalidUri, "names a printer");
    expectError(input("v4l2:/dev/video0"), ErrorCode::InvalidUri, "names a camera");
    expectError(input("sim:printer?out=/tmp"), ErrorCode::InvalidUri, "not an input device");
    expectError(input("tty:/dev/ttyUSB0?protocol=zpl"), ErrorCode::InvalidUri, "names a printer");
}

TEST(Factory, TcpZplPrinter)
{
    auto p = printer("tcp:127.0.0.1:9100?protocol=zpl&timeout_ms=250");
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ((*p)->uri().text, "tcp:127.0.0.1:9100?protocol=zpl&timeout_ms=250");
    expectError(printer("tcp:127.0.0.1:9100?protocol=zpl&timeout_ms=0"), ErrorCode::InvalidUri,
                "out of range");
    expectError(printer("tcp:127.0.0.1:9100?protocol=zpl&timout_ms=5"), ErrorCode::InvalidUri,
                "unknown parameter 'timout_ms'");
}

TEST(Factory, PrinterForTheWrongKind)
{
    expectError(printer("tcp:127.0.0.1:4001?protocol=mt-sics"), ErrorCode::InvalidUri, "names a scale");
    expectError(printer("evdev:/dev/input/event3"), ErrorCode::InvalidUri, "not a label printer");
    expectError(printer("sim:printer"), ErrorCode::InvalidUri, "out=DIR");
    expectError(printer("sim:printer?out=/tmp&status=jammed"), ErrorCode::InvalidUri, "status='jammed'");
    expectError(printer("usblp:/dev/usb/lp0?bidi=2"), ErrorCode::InvalidUri, "out of range");
    expectError(printer("usb:0a5f:0141?baud=9600"), ErrorCode::InvalidUri, "unknown parameter 'baud'");
}

TEST(Errors, ErrnoMapping)
{
    const auto e = errnoError(ENOENT, "open /dev/input/event3");
    EXPECT_EQ(e.code, ErrorCode::NotFound);
    EXPECT_EQ(e.message, "open /dev/input/event3: No such file or directory (ENOENT)");
    EXPECT_EQ(errnoError(EACCES, "x").code, ErrorCode::Permission);
    EXPECT_EQ(errnoError(EBUSY, "x").code, ErrorCode::Busy);
    EXPECT_EQ(errnoError(ETIMEDOUT, "x").code, ErrorCode::Timeout);
    EXPECT_EQ(errnoError(ENODEV, "x").code, ErrorCode::Disconnected);
    EXPECT_EQ(errnoError(ECONNREFUSED, "x").code, ErrorCode::Disconnected);
    EXPECT_EQ(errnoError(ENOTTY, "x").code, ErrorCode::NotSupported);
    EXPECT_EQ(errnoError(EIO, "x").code, ErrorCode::Io);
    EXPECT_NE(errnoError(99999, "x").message.find("99999"), std::string::npos);
}

TEST(Errors, CodeNames)
{
    EXPECT_STREQ(toString(ErrorCode::InvalidUri), "invalid-uri");
    EXPECT_STREQ(toString(ErrorCode::Refused), "refused");
    EXPECT_STREQ(toString(ErrorCode::Disconnected), "disconnected");
    EXPECT_STREQ(toString(ErrorCode::Timeout), "timeout");
}

} // namespace
} // namespace retour::drivers
