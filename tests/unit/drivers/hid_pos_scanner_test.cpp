#include "retour/drivers/protocol/hid_descriptor.h"
#include "retour/drivers/protocol/hid_pos_scanner.h"

#include <array>
#include <gtest/gtest.h>
#include <string_view>
#include <vector>

namespace retour::drivers::protocol {
namespace {

// A 64-byte report: id 2, length, AIM id, data, vendor id at 61, continuation at 63.
std::vector<std::uint8_t> report(std::string_view aim, std::string_view data, bool more, char vendor = 0)
{
    std::vector<std::uint8_t> r(64, 0);
    r[0] = 0x02;
    r[1] = static_cast<std::uint8_t>(data.size());
    for (std::size_t i = 0; i < aim.size() && i < 3; ++i) {
        r[2 + i] = static_cast<std::uint8_t>(aim[i]);
    }
    for (std::size_t i = 0; i < data.size() && i < 56; ++i) {
        r[5 + i] = static_cast<std::uint8_t>(data[i]);
    }
    r[61] = static_cast<std::uint8_t>(vendor);
    r[63] = more ? 1 : 0;
    return r;
}

TEST(HidPosScannerReport, ParsesOneReport)
{
    const auto r = report("]E0", "4006381333931", false, 'd');
    const auto parsed = parseHidPosScannerReport(r);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->aimId, "]E0");
    EXPECT_EQ(parsed->data, "4006381333931");
    EXPECT_EQ(parsed->vendorSymbology, 'd');
    EXPECT_FALSE(parsed->more);
}

TEST(HidPosScannerReport, RefusesGarbage)
{
    auto wrongId = report("]E0", "1", false);
    wrongId[0] = 0x01;
    EXPECT_FALSE(parseHidPosScannerReport(wrongId));
    auto tooLong = report("]E0", "1", false);
    tooLong[1] = 57;
    EXPECT_FALSE(parseHidPosScannerReport(tooLong));
    const std::array<std::uint8_t, 6> shortReport{0x02, 10, ']', 'E', '0', '1'};
    EXPECT_FALSE(parseHidPosScannerReport(shortReport));
    EXPECT_FALSE(parseHidPosScannerReport(std::span<const std::uint8_t>{}));
}

TEST(HidPosScannerReport, NoAimBytesMeansNoAimId)
{
    const auto parsed = parseHidPosScannerReport(report(std::string_view("\0\0\0", 3), "ABC", false, 'j'));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->aimId, "");
}

TEST(HidPosScanAssembler, JoinsContinuedReports)
{
    const std::string first(56, 'A');
    const std::string second = "BCD";
    HidPosScanAssembler assembler;
    auto a = assembler.feed(report("]Q1", first, true, 's'));
    ASSERT_TRUE(a);
    EXPECT_FALSE(*a);
    EXPECT_TRUE(assembler.pending());
    auto b = assembler.feed(report("]Q1", second, false, 's'));
    ASSERT_TRUE(b);
    ASSERT_TRUE(*b);
    EXPECT_EQ((*b)->text, first + second);
    EXPECT_EQ((*b)->aimId, "]Q1");
    EXPECT_EQ((*b)->symbology, "QR");
    EXPECT_EQ((*b)->raw, "]Q1" + first + second);
    EXPECT_FALSE(assembler.pending());
}

TEST(HidPosScanAssembler, Gs1ScanCarriesItsAis)
{
    HidPosScanAssembler assembler;
    auto scan = assembler.feed(report("]C1",
                                      "0109521234543213\x1d"
                                      "10LOT7",
                                      false, 'I'));
    ASSERT_TRUE(scan && *scan);
    ASSERT_EQ((*scan)->gs1.size(), 2u);
    EXPECT_EQ((*scan)->gs1[1].ai, "10");
    EXPECT_EQ((*scan)->gs1[1].value, "LOT7");
}

TEST(HidPosScanAssembler, VendorIdNamesTheSymbologyWithoutAim)
{
    HidPosScanAssembler assembler;
    auto scan = assembler.feed(report(std::string_view("\0\0\0", 3), "ABC-1", false, 'j'));
    ASSERT_TRUE(scan && *scan);
    EXPECT_EQ((*scan)->symbology, "Code 128");
    EXPECT_EQ((*scan)->aimId, "");
}

TEST(HidPosScanAssembler, GarbageDropsThePartialBarcode)
{
    HidPosScanAssembler assembler;
    ASSERT_TRUE(assembler.feed(report("]Q1", std::string(56, 'A'), true)));
    auto garbage = report("]Q1", "x", false);
    garbage[1] = 200;
    EXPECT_FALSE(assembler.feed(garbage));
    EXPECT_FALSE(assembler.pending());
    auto next = assembler.feed(report("]E0", "4006381333931", false));
    ASSERT_TRUE(next && *next);
    EXPECT_EQ((*next)->text, "4006381333931");
}

TEST(HidPosScanAssembler, StuckContinuationIsBounded)
{
    HidPosScanAssembler assembler(100);
    ASSERT_TRUE(assembler.feed(report("]Q1", std::string(56, 'A'), true)));
    EXPECT_FALSE(assembler.feed(report("]Q1", std::string(56, 'A'), true)));
    EXPECT_FALSE(assembler.pending());
}

TEST(HidDescriptor, TopLevelUsagePage)
{
    const std::array<std::uint8_t, 6> scanner{0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01};
    EXPECT_EQ(hidTopLevelUsagePage(scanner), 0x8C);
    const std::array<std::uint8_t, 5> vendor{0x06, 0x00, 0xFF, 0x09, 0x01};
    EXPECT_EQ(hidTopLevelUsagePage(vendor), 0xFF00);
    const std::array<std::uint8_t, 1> cut{0x06};
    EXPECT_FALSE(hidTopLevelUsagePage(cut));
    const std::array<std::uint8_t, 5> longItem{0xFE, 0x00, 0x10, 0x05, 0x8D};
    EXPECT_EQ(hidTopLevelUsagePage(longItem), 0x8D);
    const std::array<std::uint8_t, 6> scale{0x05, 0x8D, 0x09, 0x20, 0xA1, 0x01};
    EXPECT_EQ(hidTopLevelUsagePage(scale), 0x8D);
    const std::array<std::uint8_t, 4> afterReportId{0x85, 0x03, 0x05, 0x01};
    EXPECT_EQ(hidTopLevelUsagePage(afterReportId), 0x01);
    EXPECT_EQ(hidTopLevelUsagePage({}), std::nullopt);
    const std::array<std::uint8_t, 2> cutLongItem{0xFE, 0x10};
    EXPECT_EQ(hidTopLevelUsagePage(cutLongItem), std::nullopt);
}

TEST(HidDescriptor, ZeroSizeUsagePageIsPageZero)
{
    // HID 1.11 §6.2.2.4: an item with bSize 0 carries the value 0, so prefix 0x04 alone is Usage
    // Page 0 (undefined), not "no usage page".
    const std::array<std::uint8_t, 5> zeroPage{0x04, 0x09, 0x20, 0xA1, 0x01};
    EXPECT_EQ(hidTopLevelUsagePage(zeroPage), 0x00);
    const std::array<std::uint8_t, 1> onlyZeroPage{0x04};
    EXPECT_EQ(hidTopLevelUsagePage(onlyZeroPage), 0x00);
}

TEST(HidDescriptor, PageInEffectAtTheFirstUsageNamesTheDevice)
{
    // A Usage Page item replaces the one before it (global item).
    const std::array<std::uint8_t, 7> replaced{0x04, 0x05, 0x8D, 0x09, 0x20, 0xA1, 0x01};
    EXPECT_EQ(hidTopLevelUsagePage(replaced), 0x8D);
    // A later page, after the first usage, belongs to a nested collection.
    const std::array<std::uint8_t, 8> nested{0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01, 0x05, 0x8D};
    EXPECT_EQ(hidTopLevelUsagePage(nested), 0x8C);
    // A 4-byte (extended) usage carries its page in its high 16 bits.
    const std::array<std::uint8_t, 7> extended{0x05, 0x01, 0x0B, 0x20, 0x00, 0x8D, 0x00};
    EXPECT_EQ(hidTopLevelUsagePage(extended), 0x8D);
    // A collection before any usage takes the page in effect.
    const std::array<std::uint8_t, 4> collectionFirst{0x05, 0x8D, 0xA1, 0x01};
    EXPECT_EQ(hidTopLevelUsagePage(collectionFirst), 0x8D);
}

} // namespace
} // namespace retour::drivers::protocol
