#include "fixtures.h"
#include "retour/station/identify.h"

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

} // namespace
} // namespace retour::station
