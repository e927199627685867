#pragma once

#include "retour/drivers/error.h"
#include "retour/drivers/events.h"

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace retour::drivers::protocol {

// GS1 element strings (docs/protocols/scanners.md §4, §5). Pure and reentrant; never throws on any input.

// The format of one application identifier's data.
struct Gs1AiFormat
{
    std::size_t aiLength;  // 2, 3 or 4 digits
    std::size_t minLength; // data length bounds (equal for fixed-length AIs)
    std::size_t maxLength;
    std::size_t numericPrefix; // leading data characters that must be digits (all, for n fields)
    std::size_t checkedLength; // the first N data digits end with a GS1 mod-10 check digit
                               // (00: 18, 01/02/03: 14, 8006: 14 …); 0 = no check digit
    bool date;                 // YYMMDD at the start of the data (11, 13, 15, 17 …)
};

// The format of the AI at the start of `digits`, or nullopt when no known AI starts there.
std::optional<Gs1AiFormat> gs1AiFormat(std::string_view digits);

// True when the first two digits of an AI are in the GS1 "predefined length" table (00-04, 11-20,
// 31-36, 41): such an element never needs a GS after it.
bool gs1PredefinedLength(std::string_view ai);

// The GS1 mod-10 check digit of `digits` (the data digits without the check digit), weights 3,1,3,…
// from the right; nullopt when `digits` is empty or holds a non-digit.
std::optional<char> gs1CheckDigit(std::string_view digits);

// Parse an element string: the data after the AIM prefix (the leading FNC1 not sent), with GS
// (0x1D) after every variable-length element that is not last. A leading GS (FNC1 sent as data by
// some scanners) is skipped. Everything is checked and nothing is guessed: an unknown AI, a field
// too short or too long, a non-digit in a numeric field, a character outside GS1 character set 82,
// an impossible date or a wrong check digit is a Protocol error naming the AI and the position.
Result<std::vector<Gs1Element>> parseGs1ElementString(std::string_view data);

// Split an element string as far as the AI table (gs1AiFormat) reads it, checking nothing else: a
// fixed-length AI takes its length, a variable one runs to the next GS or the end, and GS between
// elements (leading, doubled, trailing) is skipped. The walk stops at the first unknown AI or at a
// fixed-length field cut short and returns the elements read until then. For scans that the strict
// parser refuses as a whole but whose keys are still worth reading (a scanner that drops or mangles
// FNC1, a private AI in the middle); the caller checks the values it uses (check digits, dates).
std::vector<Gs1Element> readGs1Elements(std::string_view data);

// Fill scan.gs1 (or scan.gs1Error) when the scan is GS1: its AIM id announces GS1 (]C1 ]d2 ]Q3 ]e0
// …; the error is then reported), or its data starts with GS; or it came without an AIM id, holds a
// GS and parses cleanly as GS1 (a scanner set to send no AIM prefix). Other scans are left alone.
void annotateGs1(Scan& scan);

} // namespace retour::drivers::protocol
