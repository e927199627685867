#include "retour/drivers/protocol/aim.h"
#include "retour/drivers/protocol/gs1.h"

#include <algorithm>
#include <string>

namespace retour::drivers::protocol {

namespace {

constexpr char kGs = 0x1D;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// GS1 AI encodable character set 82 (GS1 General Specifications §7.11, figure 7.11-1).
bool inCharset82(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7A) {
        return false;
    }
    switch (c) {
    case '#':
    case '$':
    case '@':
    case '[':
    case '\\':
    case ']':
    case '^':
    case '`':
        return false;
    default:
        return true;
    }
}

std::string printable(std::string_view text)
{
    std::string out;
    for (const char c : text.substr(0, 100)) {
        const auto u = static_cast<unsigned char>(c);
        if (u == 0x1D) {
            out += "<GS>";
        } else if (u < 0x20 || u >= 0x7F) {
            out += '.';
        } else {
            out += c;
        }
    }
    if (text.size() > 100) {
        out += "...";
    }
    return out;
}

struct Failure
{
    std::string_view data;

    std::unexpected<Error> operator()(std::size_t position, const std::string& what) const
    {
        return std::unexpected(Error{ErrorCode::Protocol, "GS1 element string '" + printable(data) +
                                                              "': " + what + " at position " +
                                                              std::to_string(position)});
    }
};

bool validDate(std::string_view yymmdd)
{
    const int month = (yymmdd[2] - '0') * 10 + (yymmdd[3] - '0');
    const int day = (yymmdd[4] - '0') * 10 + (yymmdd[5] - '0');
    return month >= 1 && month <= 12 && day <= 31; // day 00 = "end of month" (GS1 §3.4.x)
}

} // namespace

std::optional<char> gs1CheckDigit(std::string_view digits)
{
    if (digits.empty()) {
        return std::nullopt;
    }
    int sum = 0;
    int weight = 3;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        if (!isDigit(*it)) {
            return std::nullopt;
        }
        sum += (*it - '0') * weight;
        weight = weight == 3 ? 1 : 3;
    }
    return static_cast<char>('0' + (10 - sum % 10) % 10);
}

Result<std::vector<Gs1Element>> parseGs1ElementString(std::string_view data)
{
    const Failure fail{data};
    std::vector<Gs1Element> elements;
    std::size_t pos = 0;
    if (!data.empty() && data[0] == kGs) {
        pos = 1; // FNC1 in first position, transmitted as GS
    }
    if (pos >= data.size()) {
        return fail(pos, "no application identifier");
    }
    while (pos < data.size()) {
        if (data[pos] == kGs) {
            return fail(pos, "empty element (GS where an AI should start)");
        }
        const auto format = gs1AiFormat(data.substr(pos));
        if (!format) {
            std::size_t digits = 0;
            while (pos + digits < data.size() && digits < 4 && isDigit(data[pos + digits])) {
                ++digits;
            }
            return fail(pos, digits == 0 ? "no AI (an AI starts with digits)"
                                         : "unknown AI '" + std::string(data.substr(pos, digits)) + "'");
        }
        const std::string ai(data.substr(pos, format->aiLength));
        const std::size_t start = pos + format->aiLength;
        std::size_t end = 0;
        if (format->minLength == format->maxLength) {
            end = start + format->minLength;
            if (end > data.size()) {
                return fail(start, "AI (" + ai + ") needs " + std::to_string(format->minLength) +
                                       " characters, got " + std::to_string(data.size() - start));
            }
        } else {
            const auto gs = data.find(kGs, start);
            end = gs == std::string_view::npos ? data.size() : gs;
            const std::size_t length = end - start;
            if (length < format->minLength || length > format->maxLength) {
                return fail(start, "AI (" + ai + ") has " + std::to_string(length) + " characters, allowed " +
                                       std::to_string(format->minLength) + "-" +
                                       std::to_string(format->maxLength) +
                                       (length > format->maxLength ? " (missing GS after it?)" : ""));
            }
        }
        const std::string_view value = data.substr(start, end - start);
        for (std::size_t i = 0; i < value.size(); ++i) {
            const char c = value[i];
            if (c == kGs) {
                return fail(start + i, "GS inside the fixed-length data of AI (" + ai + ")");
            }
            if (i < format->numericPrefix ? !isDigit(c) : !inCharset82(c)) {
                return fail(start + i, "AI (" + ai + ") may not contain '" + printable(value.substr(i, 1)) +
                                           "'" + (i < format->numericPrefix ? " (digits only)" : ""));
            }
        }
        if (format->date && !validDate(value)) {
            return fail(start,
                        "AI (" + ai + ") date " + std::string(value.substr(0, 6)) + " is not a YYMMDD date");
        }
        if (format->checkedLength > 0) {
            const std::string_view checked = value.substr(0, format->checkedLength);
            const auto expected = gs1CheckDigit(checked.substr(0, checked.size() - 1));
            if (!expected || *expected != checked.back()) {
                return fail(start + checked.size() - 1, "AI (" + ai + ") check digit is " +
                                                            std::string(1, checked.back()) + ", expected " +
                                                            std::string(1, expected.value_or('?')));
            }
        }
        elements.push_back(Gs1Element{ai, std::string(value)});
        pos = end;
        if (pos < data.size() && data[pos] == kGs) {
            ++pos; // separator (also tolerated after fixed-length elements and at the very end)
        }
    }
    return elements;
}

std::vector<Gs1Element> readGs1Elements(std::string_view data)
{
    std::vector<Gs1Element> elements;
    std::size_t pos = 0;
    while (pos < data.size()) {
        if (data[pos] == kGs) {
            ++pos;
            continue;
        }
        const auto format = gs1AiFormat(data.substr(pos));
        if (!format) {
            break;
        }
        const std::size_t start = pos + format->aiLength;
        std::size_t end = 0;
        // The same split as parseGs1ElementString: fixed length when the table says so, else to GS.
        if (format->minLength == format->maxLength) {
            end = start + format->minLength;
            if (end > data.size()) {
                break;
            }
        } else {
            end = std::min(data.find(kGs, start), data.size());
        }
        elements.push_back(Gs1Element{std::string(data.substr(pos, format->aiLength)),
                                      std::string(data.substr(start, end - start))});
        pos = end;
    }
    return elements;
}

void annotateGs1(Scan& scan)
{
    scan.gs1.clear();
    scan.gs1Error.clear();
    const bool announced = aimIsGs1(scan.aimId) || (!scan.text.empty() && scan.text[0] == kGs);
    if (!announced && !(scan.aimId.empty() && scan.text.find(kGs) != std::string::npos)) {
        return;
    }
    auto parsed = parseGs1ElementString(scan.text);
    if (parsed) {
        scan.gs1 = std::move(*parsed);
    } else if (announced) {
        scan.gs1Error = std::move(parsed.error().message);
    }
}

} // namespace retour::drivers::protocol
