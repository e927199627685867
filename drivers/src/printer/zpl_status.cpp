#include "retour/drivers/protocol/zpl_status.h"

#include <charconv>
#include <string>
#include <vector>

namespace retour::drivers::protocol {

namespace {

constexpr char kStx = 0x02;
constexpr char kEtx = 0x03;

// The payloads of the complete STX…ETX frames, in order.
std::vector<std::string_view> frames(std::string_view reply)
{
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (true) {
        const auto stx = reply.find(kStx, pos);
        if (stx == std::string_view::npos) {
            break;
        }
        const auto etx = reply.find(kEtx, stx + 1);
        if (etx == std::string_view::npos) {
            break;
        }
        // A second STX before the ETX means the first frame was cut: restart from it.
        const auto nextStx = reply.find(kStx, stx + 1);
        if (nextStx != std::string_view::npos && nextStx < etx) {
            pos = nextStx;
            continue;
        }
        out.push_back(reply.substr(stx + 1, etx - stx - 1));
        pos = etx + 1;
    }
    return out;
}

std::vector<std::string_view> fields(std::string_view frame)
{
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        const auto comma = frame.find(',', start);
        out.push_back(
            frame.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (comma == std::string_view::npos) {
            break;
        }
        start = comma + 1;
    }
    return out;
}

std::string printable(std::string_view text)
{
    std::string out;
    for (const char c : text.substr(0, 80)) {
        const auto u = static_cast<unsigned char>(c);
        if (u == 0x02) {
            out += "<STX>";
        } else if (u == 0x03) {
            out += "<ETX>";
        } else if (u < 0x20 || u >= 0x7F) {
            out += '.';
        } else {
            out += c;
        }
    }
    if (text.size() > 80) {
        out += "…";
    }
    return out;
}

Error statusError(std::string_view reply, const std::string& what)
{
    return Error{ErrorCode::Protocol, "ZPL ~HS reply '" + printable(reply) + "': " + what};
}

struct FieldReader
{
    std::string_view reply;
    const std::vector<std::string_view>& values;
    int string;

    Result<long> number(std::size_t index, const char* name) const
    {
        const std::string_view text = values[index];
        long value = 0;
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || value < 0) {
            return std::unexpected(statusError(reply, "field " + std::string(name) + " of string " +
                                                          std::to_string(string) + " is '" + printable(text) +
                                                          "', not a number"));
        }
        return value;
    }
};

} // namespace

std::size_t countZplStatusStrings(std::string_view reply)
{
    return frames(reply).size();
}

Result<PrinterStatus> parseZplHostStatus(std::string_view reply)
{
    const auto parts = frames(reply);
    if (parts.size() < 3) {
        return std::unexpected(
            statusError(reply, "truncated: " + std::to_string(parts.size()) + " of 3 STX…ETX strings"));
    }
    const auto s1 = fields(parts[0]);
    const auto s2 = fields(parts[1]);
    // Fields used: string 1 up to f (index 5), string 2 up to p (index 3).
    if (s1.size() < 6) {
        return std::unexpected(
            statusError(reply, "string 1 has " + std::to_string(s1.size()) + " fields, expected 12"));
    }
    if (s2.size() < 4) {
        return std::unexpected(
            statusError(reply, "string 2 has " + std::to_string(s2.size()) + " fields, expected 11"));
    }
    const FieldReader r1{reply, s1, 1};
    const FieldReader r2{reply, s2, 2};
    const auto paperOut = r1.number(1, "b (paper out)");
    const auto paused = r1.number(2, "c (pause)");
    const auto formats = r1.number(4, "eee (formats in buffer)");
    const auto bufferFull = r1.number(5, "f (buffer full)");
    const auto headOpen = r2.number(2, "o (head up)");
    const auto ribbonOut = r2.number(3, "p (ribbon out)");
    for (const auto* field : {&paperOut, &paused, &formats, &bufferFull, &headOpen, &ribbonOut}) {
        if (!*field) {
            return std::unexpected(field->error());
        }
    }

    PrinterStatus status;
    status.paperOut = *paperOut != 0;
    status.paused = *paused != 0;
    status.formatsInBuffer = static_cast<int>(*formats);
    status.bufferFull = *bufferFull != 0;
    status.headOpen = *headOpen != 0;
    status.ribbonOut = *ribbonOut != 0;
    status.ready =
        !status.paperOut && !status.paused && !status.headOpen && !status.ribbonOut && !status.bufferFull;

    std::string detail;
    const auto add = [&detail](bool flag, const char* what) {
        if (flag) {
            detail += detail.empty() ? "" : ", ";
            detail += what;
        }
    };
    add(status.paperOut, "paper out");
    add(status.headOpen, "head open");
    add(status.ribbonOut, "ribbon out");
    add(status.paused, "paused");
    add(status.bufferFull, "receive buffer full");
    status.detail = detail;
    return status;
}

} // namespace retour::drivers::protocol
