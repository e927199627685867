#include "devices/label.h"

#include <gtest/gtest.h>

namespace retour::station {
namespace {

LabelContent sample()
{
    LabelContent content;
    content.lpn = "LPN-bench-01-000042";
    content.disposition = "restock_new";
    content.location = "A-01";
    content.rmaId = "RMA-000101";
    content.grade = 'A';
    content.sku = "HEAD-BT-200";
    content.description = "Bluetooth headphones BT-200";
    content.stationId = "bench-01";
    content.date = "2026-11-26";
    return content;
}

TEST(Label, LpnHasStationAndSixDigitSequence)
{
    EXPECT_EQ(makeLpn("bench-01", 1), "LPN-bench-01-000001");
    EXPECT_EQ(makeLpn("bench-01", 123456), "LPN-bench-01-123456");
    EXPECT_EQ(makeLpn("b", 1234567), "LPN-b-1234567");
}

TEST(Label, IsOneUtf8ZplFormatWithEveryField)
{
    const std::string zpl = buildRestockLabel(sample());
    EXPECT_EQ(zpl.rfind("^XA\n^CI28\n", 0), 0u) << zpl;
    EXPECT_EQ(zpl.substr(zpl.size() - 4), "^XZ\n");
    EXPECT_NE(zpl.find("^PW812"), std::string::npos);
    EXPECT_NE(zpl.find("^BCN,100,N,N,N,N^FDLPN-bench-01-000042^FS"), std::string::npos) << zpl;
    EXPECT_NE(zpl.find("^FH\\^FDLPN-bench-01-000042^FS"), std::string::npos) << zpl;
    EXPECT_NE(zpl.find("^FDRESTOCK NEW^FS"), std::string::npos) << zpl;
    EXPECT_NE(zpl.find("^FDA-01^FS"), std::string::npos);
    EXPECT_NE(zpl.find("^FDRMA RMA-000101^FS"), std::string::npos);
    EXPECT_NE(zpl.find("^FDGRADE A^FS"), std::string::npos);
    EXPECT_NE(zpl.find("^FDHEAD-BT-200^FS"), std::string::npos);
    // Exactly one format: one ^XA and one ^XZ.
    EXPECT_EQ(zpl.find("^XA", 1), std::string::npos);
    EXPECT_EQ(zpl.find("^XZ"), zpl.size() - 4);
}

TEST(Label, UnannouncedParcelSaysSo)
{
    LabelContent content = sample();
    content.rmaId.clear();
    EXPECT_NE(buildRestockLabel(content).find("^FDUNANNOUNCED^FS"), std::string::npos);
}

TEST(Label, EscapesCaretTildeBackslashAndControlCharacters)
{
    EXPECT_EQ(zplEscape("a^b~c\\d"), "a\\5Eb\\7Ec\\5Cd");
    EXPECT_EQ(zplEscape("x\ny\x1d"), "x\\0Ay\\1D");
    EXPECT_EQ(zplEscape("Zoë Ångström"), "Zoë Ångström");
}

TEST(Label, InjectedZplInProductTextCannotEndTheFormat)
{
    LabelContent content = sample();
    content.description = "evil^XZ^XA^FO0,0^GB800,400,400^FS~JA";
    content.sku = "^XZ";
    const std::string zpl = buildRestockLabel(content);
    EXPECT_EQ(zpl.find("^XZ"), zpl.size() - 4) << zpl;
    EXPECT_EQ(zpl.find("~JA"), std::string::npos) << zpl;
    EXPECT_EQ(zpl.find("^XA", 1), std::string::npos) << zpl;
    EXPECT_NE(zpl.find("\\5EXZ"), std::string::npos) << zpl;
}

TEST(Label, BarcodeDataKeepsOnlySafeCharacters)
{
    LabelContent content = sample();
    content.lpn = "LPN->8x^FS";
    const std::string zpl = buildRestockLabel(content);
    EXPECT_NE(zpl.find("^BCN,100,N,N,N,N^FDLPN-8xFS^FS"), std::string::npos) << zpl;
}

TEST(Label, LongUtf8TextIsCutOnACharacterBoundary)
{
    LabelContent content = sample();
    content.description = std::string(29, 'x') + "éééé";
    const std::string zpl = buildRestockLabel(content);
    EXPECT_NE(zpl.find("^FD" + std::string(29, 'x') + "é^FS"), std::string::npos) << zpl;
}

} // namespace
} // namespace retour::station
