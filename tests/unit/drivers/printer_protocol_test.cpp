#include "retour/drivers/protocol/usb_printer.h"
#include "retour/drivers/protocol/zpl_extended_status.h"
#include "retour/drivers/protocol/zpl_status.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace retour::drivers::protocol {
namespace {

std::string hqes(const char* errors, const char* warnings = "0 00000000 00000000")
{
    return std::string("\x02\r\n\r\n  PRINTER STATUS\r\n    ERRORS:         ") + errors +
           "\r\n    WARNINGS:       " + warnings + "\r\n\x03\r\n";
}

TEST(ZplExtendedStatus, ReadyPrinter)
{
    const auto reply = hqes("0 00000000 00000000");
    EXPECT_TRUE(zplExtendedStatusComplete(reply));
    const auto parsed = parseZplExtendedStatus(reply);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_FALSE(parsed->errorFlag);
    EXPECT_EQ(parsed->errors, 0u);
    const PrinterStatus status = toPrinterStatus(*parsed);
    EXPECT_TRUE(status.ready);
    EXPECT_EQ(status.detail, "");
}

TEST(ZplExtendedStatus, PaperOutAndPausedAndCutter)
{
    const auto parsed = parseZplExtendedStatus(hqes("1 00000000 00010009", "1 00000000 00000008"));
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->errors, 0x10009u);
    EXPECT_EQ(parsed->warnings, kHqesWarnPaperNearEnd);
    const PrinterStatus status = toPrinterStatus(*parsed);
    EXPECT_FALSE(status.ready);
    EXPECT_TRUE(status.paperOut);
    EXPECT_TRUE(status.paused);
    EXPECT_FALSE(status.headOpen);
    EXPECT_EQ(status.detail, "paper out, cutter fault, paused");
}

TEST(ZplExtendedStatus, RibbonAndHeadOpen)
{
    const PrinterStatus status = toPrinterStatus(*parseZplExtendedStatus(hqes("1 00000000 00000006")));
    EXPECT_TRUE(status.ribbonOut);
    EXPECT_TRUE(status.headOpen);
    EXPECT_EQ(status.detail, "ribbon out, head open");
}

TEST(ZplExtendedStatus, IncompleteAndGarbage)
{
    EXPECT_FALSE(zplExtendedStatusComplete("\x02  ERRORS: 0 00000000 00000000\r\n"));
    EXPECT_FALSE(parseZplExtendedStatus("\x02 PRINTER STATUS \x03"));
    EXPECT_FALSE(parseZplExtendedStatus(hqes("2 00000000 00000000")));
    EXPECT_FALSE(parseZplExtendedStatus(hqes("1 0000 00000001")));
    EXPECT_FALSE(parseZplExtendedStatus(hqes("1 00000000 0000000G")));
    EXPECT_FALSE(parseZplExtendedStatus(""));
}

TEST(ZplExtendedStatus, MergeAddsWhatHsCannotSay)
{
    PrinterStatus hs;
    hs.ready = true;
    const auto parsed = parseZplExtendedStatus(hqes("1 00000000 00001000"));
    ASSERT_TRUE(parsed);
    mergeExtendedStatus(hs, *parsed);
    EXPECT_FALSE(hs.ready);
    EXPECT_EQ(hs.detail, "paper jam");

    PrinterStatus paper; // ~HS already said paper out: not named twice
    paper.paperOut = true;
    paper.detail = "paper out";
    mergeExtendedStatus(paper, *parseZplExtendedStatus(hqes("1 00000000 00000001")));
    EXPECT_EQ(paper.detail, "paper out");
}

TEST(UsbPrinterDeviceId, ParsesLengthPrefixedId)
{
    const std::string text = "MFG:Zebra Technologies;CMD:ZPL;MDL:ZD420-203dpi;CLS:PRINTER;";
    std::vector<std::uint8_t> reply{0, static_cast<std::uint8_t>(text.size() + 2)};
    reply.insert(reply.end(), text.begin(), text.end());
    const auto id = parseUsbPrinterDeviceId(reply);
    ASSERT_TRUE(id) << id.error().message;
    EXPECT_EQ(id->manufacturer, "Zebra Technologies");
    EXPECT_EQ(id->commandSet, "ZPL");
    EXPECT_EQ(id->model, "ZD420-203dpi");
    EXPECT_EQ(id->fields.at("CLS"), "PRINTER");
    EXPECT_TRUE(speaksZpl(*id));
}

TEST(UsbPrinterDeviceId, LongKeysClampedLengthAndGarbage)
{
    const auto id = parseIeee1284Fields("MANUFACTURER:Acme; COMMAND SET:TSPL,EPL;MODEL:TX1;junk;:x;");
    EXPECT_EQ(id.manufacturer, "Acme");
    EXPECT_EQ(id.commandSet, "TSPL,EPL");
    EXPECT_EQ(id.model, "TX1");
    EXPECT_FALSE(speaksZpl(id));

    const std::vector<std::uint8_t> overlong{0x10, 0x00, 'M', 'F', 'G', ':', 'Z', ';'};
    const auto clamped = parseUsbPrinterDeviceId(overlong);
    ASSERT_TRUE(clamped);
    EXPECT_EQ(clamped->manufacturer, "Z");
    EXPECT_FALSE(parseUsbPrinterDeviceId(std::vector<std::uint8_t>{0x00}));
    EXPECT_FALSE(parseUsbPrinterDeviceId(std::vector<std::uint8_t>{0x00, 0x01, 'x'}));
}

TEST(PortStatus, BitsAsThePrinterClassDefinesThem)
{
    const PortStatus fine = parsePortStatus(0x18);
    EXPECT_FALSE(fine.error);
    EXPECT_TRUE(fine.selected);
    EXPECT_FALSE(fine.paperEmpty);
    EXPECT_TRUE(toPrinterStatus(fine).ready);

    const PrinterStatus paper = toPrinterStatus(parsePortStatus(0x30));
    EXPECT_FALSE(paper.ready);
    EXPECT_TRUE(paper.paperOut);
    EXPECT_EQ(paper.detail, "paper out");

    const PrinterStatus offline = toPrinterStatus(parsePortStatus(0x00));
    EXPECT_FALSE(offline.ready);
    EXPECT_EQ(offline.detail, "offline (not selected), printer error");
}

} // namespace
} // namespace retour::drivers::protocol
