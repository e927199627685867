// USB printer-class (usb:VID:PID, libusb) and usblp (usblp:/dev/usb/lpN) ZPL printers against
// umockdev replays (docs/protocols/zpl.md §3, docs/protocols/testing-without-hardware.md §3, §4). Each test
// needs the capture that ctest loads for it (tests.cmake in usb-printer/ and usblp/) and skips when run
// without one.

#include "printer/usb_printer.h"
#include "printer/usblp_printer.h"
#include "retour/drivers/device.h"

#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <string>

namespace retour::drivers {
namespace {

// The capture loaded by umockdev-run for this test, named in RETOUR_CAPTURE by tests.cmake.
bool captureLoaded(const char* name)
{
    const char* capture = std::getenv("RETOUR_CAPTURE");
    return capture != nullptr && std::string(capture) == name;
}

#define REQUIRE_CAPTURE(name)                                                                                \
    if (!captureLoaded(name)) {                                                                              \
        GTEST_SKIP() << "runs under umockdev-run with capture " name " (see tests.cmake)";                   \
    }

// The label the captures expect, byte for byte (a ZPL job with a Code 128 barcode).
const std::string kJob =
    "^XA^CI28^FO50,50^A0N,40,40^FDRMA-2024-000123^FS^BY2^FO50,110^BCN,80,Y,N,N^FDRMA-2024-000123^FS^XZ";

std::unique_ptr<LabelPrinter> open(const std::string& text)
{
    const auto uri = parseDeviceUri(text);
    EXPECT_TRUE(uri) << uri.error().message;
    auto printer = makeLabelPrinter(*uri, DeviceContext{});
    EXPECT_TRUE(printer) << printer.error().message;
    return printer ? std::move(*printer) : nullptr;
}

// --- USB printer class through libusb (.ioctl replay) --------------------------------------------

TEST(UsbPrinterReplay, ReadyPrinterGetsTheJobAfterHostStatus)
{
    REQUIRE_CAPTURE("usb-printer/zd620-ready");
    auto printer = open("usb:0a5f:0141?timeout_ms=2000");
    ASSERT_TRUE(printer);
    // The replay answers ~HS and ~HQES only if they are sent first, and takes the job's bulk OUT
    // only if it is byte for byte the job: success means status, then the job, in that order.
    const auto printed = printer->print(LabelJob{"job-1", kJob, false});
    ASSERT_TRUE(printed) << printed.error().message;
    // The same id again is not sent a second time (the replay has no record for it).
    EXPECT_TRUE(printer->print(LabelJob{"job-1", kJob, false}));
}

TEST(UsbPrinterReplay, PaperOutRefusesTheJobWithTheReason)
{
    REQUIRE_CAPTURE("usb-printer/zd620-paper-out");
    auto printer = open("usb:0a5f:0141?timeout_ms=2000");
    ASSERT_TRUE(printer);
    const auto status = printer->status();
    ASSERT_TRUE(status) << status.error().message;
    EXPECT_FALSE(status->ready);
    EXPECT_TRUE(status->paperOut);
    EXPECT_TRUE(status->paused);
    // The replay starts over: ~HS and ~HQES are answered the same way for the job, which is refused
    // before anything is sent (there is no record that would take it).
    const auto printed = printer->print(LabelJob{"job-2", kJob, false});
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().code, ErrorCode::Refused) << printed.error().message;
    EXPECT_NE(printed.error().message.find("paper out"), std::string::npos) << printed.error().message;
}

TEST(UsbPrinterReplay, AbsentPrinterIsNotFound)
{
    REQUIRE_CAPTURE("usb-printer/zd620-ready");
    auto printer = open("usb:0a5f:9999");
    ASSERT_TRUE(printer);
    const auto status = printer->status();
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, ErrorCode::NotFound) << status.error().message;
}

// --- USB printer class with control requests (pcap replay, usb-printer/*.usbmon) ----------------

TEST(UsbPrinterPcapReplay, ReadyPrinterIdIsReadAndTheJobSent)
{
    REQUIRE_CAPTURE("usb-printer/zd620-pcap-ready");
    auto printer = open("usb:0a5f:0141?timeout_ms=2000");
    ASSERT_TRUE(printer);
    // GET_DEVICE_ID and GET_PORT_STATUS come first (on open, then before ~HS): the replay answers
    // the bulk transfers only after them, in order, and the job only byte for byte.
    const auto printed = printer->print(LabelJob{"job-1", kJob, false});
    ASSERT_TRUE(printed) << printed.error().message;
    const auto* usb = dynamic_cast<detail::UsbPrinter*>(printer.get());
    ASSERT_NE(usb, nullptr);
    EXPECT_EQ(usb->deviceId().manufacturer, "Zebra Technologies");
    EXPECT_EQ(usb->deviceId().model, "ZD620-203dpi");
    EXPECT_EQ(usb->deviceId().commandSet, "ZPL");
    EXPECT_EQ(usb->deviceId().fields.at("CLS"), "PRINTER");
}

TEST(UsbPrinterPcapReplay, PortStatusPaperEmptyRefusesTheJob)
{
    REQUIRE_CAPTURE("usb-printer/zd620-pcap-port-paper-out");
    auto printer = open("usb:0a5f:0141?timeout_ms=2000");
    ASSERT_TRUE(printer);
    // ~HS and ~HQES say ready; GET_PORT_STATUS 0x38 says paper empty.
    const auto printed = printer->print(LabelJob{"job-2", kJob, false});
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().code, ErrorCode::Refused) << printed.error().message;
    EXPECT_NE(printed.error().message.find("paper out"), std::string::npos) << printed.error().message;
}

TEST(UsbPrinterPcapReplay, DeviceIdWithoutZplIsRefused)
{
    REQUIRE_CAPTURE("usb-printer/zd620-pcap-epl");
    auto printer = open("usb:0a5f:0141?timeout_ms=2000");
    ASSERT_TRUE(printer);
    const auto status = printer->status();
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, ErrorCode::NotSupported) << status.error().message;
    EXPECT_NE(status.error().message.find("'EPL2', not ZPL"), std::string::npos) << status.error().message;
}

// --- usblp (.script replay of /dev/usb/lp0) -------------------------------------------------------

TEST(UsblpReplay, ReadyPrinterGetsTheJobAfterHostStatus)
{
    REQUIRE_CAPTURE("usblp/zd620-ready");
    // umockdev-run aborts (exit 133) when a write does not match the script: ~HS, ~HQES, the job.
    auto printer = open("usblp:/dev/usb/lp0?timeout_ms=2000");
    ASSERT_TRUE(printer);
    const auto printed = printer->print(LabelJob{"job-1", kJob, false});
    ASSERT_TRUE(printed) << printed.error().message;
}

TEST(UsblpReplay, PaperOutRefusesTheJob)
{
    REQUIRE_CAPTURE("usblp/zd620-paper-out");
    auto printer = open("usblp:/dev/usb/lp0?timeout_ms=2000");
    ASSERT_TRUE(printer);
    const auto printed = printer->print(LabelJob{"job-2", kJob, false});
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().code, ErrorCode::Refused) << printed.error().message;
    EXPECT_NE(printed.error().message.find("paper out"), std::string::npos) << printed.error().message;
}

// LPGETSTATUS is not emulated by umockdev (docs/protocols/testing-without-hardware.md §7): the port status
// comes through LpStatusSource, here a fixed byte, while ~HS over the node says the printer is ready.
class FixedLpStatus final : public detail::LpStatusSource
{
public:
    explicit FixedLpStatus(std::uint8_t byte) : byte_(byte) {}
    std::optional<std::uint8_t> read(int /*fd*/) override { return byte_; }

private:
    std::uint8_t byte_;
};

TEST(UsblpReplay, PortStatusPaperEmptyRefusesAJobThatHostStatusWouldAllow)
{
    REQUIRE_CAPTURE("usblp/zd620-port-paper-empty");
    const auto uri = parseDeviceUri("usblp:/dev/usb/lp0?timeout_ms=2000");
    ASSERT_TRUE(uri);
    // 0x38: not error (active low), selected, paper empty (linux/lp.h).
    detail::UsblpPrinter printer(*uri, true, std::chrono::milliseconds{2000},
                                 std::make_unique<FixedLpStatus>(0x38));
    const auto status = printer.status();
    ASSERT_TRUE(status) << status.error().message;
    EXPECT_TRUE(status->paperOut);
    EXPECT_FALSE(status->ready);
    const auto printed = printer.print(LabelJob{"job-3", kJob, false});
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().code, ErrorCode::Refused) << printed.error().message;
}

TEST(UsblpReplay, UnidirectionalPrinterUsesThePortStatusAlone)
{
    REQUIRE_CAPTURE("usblp/zd620-unidirectional");
    const auto uri = parseDeviceUri("usblp:/dev/usb/lp0?bidi=0");
    ASSERT_TRUE(uri);
    // 0x18: not error, selected, paper present: ready, and the job is written without ~HS.
    detail::UsblpPrinter printer(*uri, false, std::chrono::milliseconds{2000},
                                 std::make_unique<FixedLpStatus>(0x18));
    const auto printed = printer.print(LabelJob{"job-4", kJob, false});
    ASSERT_TRUE(printed) << printed.error().message;
}

} // namespace
} // namespace retour::drivers
