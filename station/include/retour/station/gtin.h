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

} // namespace retour::station
