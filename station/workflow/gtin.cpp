#include "workflow/gtin.h"

#include "retour/drivers/protocol/aim.h"
#include "retour/drivers/protocol/gs1.h"

#include <algorithm>

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
    // Weights 3,1,3,1,… from the rightmost digit before the check digit (GS1 GenSpecs §7.9.1).
    const auto check = drivers::protocol::gs1CheckDigit(digits);
    return check ? *check - '0' : -1;
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
    if (const auto split = drivers::protocol::splitAimPrefix(text)) {
        return split->data;
    }
    return text;
}

namespace {

constexpr char kGs = '\x1d';

// The AIM identifiers of GS1 symbols (drivers' aim.h: GS1-128, GS1 DataMatrix, GS1 QR Code, GS1
// DataBar, GS1 Aztec …) and GS1 DotCode (]J1, GS1 GenSpecs §5.4.2.4).
bool isGs1SymbologyIdentifier(std::string_view text)
{
    const std::string_view id = text.substr(0, 3);
    return drivers::protocol::aimIsGs1(id) || id == "]J1";
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

// The raw element string, read leniently with the drivers' AI table (gs1.h readGs1Elements):
// fixed-length fields run into the next AI, variable ones end at GS, an unknown AI ends the walk.
void walkElementString(std::string_view rest, Gs1Data& data)
{
    for (const auto& element : drivers::protocol::readGs1Elements(rest)) {
        keep(data, element.ai, element.value);
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
