#include "retour/station/gtin.h"

#include <algorithm>
#include <cctype>

namespace retour::station {

namespace {

bool allDigits(std::string_view text)
{
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

int gs1CheckDigit(std::string_view digits)
{
    if (!allDigits(digits)) {
        return -1;
    }
    // Weights 3,1,3,1,… from the rightmost digit before the check digit (GS1 GenSpecs §7.9.1).
    int sum = 0;
    int weight = 3;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        sum += (*it - '0') * weight;
        weight = weight == 3 ? 1 : 3;
    }
    return (10 - sum % 10) % 10;
}

bool isValidGtin(std::string_view text)
{
    const auto n = text.size();
    if ((n != 8 && n != 12 && n != 13 && n != 14) || !allDigits(text)) {
        return false;
    }
    return gs1CheckDigit(text.substr(0, n - 1)) == text.back() - '0';
}

std::optional<std::string> normalizeGtin(std::string_view text)
{
    if (!isValidGtin(text)) {
        return std::nullopt;
    }
    return std::string(14 - text.size(), '0') + std::string(text);
}

std::string_view stripSymbologyIdentifier(std::string_view text)
{
    // AIM symbology identifier (ISO/IEC 15424): "]", a code letter, a modifier character.
    if (text.size() >= 3 && text[0] == ']' && std::isalpha(static_cast<unsigned char>(text[1])) != 0 &&
        std::isalnum(static_cast<unsigned char>(text[2])) != 0) {
        text.remove_prefix(3);
    }
    return text;
}

namespace {

constexpr char kGs = '\x1d';

// The AIM identifiers of GS1 symbols (GS1 GenSpecs §5.4.2.4 / ISO/IEC 15424): GS1-128, GS1
// DataMatrix, GS1 QR Code, GS1 DataBar, GS1 DotCode.
bool isGs1SymbologyIdentifier(std::string_view text)
{
    for (const std::string_view id : {"]C1", "]d2", "]Q3", "]e0", "]J1"}) {
        if (text.starts_with(id)) {
            return true;
        }
    }
    return false;
}

// Length of an AI and of its data (0 = variable, up to GS or the end), from the AI's first two
// digits (GS1 GenSpecs §3.2 and figure 5.10.1-2, predefined lengths); nullopt for an AI this walk
// does not know, which ends it.
struct AiShape
{
    std::size_t aiLength = 2;
    std::size_t dataLength = 0;
};
std::optional<AiShape> aiShape(std::string_view rest)
{
    if (rest.size() < 2 || !allDigits(rest.substr(0, 2))) {
        return std::nullopt;
    }
    const int head = (rest[0] - '0') * 10 + (rest[1] - '0');
    switch (head) {
    case 0:
        return AiShape{2, 18};
    case 1:
    case 2:
    case 3:
        return AiShape{2, 14};
    case 4:
        return AiShape{2, 16};
    case 11:
    case 12:
    case 13:
    case 14:
    case 15:
    case 16:
    case 17:
    case 18:
    case 19:
        return AiShape{2, 6};
    case 20:
        return AiShape{2, 2};
    case 10:
    case 21:
    case 22:
    case 30:
    case 37:
        return AiShape{2, 0};
    case 24:
    case 25:
    case 40:
    case 42:
        return rest.size() >= 3 && rest.substr(0, 3) == "402" ? AiShape{3, 17} : AiShape{3, 0};
    case 41:
        return AiShape{3, 13};
    case 31:
    case 32:
    case 33:
    case 34:
    case 35:
    case 36:
        return AiShape{4, 6};
    case 70:
    case 71:
    case 72:
    case 80:
    case 81:
    case 82:
        return AiShape{4, 0};
    default:
        if (head >= 90) {
            return AiShape{2, 0};
        }
        return std::nullopt;
    }
}

void keep(Gs1Data& data, std::string_view ai, std::string_view value)
{
    if (ai == "00" && value.size() == 18 && gs1CheckDigit(value.substr(0, 17)) == value.back() - '0') {
        data.sscc = std::string(value);
    } else if (ai == "01" && value.size() == 14 && isValidGtin(value)) {
        data.gtin = std::string(value);
    } else if (ai == "21") {
        data.serial = std::string(value);
    } else if (ai == "10") {
        data.batch = std::string(value);
    } else if (ai == "17" && allDigits(value)) {
        data.expiry = std::string(value);
    }
}

// "(01)04006381333931(21)SN-1": each AI in brackets, its value up to the next bracket.
void walkBracketed(std::string_view text, Gs1Data& data)
{
    while (!text.empty() && text.front() == '(') {
        const auto close = text.find(')');
        if (close == std::string_view::npos) {
            return;
        }
        const std::string_view ai = text.substr(1, close - 1);
        text.remove_prefix(close + 1);
        const auto next = text.find('(');
        std::string_view value = text.substr(0, next);
        while (!value.empty() && value.back() == kGs) {
            value.remove_suffix(1);
        }
        keep(data, ai, value);
        text = next == std::string_view::npos ? std::string_view{} : text.substr(next);
    }
}

// The raw element string: fixed-length fields run into the next AI, variable ones end at GS.
void walkElementString(std::string_view rest, Gs1Data& data)
{
    while (!rest.empty()) {
        if (rest.front() == kGs) {
            rest.remove_prefix(1);
            continue;
        }
        const auto shape = aiShape(rest);
        if (!shape || rest.size() < shape->aiLength) {
            return;
        }
        const std::string_view ai = rest.substr(0, shape->aiLength);
        rest.remove_prefix(shape->aiLength);
        std::string_view value;
        if (shape->dataLength > 0) {
            if (rest.size() < shape->dataLength) {
                return;
            }
            value = rest.substr(0, shape->dataLength);
            rest.remove_prefix(shape->dataLength);
        } else {
            const auto end = rest.find(kGs);
            value = rest.substr(0, end);
            rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        }
        keep(data, ai, value);
    }
}

} // namespace

std::optional<Gs1Data> parseGs1(std::string_view text)
{
    const bool gs1Symbol = isGs1SymbologyIdentifier(text);
    text = stripSymbologyIdentifier(text);
    // Scanners configured to show FNC1 send it as the text "<GS>".
    std::string buffer;
    if (text.find("<GS>") != std::string_view::npos) {
        buffer = std::string(text);
        for (auto at = buffer.find("<GS>"); at != std::string::npos; at = buffer.find("<GS>", at)) {
            buffer.replace(at, 4, 1, kGs);
        }
        text = buffer;
    }
    const bool leadingFnc1 = !text.empty() && text.front() == kGs;
    while (!text.empty() && text.front() == kGs) {
        text.remove_prefix(1);
    }
    Gs1Data data;
    if (text.starts_with("(")) {
        walkBracketed(text, data);
    } else {
        // Without a GS1 marker the text must open with a valid SSCC or GTIN.
        const bool keyFirst =
            (text.starts_with("00") && text.size() >= 20 &&
             gs1CheckDigit(text.substr(2, 17)) == text[19] - '0') ||
            (text.starts_with("01") && text.size() >= 16 && isValidGtin(text.substr(2, 14)));
        if (!gs1Symbol && !leadingFnc1 && !keyFirst) {
            return std::nullopt;
        }
        walkElementString(text, data);
    }
    if (data.sscc.empty() && data.gtin.empty()) {
        return std::nullopt;
    }
    return data;
}

std::optional<Gs1Item> parseGs1ElementString(std::string_view text)
{
    auto data = parseGs1(text);
    if (!data || data->gtin.empty()) {
        return std::nullopt;
    }
    return Gs1Item{data->gtin, data->serial};
}

} // namespace retour::station
