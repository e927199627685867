#include "retour/drivers/protocol/aim.h"
#include "retour/drivers/protocol/gs1.h"
#include "retour/drivers/protocol/hid_pos_scanner.h"

#include <cstdio>

namespace retour::drivers::protocol {

namespace {

std::string hex(std::span<const std::uint8_t> bytes)
{
    std::string out;
    char buf[4];
    for (std::size_t i = 0; i < bytes.size() && i < 16; ++i) {
        std::snprintf(buf, sizeof buf, "%02x ", bytes[i]);
        out += buf;
    }
    if (bytes.size() > 16) {
        out += "…";
    } else if (!out.empty()) {
        out.pop_back();
    }
    return out;
}

Error reportError(std::span<const std::uint8_t> report, const std::string& what)
{
    return Error{ErrorCode::Protocol, "HID POS scanner report [" + hex(report) + "] (" +
                                          std::to_string(report.size()) + " bytes): " + what};
}

bool isAimByte(std::uint8_t b, bool digitAllowed)
{
    return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (digitAllowed && b >= '0' && b <= '9');
}

} // namespace

Result<HidPosScannerReport> parseHidPosScannerReport(std::span<const std::uint8_t> report)
{
    if (report.empty()) {
        return std::unexpected(reportError(report, "empty"));
    }
    if (report[0] != kHidPosScannerReportId) {
        return std::unexpected(
            reportError(report, "report id " + std::to_string(report[0]) + ", expected 2 (scanned data)"));
    }
    if (report.size() < 5) {
        return std::unexpected(reportError(report, "too short for the length and AIM bytes"));
    }
    const std::size_t length = report[1];
    if (length > kHidPosScannerMaxData) {
        return std::unexpected(
            reportError(report, "length byte " + std::to_string(length) + " is above 56 data bytes"));
    }
    if (report.size() < 5 + length) {
        return std::unexpected(reportError(report, "length byte says " + std::to_string(length) +
                                                       " data bytes, the report holds " +
                                                       std::to_string(report.size() - 5)));
    }
    HidPosScannerReport out;
    if (report[2] == ']' && isAimByte(report[3], false) && isAimByte(report[4], true)) {
        out.aimId.assign(reinterpret_cast<const char*>(report.data() + 2), 3);
    }
    out.data.assign(reinterpret_cast<const char*>(report.data() + 5), length);
    if (report.size() >= kHidPosScannerReportSize) {
        out.vendorSymbology = static_cast<char>(report[61]);
        out.more = (report[63] & 0x01) != 0;
    }
    return out;
}

// Honeywell code ids (docs/protocols/scanners.md §2, byte 61).
std::string honeywellSymbology(char codeId)
{
    switch (codeId) {
    case 'j':
        return "Code 128";
    case 'I':
        return "GS1-128";
    case 'd':
        return "EAN-13";
    case 'D':
        return "EAN-8";
    case 'c':
        return "UPC-A";
    case 'E':
        return "UPC-E";
    case 'b':
        return "Code 39";
    case 'e':
        return "ITF";
    case 'w':
        return "Data Matrix";
    case 's':
        return "QR";
    case 'r':
        return "PDF417";
    case 'z':
        return "Aztec";
    case 'y':
        return "GS1 DataBar";
    default:
        return "";
    }
}

Result<std::optional<Scan>> HidPosScanAssembler::feed(std::span<const std::uint8_t> report)
{
    auto parsed = parseHidPosScannerReport(report);
    if (!parsed) {
        reset();
        return std::unexpected(parsed.error());
    }
    if (!started_) {
        started_ = true;
        aimId_ = parsed->aimId;
        vendorSymbology_ = parsed->vendorSymbology;
    } else if (parsed->aimId != aimId_) {
        // A continuation carries the AIM id of its barcode; another id means the rest was lost.
        const std::string was = aimId_;
        reset();
        return std::unexpected(reportError(report, "continuation with AIM id '" + parsed->aimId +
                                                       "' after '" + was + "': partial barcode dropped"));
    }
    data_ += parsed->data;
    if (data_.size() > maxBytes_) {
        reset();
        return std::unexpected(reportError(report, "barcode longer than " + std::to_string(maxBytes_) +
                                                       " bytes (continuation bit stuck?): dropped"));
    }
    if (parsed->more) {
        return std::optional<Scan>{};
    }
    Scan scan;
    scan.aimId = aimId_;
    scan.symbology = aimId_.empty() ? honeywellSymbology(vendorSymbology_) : aimSymbology(aimId_);
    if (scan.symbology.empty() && !aimId_.empty()) {
        scan.symbology = honeywellSymbology(vendorSymbology_);
    }
    scan.raw = aimId_ + data_;
    scan.text = std::move(data_);
    annotateGs1(scan);
    reset();
    return std::optional<Scan>{std::move(scan)};
}

void HidPosScanAssembler::reset()
{
    started_ = false;
    aimId_.clear();
    data_.clear();
    vendorSymbology_ = 0;
}

} // namespace retour::drivers::protocol
