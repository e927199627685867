// The real ZPL-over-TCP driver against a loopback listener that plays a Zebra on port 9100: it
// records the bytes of every connection and answers ~HS (and, when scripted, ~HQES) with a scripted
// status (docs/protocols/zpl.md §2–§4). A printer that leaves ~HQES unanswered is asked ~HS alone afterwards.

#include "fake_zebra.h"
#include "retour/drivers/device.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace retour::drivers {
namespace {

using retour::test::FakeZebra;
using namespace retour::test;

std::unique_ptr<LabelPrinter> makePrinter(const std::string& text)
{
    auto uri = parseDeviceUri(text);
    EXPECT_TRUE(uri) << (uri ? "" : uri.error().message);
    auto printer = makeLabelPrinter(*uri, DeviceContext{});
    EXPECT_TRUE(printer) << (printer ? "" : printer.error().message);
    return printer ? std::move(*printer) : nullptr;
}

const LabelJob kJob{"item-0001-label", "^XA^CI28^PW812^LL1218^FO40,40^A0N,56,56^FDRETURN RECEIVED^FS^XZ"};

TEST(ZplTcpPrinter, StatusReady)
{
    FakeZebra zebra({{FakeZebra::Mode::Answer, kReady, kHqesReady}});
    auto printer = makePrinter(zebra.uri());
    const auto status = printer->status();
    ASSERT_TRUE(status) << status.error().message;
    EXPECT_TRUE(status->ready);
    EXPECT_FALSE(status->paperOut);
    EXPECT_EQ(zebra.waitForConnections(1).at(0), "~HS~HQES");
}

TEST(ZplTcpPrinter, ReadyThenPaperOut)
{
    FakeZebra zebra(
        {{FakeZebra::Mode::Answer, kReady, kHqesReady}, {FakeZebra::Mode::Answer, kPaperOut, kHqesReady}});
    auto printer = makePrinter(zebra.uri());

    const auto printed = printer->print(kJob);
    ASSERT_TRUE(printed) << printed.error().message;

    const LabelJob second{"item-0002-label", "^XA^FDsecond^FS^XZ"};
    const auto refused = printer->print(second);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::Refused);
    EXPECT_NE(refused.error().message.find("paper out"), std::string::npos) << refused.error().message;
    EXPECT_NE(refused.error().message.find("item-0002-label"), std::string::npos) << refused.error().message;

    const auto received = zebra.waitForConnections(2);
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[0], "~HS~HQES" + kJob.zpl); // the job bytes arrive exactly as given
    EXPECT_EQ(received[1], "~HS~HQES");            // nothing sent to a printer out of paper
}

TEST(ZplTcpPrinter, HeadOpenIsRefused)
{
    FakeZebra zebra({{FakeZebra::Mode::Answer, kHeadOpen}});
    auto printer = makePrinter(zebra.uri());
    const auto refused = printer->print(kJob);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::Refused);
    EXPECT_NE(refused.error().message.find("head open"), std::string::npos);
    EXPECT_EQ(zebra.waitForConnections(1).at(0), "~HS~HQES"); // ~HQES unanswered: ~HS decides
}

TEST(ZplTcpPrinter, SameJobIdIsPrintedOnce)
{
    FakeZebra zebra({{FakeZebra::Mode::Answer, kReady}, {FakeZebra::Mode::Answer, kReady}});
    auto printer = makePrinter(zebra.uri());
    ASSERT_TRUE(printer->print(kJob));
    ASSERT_TRUE(printer->print(kJob)); // a retry: success, nothing sent
    const LabelJob other{"item-0003-label", kJob.zpl};
    ASSERT_TRUE(printer->print(other)); // same content, other id: printed
    const auto received = zebra.waitForConnections(2);
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[0], "~HS~HQES" + kJob.zpl);
    EXPECT_EQ(received[1], "~HS" + kJob.zpl); // ~HQES went unanswered once: not asked again
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(zebra.received().size(), 2u);
}

TEST(ZplTcpPrinter, ReprintIsSentAgain)
{
    FakeZebra zebra(
        {{FakeZebra::Mode::Answer, kReady, kHqesReady}, {FakeZebra::Mode::Answer, kReady, kHqesReady}});
    auto printer = makePrinter(zebra.uri());
    ASSERT_TRUE(printer->print(kJob));
    LabelJob again = kJob;
    again.reprint = true;
    ASSERT_TRUE(printer->print(again));
    const auto received = zebra.waitForConnections(2);
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[1], "~HS~HQES" + kJob.zpl);
}

TEST(ZplTcpPrinter, ExtendedStatusFaultIsRefused)
{
    // ~HS looks ready; ~HQES knows the cutter is jammed.
    FakeZebra zebra({{FakeZebra::Mode::Answer, kReady, kHqesCutter}});
    auto printer = makePrinter(zebra.uri());
    const auto refused = printer->print(kJob);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::Refused);
    EXPECT_NE(refused.error().message.find("cutter fault"), std::string::npos) << refused.error().message;
    EXPECT_EQ(zebra.waitForConnections(1).at(0), "~HS~HQES");
}

TEST(ZplTcpPrinter, LargeJobIsSentWhole)
{
    FakeZebra zebra({{FakeZebra::Mode::Answer, kReady, kHqesReady}});
    auto printer = makePrinter(zebra.uri());
    std::string zpl = "^XA^FO0,0^GFA,";
    while (zpl.size() < 8 * 1024 * 1024) {
        zpl += "FFFF80018001800180018001800180018001800180018001800180018001FFFF";
    }
    zpl += "^FS^XZ";
    ASSERT_TRUE(printer->print(LabelJob{"big", zpl}));
    const auto received = zebra.waitForConnections(1);
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].size(), 8 + zpl.size());
    EXPECT_TRUE(received[0] == "~HS~HQES" + zpl);
}

TEST(ZplTcpPrinter, ListenerThatClosesIsDisconnected)
{
    FakeZebra zebra({{FakeZebra::Mode::Close, ""}, {FakeZebra::Mode::Close, ""}});
    auto printer = makePrinter(zebra.uri());
    const auto printed = printer->print(kJob);
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().code, ErrorCode::Disconnected) << printed.error().message;
    EXPECT_NE(printed.error().message.find(zebra.uri()), std::string::npos) << printed.error().message;
    const auto status = printer->status();
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, ErrorCode::Disconnected) << status.error().message;
}

TEST(ZplTcpPrinter, SilentListenerTimesOutWithinTheDeadline)
{
    FakeZebra zebra({{FakeZebra::Mode::Silent, ""}});
    auto printer = makePrinter(zebra.uri(300));
    const auto start = std::chrono::steady_clock::now();
    const auto printed = printer->print(kJob);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().code, ErrorCode::Timeout) << printed.error().message;
    EXPECT_NE(printed.error().message.find("~HS"), std::string::npos) << printed.error().message;
    EXPECT_GE(elapsed, 290ms);
    EXPECT_LT(elapsed, 2500ms);                          // the status deadline, plus the bounded close
    EXPECT_EQ(zebra.waitForConnections(1).at(0), "~HS"); // the job was not sent
}

TEST(ZplTcpPrinter, GarbageStatusIsAProtocolError)
{
    FakeZebra zebra({{FakeZebra::Mode::Answer, "\x02hello\x03\x02world\x03\x02!\x03"}});
    auto printer = makePrinter(zebra.uri());
    const auto printed = printer->print(kJob);
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().code, ErrorCode::Protocol) << printed.error().message;
    EXPECT_EQ(zebra.waitForConnections(1).at(0), "~HS");
}

TEST(ZplTcpPrinter, NobodyListeningIsDisconnected)
{
    int port = 0;
    {
        FakeZebra gone({});
        port = gone.port();
    } // the port is closed again
    auto printer = makePrinter("tcp:127.0.0.1:" + std::to_string(port) + "?protocol=zpl");
    const auto printed = printer->print(kJob);
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().code, ErrorCode::Disconnected) << printed.error().message;
    EXPECT_NE(printed.error().message.find("ECONNREFUSED"), std::string::npos) << printed.error().message;
}

} // namespace
} // namespace retour::drivers
