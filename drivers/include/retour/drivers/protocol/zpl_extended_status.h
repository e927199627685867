#pragma once

#include "retour/drivers/error.h"
#include "retour/drivers/events.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace retour::drivers::protocol {

// ZPL II ~HQES (host query, extended status; docs/protocols/zpl.md §2): one STX … ETX block holding lines
//   PRINTER STATUS
//     ERRORS:         1 00000000 00000005
//     WARNINGS:       0 00000000 00000000
// Each line: a flag (0/1), then two groups of 8 hex digits; the bits are in the last group.

inline constexpr std::string_view kZplExtendedStatusQuery = "~HQES";

// Error bits (last group of ERRORS).
inline constexpr std::uint32_t kHqesMediaOut = 0x1;
inline constexpr std::uint32_t kHqesRibbonOut = 0x2;
inline constexpr std::uint32_t kHqesHeadOpen = 0x4;
inline constexpr std::uint32_t kHqesCutterFault = 0x8;
inline constexpr std::uint32_t kHqesHeadOverTemp = 0x10;
inline constexpr std::uint32_t kHqesMotorOverTemp = 0x20;
inline constexpr std::uint32_t kHqesBadHead = 0x40;
inline constexpr std::uint32_t kHqesHeadThermistor = 0x80;
inline constexpr std::uint32_t kHqesPaperJam = 0x1000;
inline constexpr std::uint32_t kHqesPresenter = 0x2000;
inline constexpr std::uint32_t kHqesPaperFeed = 0x4000;
inline constexpr std::uint32_t kHqesClearPathFailed = 0x8000;
inline constexpr std::uint32_t kHqesPaused = 0x10000;
inline constexpr std::uint32_t kHqesRetractTimeout = 0x20000;
inline constexpr std::uint32_t kHqesMarkCalibration = 0x40000;
inline constexpr std::uint32_t kHqesMarkNotFound = 0x80000;
// Warning bits (last group of WARNINGS).
inline constexpr std::uint32_t kHqesWarnCalibrateMedia = 0x1;
inline constexpr std::uint32_t kHqesWarnCleanHead = 0x2;
inline constexpr std::uint32_t kHqesWarnReplaceHead = 0x4;
inline constexpr std::uint32_t kHqesWarnPaperNearEnd = 0x8;

struct ZplExtendedStatus
{
    bool errorFlag = false;
    std::uint32_t errors = 0;
    bool warningFlag = false;
    std::uint32_t warnings = 0;
};

// True once `reply` holds an STX … ETX block with an ERRORS: and a WARNINGS: line (a transport
// reads until then).
bool zplExtendedStatusComplete(std::string_view reply);

// Parse a complete reply. Missing lines, a flag other than 0/1 or hex groups that are not 8 hex
// digits give a Protocol error naming the text; never throws. Reentrant.
Result<ZplExtendedStatus> parseZplExtendedStatus(std::string_view reply);

// The errors as PrinterStatus flags: media out → paperOut, ribbon out, head open, paused; every
// error bit makes the printer not ready and is named in `detail` ("paper out, cutter fault").
PrinterStatus toPrinterStatus(const ZplExtendedStatus& status);

// Fold the ~HQES view into a ~HS status: flags are or-ed, error bits ~HS cannot show (cutter fault,
// paper jam, …) are added to detail and make the printer not ready.
void mergeExtendedStatus(PrinterStatus& status, const ZplExtendedStatus& extended);

// Names of the error bits set, "paper out, head open" ("" when none).
std::string describeHqesErrors(std::uint32_t errors);

} // namespace retour::drivers::protocol
