#include "retour/station/gtin.h"

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

std::optional<Gs1Item> parseGs1ElementString(std::string_view text)
{
    constexpr char kGs = '\x1d';
    if (text.size() < 16 || text.substr(0, 2) != "01" || !isValidGtin(text.substr(2, 14))) {
        return std::nullopt;
    }
    Gs1Item item{std::string(text.substr(2, 14)), {}};
    std::string_view rest = text.substr(16);
    // Walk the remaining AIs (GS1 GenSpecs §3.2): fixed-length date AIs 11/13/15/17 (6 digits),
    // 02 (14 digits); variable 10 (batch) and 21 (serial), terminated by GS or the end. Any other AI
    // ends the walk: only the serial is needed here.
    while (!rest.empty()) {
        if (rest.front() == kGs) {
            rest.remove_prefix(1);
            continue;
        }
        if (rest.size() < 2) {
            break;
        }
        const std::string_view ai = rest.substr(0, 2);
        rest.remove_prefix(2);
        std::size_t fixed = 0;
        if (ai == "11" || ai == "13" || ai == "15" || ai == "17") {
            fixed = 6;
        } else if (ai == "02") {
            fixed = 14;
        } else if (ai != "10" && ai != "21") {
            break;
        }
        if (fixed > 0) {
            if (rest.size() < fixed) {
                break;
            }
            rest.remove_prefix(fixed);
            continue;
        }
        const auto end = rest.find(kGs);
        if (ai == "21") {
            item.serial = std::string(rest.substr(0, end));
        }
        if (end == std::string_view::npos) {
            break;
        }
        rest.remove_prefix(end + 1);
    }
    return item;
}

} // namespace retour::station
