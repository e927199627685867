#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace retour::drivers::detail {

// RFC 3986 percent-decoding ("%1D" → 0x1D). '+' is kept as is (this is not form encoding).
// Returns nullopt on a truncated or non-hex escape. Reentrant.
std::optional<std::string> percentDecode(std::string_view text);

// The inverse: escapes everything outside RFC 3986 "unreserved". Reentrant.
std::string percentEncode(std::string_view text);

} // namespace retour::drivers::detail
