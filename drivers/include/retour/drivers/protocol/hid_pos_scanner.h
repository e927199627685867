#pragma once

#include "retour/drivers/error.h"
#include "retour/drivers/events.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace retour::drivers::protocol {

// USB HID POS barcode scanner input report (usage page 0x8C; docs/protocols/scanners.md §2), report id
// included as hidraw delivers it:
//   0 report id 0x02 · 1 number of data bytes in this report (0..56) · 2..4 AIM id "]cm" (zeros when
//   the scanner sends none) · 5..60 data, zero-padded · 61 vendor symbology id · 62 reserved ·
//   63 bit 0: more reports follow for this barcode.

inline constexpr std::uint8_t kHidPosScannerReportId = 0x02;
inline constexpr std::size_t kHidPosScannerReportSize = 64;
inline constexpr std::size_t kHidPosScannerMaxData = 56;

struct HidPosScannerReport
{
    std::string aimId;      // "]Q0", or "" when bytes 2..4 are not an AIM id
    std::string data;       // the valid data bytes of this report
    char vendorSymbology{}; // byte 61 (Honeywell code id, e.g. 'j' Code 128), 0 when absent
    bool more = false;      // byte 63 bit 0
};

// Parse one report. Another report id, a report shorter than its length byte says, or a length
// byte above 56 is a Protocol error naming the bytes; never throws. A report shorter than 64 bytes
// that holds its data is accepted as the last of its barcode. Reentrant.
Result<HidPosScannerReport> parseHidPosScannerReport(std::span<const std::uint8_t> report);

// The symbology named by a Honeywell code id (byte 61: 'j' → "Code 128"); "" when unknown.
std::string honeywellSymbology(char codeId);

// Joins the reports of one barcode (continuation bit) into a Scan: text without the AIM prefix,
// aimId and symbology (from the AIM id, else from the vendor byte), raw = AIM id + data as sent,
// GS1 AIs when the data is GS1. A barcode that grows beyond maxBytes is dropped.
//
// Thread contract: thread-bound (one per device).
class HidPosScanAssembler
{
public:
    explicit HidPosScanAssembler(std::size_t maxBytes = 8192) : maxBytes_(maxBytes) {}

    // Feed one report; returns the Scan it completes, or a Protocol error for a report that cannot
    // be used (the partial barcode is then dropped too).
    Result<std::optional<Scan>> feed(std::span<const std::uint8_t> report);

    // Forget a partial barcode (device re-opened or lost).
    void reset();

    bool pending() const { return started_; }

private:
    std::size_t maxBytes_;
    bool started_ = false;
    std::string aimId_;
    std::string data_;
    char vendorSymbology_{};
};

} // namespace retour::drivers::protocol
