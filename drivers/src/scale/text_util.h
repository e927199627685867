#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>

namespace retour::drivers::detail {

// Small text helpers shared by the serial scale parsers. Pure and reentrant.

// `text` with bytes outside printable ASCII written as \xNN, cut after 80 bytes, for messages.
std::string printable(std::string_view text);

// `text` without leading and trailing spaces.
std::string_view trimSpaces(std::string_view text);

// A decimal number as scales write it: optional sign ('+' allowed), digits, optional '.' and digits;
// nothing else. nullopt otherwise.
std::optional<double> parseDecimal(std::string_view text);

} // namespace retour::drivers::detail
