#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace retour::station {

// GS1 identification keys (GS1 General Specifications §7.9: mod-10 check digit).
//
// All functions are pure and reentrant.

// True when text is 8, 12, 13 or 14 digits with a valid GS1 check digit.
bool isValidGtin(std::string_view text);

// The check digit for the digits before it (any length), or -1 when a character is not a digit.
int gs1CheckDigit(std::string_view digitsWithoutCheck);

// A valid GTIN-8/12/13/14 as GTIN-14 (left-padded with zeros), so that the same product scanned
// as EAN-13 and stored as GTIN-14 compares equal; nullopt when text is not a valid GTIN.
std::optional<std::string> normalizeGtin(std::string_view text);

// The GTIN and serial of a GS1 element string such as "0104006381333931" "21SN-1" (AI 01 and 21,
// GS-separated, from a GS1-128 / GS1 DataMatrix scan). nullopt when text does not start with AI 01.
struct Gs1Item
{
    std::string gtin;
    std::string serial;
};
std::optional<Gs1Item> parseGs1ElementString(std::string_view text);

// Every key a GS1 scan carries that identification uses (GS1 GenSpecs §3.2): SSCC (AI 00) of a
// logistic unit, GTIN (01) with serial (21), batch (10) and expiry (17); the other AIs of the GS1
// table (drivers' protocol/gs1.h, read leniently by readGs1Elements) are skipped, an unknown AI
// ends the walk (what was read so far is kept).
struct Gs1Data
{
    std::string sscc;   // 18 digits with a valid check digit
    std::string gtin;   // 14 digits with a valid check digit
    std::string serial; // AI 21
    std::string batch;  // AI 10
    std::string expiry; // AI 17, YYMMDD
};

// A scan as a GS1 element string, in any form a scanner sends it: with an AIM symbology
// identifier (]C1 GS1-128, ]d2 GS1 DataMatrix, ]Q3 GS1 QR, ]e0 GS1 DataBar, ]J1 GS1 DotCode),
// with FNC1 as GS (0x1D) — leading, between fields or trailing — or as the text "<GS>", or in
// human-readable form "(01)04006381333931(21)SN-1". Without a GS1 symbology identifier the text
// must start with AI 00 or 01 and a valid key (so that a serial that happens to start with "01"
// is not read as a GTIN). nullopt when the scan is not a GS1 element string with an SSCC or GTIN.
std::optional<Gs1Data> parseGs1(std::string_view text);

// The text without a leading AIM symbology identifier ("]" + letter + digit), e.g. a Code 128
// scan "]C0RMA-1" is "RMA-1".
std::string_view stripSymbologyIdentifier(std::string_view text);

} // namespace retour::station
