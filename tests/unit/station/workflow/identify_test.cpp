#include "tests/unit/station/fixtures.h"
#include "workflow/gtin.h"
#include "workflow/identify.h"

#include <gtest/gtest.h>

namespace retour::station {
namespace {

using namespace retour::station::testing;

TEST(Identify, ByEachKindOfParcelKey)
{
    const auto directory = demoDirectory();
    const auto label = identifyParcel("RMA-000101", directory);
    EXPECT_EQ(label.kind, Identification::Kind::Rma);
    EXPECT_EQ(label.identifiedBy, "rma_label");
    EXPECT_EQ(label.rma->rmaId, "RMA-000101");
    EXPECT_EQ(identifyParcel("PP-7700001", directory).identifiedBy, "preprinted_label");
    EXPECT_EQ(identifyParcel("RMA-000102", directory).identifiedBy, "preprinted_label");
    EXPECT_EQ(identifyParcel("1Z999AA10123456784", directory).identifiedBy, "tracking");
    EXPECT_EQ(identifyParcel(" SO-10003 \r\n", directory).identifiedBy, "order");
    EXPECT_EQ(identifyParcel("SO-10003", directory).rma->rmaId, "RMA-000103");
}

TEST(Identify, ByItemOfExactlyOneRma)
{
    const auto directory = demoDirectory();
    const auto byGtin = identifyParcel("4006381333931", directory);
    EXPECT_EQ(byGtin.identifiedBy, "item");
    EXPECT_EQ(byGtin.rma->rmaId, "RMA-000101");
    ASSERT_TRUE(byGtin.lineIndex.has_value());
    EXPECT_EQ(*byGtin.lineIndex, 0u);
    const auto bySerial = identifyParcel("SN-BT200-0001", directory);
    EXPECT_EQ(bySerial.identifiedBy, "item");
    EXPECT_EQ(bySerial.serial, "SN-BT200-0001");
    // The GTIN-14 form of an EAN-13 in an RMA is the same product.
    EXPECT_EQ(identifyParcel("04006381333931", directory).rma->rmaId, "RMA-000101");
}

TEST(Identify, ItemInTwoRmasIsAmbiguous)
{
    auto directory = demoDirectory();
    Rma other = portalRma();
    other.rmaId = "RMA-000199";
    other.labelBarcode = "RMA-000199";
    other.orderId = "SO-19999";
    other.tracking.reset();
    directory.put(other);
    const auto id = identifyParcel("4006381333931", directory);
    EXPECT_EQ(id.kind, Identification::Kind::Ambiguous);
    EXPECT_NE(id.message.find("matches 2 open RMAs"), std::string::npos);
}

TEST(Identify, ValidGtinInNoRmaIsUnannounced)
{
    const auto id = identifyParcel(kUnannouncedGtin, demoDirectory());
    EXPECT_EQ(id.kind, Identification::Kind::Unannounced);
    EXPECT_EQ(id.identifiedBy, "unannounced");
    EXPECT_FALSE(id.rma.has_value());
    ASSERT_TRUE(id.item.has_value());
    EXPECT_TRUE(id.item->gtin14.has_value());
}

TEST(Identify, AnythingElseIsUnknown)
{
    const auto directory = demoDirectory();
    EXPECT_EQ(identifyParcel("4012345678902", directory).kind,
              Identification::Kind::Unknown); // bad check digit
    const auto id = identifyParcel("HELLO", directory);
    EXPECT_EQ(id.kind, Identification::Kind::Unknown);
    EXPECT_NE(id.message.find("unknown code \"HELLO\""), std::string::npos);
    EXPECT_EQ(identifyParcel("", directory).kind, Identification::Kind::Unknown);
}

TEST(MatchLine, PrefersLinesWithQuantityLeft)
{
    Rma rma = multiLineRma();
    rma.lines[1].gtin = rma.lines[0].gtin;
    const ItemCode code = parseItemCode("036000291452");
    EXPECT_EQ(*matchLine(rma, code, {0, 0}).lineIndex, 0u);
    EXPECT_EQ(*matchLine(rma, code, {1, 0}).lineIndex, 1u);
    EXPECT_EQ(*matchLine(rma, code, {1, 1}).lineIndex, 0u); // all done: still the product's line
    EXPECT_FALSE(matchLine(rma, parseItemCode(kUnannouncedGtin)).lineIndex.has_value());
}

constexpr const char* kSscc = "106141411234567897"; // valid check digit

PreprintedLabelFormat preprintedFormat()
{
    PreprintedLabelFormat format;
    format.prefixes = {"PP-"};
    format.pattern = "^RL[0-9]{6}$";
    format.regex = std::make_shared<const std::regex>(format.pattern);
    return format;
}

TEST(Identify, SsccOnTheParcelMatchesTheTrackingOfACachedRma)
{
    auto directory = demoDirectory();
    Rma rma = multiLineRma();
    rma.tracking = std::string("00") + kSscc; // stored with its AI
    directory.put(rma);
    for (const std::string& scan :
         {std::string("00") + kSscc, std::string("]C100") + kSscc, std::string("(00)") + kSscc}) {
        const auto id = identifyParcel(scan, directory);
        EXPECT_EQ(id.kind, Identification::Kind::Rma) << scan;
        EXPECT_EQ(id.identifiedBy, "sscc") << scan;
        EXPECT_EQ(id.rma->rmaId, "RMA-000103") << scan;
    }
    rma.tracking = kSscc; // stored as the 18 digits
    directory.put(rma);
    EXPECT_EQ(identifyParcel(std::string("00") + kSscc, directory).identifiedBy, "sscc");
    // An SSCC no cached RMA has: unknown, worth asking central about by tracking.
    const auto unknown = identifyParcel("00106141411234567880", directory);
    EXPECT_EQ(unknown.kind, Identification::Kind::Unknown);
    EXPECT_NE(unknown.message.find("SSCC 106141411234567880"), std::string::npos) << unknown.message;
    EXPECT_EQ(unknown.lookupKey, "tracking");
    EXPECT_EQ(unknown.lookupValue, "106141411234567880");
}

TEST(Identify, Gs1ItemWithSerialBatchAndExpiry)
{
    const auto directory = demoDirectory();
    // GS1 DataMatrix with FNC1 as GS: (01) GTIN, (17) expiry, (10) batch, (21) serial.
    const auto id = identifyParcel("]d2"
                                   "0104006381333931"
                                   "17261231"
                                   "10LOT-7\x1d"
                                   "21SN-BT200-0001",
                                   directory);
    EXPECT_EQ(id.kind, Identification::Kind::Rma);
    EXPECT_EQ(id.identifiedBy, "item");
    EXPECT_EQ(id.rma->rmaId, "RMA-000101");
    EXPECT_EQ(id.serial, "SN-BT200-0001");
    EXPECT_TRUE(id.findings.empty());
    // The GTIN matches but the serial is not the one shipped: a serial mismatch on that line.
    const auto mismatch = identifyParcel("(01)04006381333931(21)SN-FAKE", directory);
    EXPECT_EQ(mismatch.rma->rmaId, "RMA-000101");
    ASSERT_TRUE(mismatch.lineIndex.has_value());
    EXPECT_EQ(mismatch.findings, std::vector<std::string>{"serial_mismatch"});
    EXPECT_EQ(mismatch.serial, "SN-FAKE");
}

TEST(Identify, PreprintedLabelWithoutRmaCreatesTheReturnAtTheBench)
{
    const auto directory = demoDirectory();
    const auto format = preprintedFormat();
    // A cached preprinted RMA is still found by its label, with the label recorded.
    const auto cached = identifyParcel("PP-7700001", directory, format);
    EXPECT_EQ(cached.kind, Identification::Kind::Rma);
    EXPECT_EQ(cached.identifiedBy, "preprinted_label");
    EXPECT_EQ(cached.label, "PP-7700001");
    for (const std::string_view scan : {"PP-9900001", "]C0PP-9900001", "RL123456"}) {
        const auto id = identifyParcel(scan, directory, format);
        EXPECT_EQ(id.kind, Identification::Kind::Preprinted) << scan;
        EXPECT_EQ(id.identifiedBy, "preprinted_label");
        EXPECT_FALSE(id.rma.has_value());
        EXPECT_EQ(id.lookupKey, "label");
        EXPECT_EQ(id.label, std::string(stripSymbologyIdentifier(scan)));
    }
    // Not the format: unknown as before; without a format nothing is a pre-printed label.
    EXPECT_EQ(identifyParcel("RL12345", directory, format).kind, Identification::Kind::Unknown);
    EXPECT_EQ(identifyParcel("PP-", directory, format).kind, Identification::Kind::Unknown);
    EXPECT_EQ(identifyParcel("PP-9900001", directory).kind, Identification::Kind::Unknown);
    // A serial of a cached RMA that happens to look like a label stays an item.
    auto withSerial = demoDirectory();
    Rma rma = portalRma();
    rma.lines[0].serials = {"PP-SERIAL-1"};
    withSerial.put(rma);
    EXPECT_EQ(identifyParcel("PP-SERIAL-1", withSerial, format).identifiedBy, "item");
}

TEST(Identify, UnannouncedItemsAreLookedUpAtCentral)
{
    const auto plain = identifyParcel(kUnannouncedGtin, demoDirectory());
    EXPECT_EQ(plain.lookupKey, "any");
    EXPECT_EQ(plain.lookupValue, kUnannouncedGtin);
    const auto gs1 =
        identifyParcel(std::string("]d201") + "0" + kUnannouncedGtin + "21SN-9", demoDirectory());
    EXPECT_EQ(gs1.kind, Identification::Kind::Unannounced);
    EXPECT_EQ(gs1.lookupKey, "gtin");
    EXPECT_EQ(gs1.lookupValue, std::string("0") + kUnannouncedGtin);
    EXPECT_EQ(gs1.serial, "SN-9");
    EXPECT_TRUE(identifyParcel("RMA-000101", demoDirectory()).lookupKey.empty());
}

TEST(MatchLine, SerialMismatchAndOverQuantity)
{
    const Rma rma = portalRma();
    const auto ok = matchLine(rma, parseItemCode("(01)04006381333931(21)SN-BT200-0001"));
    EXPECT_FALSE(ok.serialMismatch);
    EXPECT_FALSE(ok.overQuantity);
    const auto wrongSerial = matchLine(rma, parseItemCode("(01)04006381333931(21)SN-X"));
    ASSERT_TRUE(wrongSerial.lineIndex.has_value());
    EXPECT_TRUE(wrongSerial.serialMismatch);
    // A GTIN without serial is no mismatch; a line that shipped no serials has none either.
    EXPECT_FALSE(matchLine(rma, parseItemCode("4006381333931")).serialMismatch);
    Rma noSerials = rma;
    noSerials.lines[0].serials.clear();
    EXPECT_FALSE(matchLine(noSerials, parseItemCode("(01)04006381333931(21)SN-X")).serialMismatch);
    EXPECT_TRUE(matchLine(rma, parseItemCode("4006381333931"), {1}).overQuantity);
    EXPECT_FALSE(matchLine(rma, parseItemCode("4006381333931"), {0}).overQuantity);
    // Two lines of the same GTIN: the one whose serial matches wins.
    Rma two = rma;
    RmaLine second = rma.lines[0];
    second.lineId = "2";
    second.serials = {"SN-2"};
    two.lines.push_back(second);
    const auto bySerial = matchLine(two, parseItemCode("(01)04006381333931(21)SN-2"));
    EXPECT_EQ(*bySerial.lineIndex, 1u);
    EXPECT_FALSE(bySerial.serialMismatch);
}

} // namespace
} // namespace retour::station
