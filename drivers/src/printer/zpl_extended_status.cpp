#include "retour/drivers/protocol/zpl_extended_status.h"

#include <array>
#include <charconv>
#include <cstdio>
#include <optional>
#include <utility>

namespace retour::drivers::protocol {

namespace {

constexpr char kStx = 0x02;
constexpr char kEtx = 0x03;

std::string printable(std::string_view text)
{
    std::string out;
    for (const char c : text.substr(0, 120)) {
        const auto u = static_cast<unsigned char>(c);
        if (u == 0x02) {
            out += "<STX>";
        } else if (u == 0x03) {
            out += "<ETX>";
        } else if (u == '\r' || u == '\n') {
            out += ' ';
        } else if (u < 0x20 || u >= 0x7F) {
            out += '.';
        } else {
            out += c;
        }
    }
    if (text.size() > 120) {
        out += "...";
    }
    return out;
}

Error hqesError(std::string_view reply, const std::string& what)
{
    return Error{ErrorCode::Protocol, "ZPL ~HQES reply '" + printable(reply) + "': " + what};
}

// The text between the first STX and the ETX after it; npos-sized view when incomplete.
std::optional<std::string_view> block(std::string_view reply)
{
    const auto stx = reply.find(kStx);
    if (stx == std::string_view::npos) {
        return std::nullopt;
    }
    const auto etx = reply.find(kEtx, stx + 1);
    if (etx == std::string_view::npos) {
        return std::nullopt;
    }
    return reply.substr(stx + 1, etx - stx - 1);
}

std::string_view nextToken(std::string_view& text)
{
    std::size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
        ++i;
    }
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\t' && text[j] != '\r' && text[j] != '\n') {
        ++j;
    }
    const auto token = text.substr(i, j - i);
    text = text.substr(j);
    return token;
}

struct Line
{
    bool flag;
    std::uint32_t bits;
};

Result<Line> parseLine(std::string_view reply, std::string_view body, std::string_view label)
{
    const auto at = body.find(label);
    if (at == std::string_view::npos) {
        return std::unexpected(hqesError(reply, "no '" + std::string(label) + "' line"));
    }
    std::string_view rest = body.substr(at + label.size());
    const auto flag = nextToken(rest);
    const auto high = nextToken(rest);
    const auto low = nextToken(rest);
    if (flag != "0" && flag != "1") {
        return std::unexpected(
            hqesError(reply, std::string(label) + " flag is '" + printable(flag) + "', expected 0 or 1"));
    }
    for (const auto group : {high, low}) {
        std::uint32_t value = 0;
        const auto [ptr, ec] = std::from_chars(group.data(), group.data() + group.size(), value, 16);
        if (group.size() != 8 || ec != std::errc{} || ptr != group.data() + group.size()) {
            return std::unexpected(hqesError(reply, std::string(label) + " group '" + printable(group) +
                                                        "' is not 8 hex digits"));
        }
    }
    std::uint32_t bits = 0;
    std::from_chars(low.data(), low.data() + low.size(), bits, 16);
    return Line{flag == "1", bits};
}

constexpr std::array<std::pair<std::uint32_t, const char*>, 16> kErrorNames{{
    {kHqesMediaOut, "paper out"},
    {kHqesRibbonOut, "ribbon out"},
    {kHqesHeadOpen, "head open"},
    {kHqesCutterFault, "cutter fault"},
    {kHqesHeadOverTemp, "printhead over temperature"},
    {kHqesMotorOverTemp, "motor over temperature"},
    {kHqesBadHead, "bad printhead element"},
    {kHqesHeadThermistor, "printhead thermistor fault"},
    {kHqesPaperJam, "paper jam"},
    {kHqesPresenter, "presenter fault"},
    {kHqesPaperFeed, "paper feed error"},
    {kHqesClearPathFailed, "clear paper path failed"},
    {kHqesPaused, "paused"},
    {kHqesRetractTimeout, "retract timeout"},
    {kHqesMarkCalibration, "black mark calibration error"},
    {kHqesMarkNotFound, "black mark not found"},
}};

} // namespace

bool zplExtendedStatusComplete(std::string_view reply)
{
    const auto body = block(reply);
    return body && body->find("ERRORS:") != std::string_view::npos &&
           body->find("WARNINGS:") != std::string_view::npos;
}

Result<ZplExtendedStatus> parseZplExtendedStatus(std::string_view reply)
{
    const auto body = block(reply);
    if (!body) {
        return std::unexpected(hqesError(reply, "no complete STX…ETX block"));
    }
    auto errors = parseLine(reply, *body, "ERRORS:");
    if (!errors) {
        return std::unexpected(errors.error());
    }
    auto warnings = parseLine(reply, *body, "WARNINGS:");
    if (!warnings) {
        return std::unexpected(warnings.error());
    }
    return ZplExtendedStatus{errors->flag, errors->bits, warnings->flag, warnings->bits};
}

std::string describeHqesErrors(std::uint32_t errors)
{
    std::string out;
    std::uint32_t named = 0;
    for (const auto& [bit, name] : kErrorNames) {
        named |= bit;
        if ((errors & bit) != 0) {
            out += out.empty() ? "" : ", ";
            out += name;
        }
    }
    if ((errors & ~named) != 0) {
        char text[32];
        std::snprintf(text, sizeof text, "other error 0x%X", errors & ~named);
        out += out.empty() ? "" : ", ";
        out += text;
    }
    return out;
}

PrinterStatus toPrinterStatus(const ZplExtendedStatus& status)
{
    PrinterStatus out;
    out.paperOut = (status.errors & kHqesMediaOut) != 0;
    out.ribbonOut = (status.errors & kHqesRibbonOut) != 0;
    out.headOpen = (status.errors & kHqesHeadOpen) != 0;
    out.paused = (status.errors & kHqesPaused) != 0;
    out.ready = status.errors == 0 && !status.errorFlag;
    out.detail = describeHqesErrors(status.errors);
    if (out.detail.empty() && status.errorFlag) {
        out.detail = "error reported without detail";
    }
    return out;
}

void mergeExtendedStatus(PrinterStatus& status, const ZplExtendedStatus& extended)
{
    const PrinterStatus more = toPrinterStatus(extended);
    status.paperOut = status.paperOut || more.paperOut;
    status.ribbonOut = status.ribbonOut || more.ribbonOut;
    status.headOpen = status.headOpen || more.headOpen;
    status.paused = status.paused || more.paused;
    status.ready = status.ready && more.ready;
    // Names the ~HS detail does not have yet, in ~HQES order.
    std::string_view rest = more.detail;
    while (!rest.empty()) {
        const auto comma = rest.find(", ");
        const auto name = rest.substr(0, comma);
        if (status.detail.find(name) == std::string::npos) {
            status.detail += status.detail.empty() ? "" : ", ";
            status.detail += name;
        }
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 2);
    }
}

} // namespace retour::drivers::protocol
