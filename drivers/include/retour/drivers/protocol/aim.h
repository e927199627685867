#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace retour::drivers::protocol {

// AIM symbology identifiers "]cm" (ISO/IEC 15424; docs/protocols/scanners.md §4). Pure and reentrant.

struct AimSplit
{
    std::string aimId;     // "]C1"
    std::string symbology; // "GS1-128", or "" when the id is not in the table
    std::string_view data; // the text after the prefix (a view into the input)
};

// Split an AIM prefix off a decoded scan. nullopt when the text does not start with "]" + a letter +
// a letter or digit (then it carries no identifier).
std::optional<AimSplit> splitAimPrefix(std::string_view text);

// The symbology named by an AIM id ("]E0" → "EAN-13"); "" when unknown.
std::string aimSymbology(std::string_view aimId);

// True for the ids that announce GS1 data (FNC1 in first position): ]C1 ]d2 ]d5 ]Q3 ]Q4 ]e0 ]z1 ]z4.
bool aimIsGs1(std::string_view aimId);

} // namespace retour::drivers::protocol
