#pragma once

#include "retour/drivers/error.h"
#include "retour/drivers/events.h"

#include <cstddef>
#include <string_view>

namespace retour::drivers::protocol {

// ZPL II ~HS (host status) reply: three strings, each STX … ETX CR LF (docs/protocols/zpl.md §2).
//   string 1: aaa,b,c,dddd,eee,f,…   b paper out, c paused, eee formats in buffer, f buffer full
//   string 2: mmm,n,o,p,…            o head open, p ribbon out
//   string 3: xxxx,y
// Fields are taken by position within each string, never by character offset.

// The command that asks for it.
inline constexpr std::string_view kZplHostStatusQuery = "~HS";

// Number of complete STX…ETX strings at the start of `reply` so far; a transport reads until 3.
std::size_t countZplStatusStrings(std::string_view reply);

// Parse a complete reply. Bytes outside the STX…ETX frames (CR LF, padding) are ignored. Fewer than
// three strings, too few fields or a non-numeric field give a Protocol error; never throws. `ready`
// is false on paper out, pause, head open, ribbon out or a full receive buffer, and `detail` names
// each of those. Reentrant.
Result<PrinterStatus> parseZplHostStatus(std::string_view reply);

} // namespace retour::drivers::protocol
