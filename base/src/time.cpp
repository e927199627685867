#include "retour/base/time.h"

#include <array>
#include <charconv>
#include <cstdio>

namespace retour::base {

std::string formatTimestamp(std::chrono::system_clock::time_point t)
{
    using namespace std::chrono;
    const auto ms = floor<milliseconds>(t);
    const auto day = floor<days>(ms);
    const year_month_day ymd{day};
    const hh_mm_ss hms{ms - day};
    std::array<char, 40> buf{};
    std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()), static_cast<int>(hms.subseconds().count()));
    return buf.data();
}

std::string nowTimestamp()
{
    return formatTimestamp(std::chrono::system_clock::now());
}

namespace {

// Reads exactly `width` decimal digits at `pos`.
bool digits(std::string_view text, std::size_t pos, std::size_t width, int& value)
{
    if (pos + width > text.size()) {
        return false;
    }
    for (std::size_t i = pos; i < pos + width; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
    }
    const auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + width, value);
    return ec == std::errc{} && end == text.data() + pos + width;
}

} // namespace

std::optional<std::chrono::system_clock::time_point> parseTimestamp(std::string_view text, TimestampForm form)
{
    using namespace std::chrono;
    const bool lenient = form == TimestampForm::DateTimeOrDate;
    int y = 0, mo = 0, d = 0;
    if (!digits(text, 0, 4, y) || text.size() < 10 || text[4] != '-' || !digits(text, 5, 2, mo) ||
        text[7] != '-' || !digits(text, 8, 2, d)) {
        return std::nullopt;
    }
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    if (text.size() == 10) {
        return lenient ? std::optional<system_clock::time_point>(sys_days{ymd}) : std::nullopt;
    }
    int h = 0, mi = 0, s = 0;
    const bool separator = text[10] == 'T' || text[10] == 't' || (lenient && text[10] == ' ');
    if (!separator || text.size() < 19 || !digits(text, 11, 2, h) || text[13] != ':' ||
        !digits(text, 14, 2, mi) || text[16] != ':' || !digits(text, 17, 2, s)) {
        return std::nullopt;
    }
    if (h > 23 || mi > 59 || s > 60) { // 60: a leap second
        return std::nullopt;
    }
    std::size_t pos = 19;
    nanoseconds fraction{0};
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        const std::size_t first = pos;
        long long scale = 100000000;
        long long ns = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            ns += (text[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == first) {
            return std::nullopt;
        }
        fraction = nanoseconds{ns};
    }
    minutes offset{0};
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        int oh = 0, om = 0;
        if (!digits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
            !digits(text, pos + 4, 2, om) || oh > 23 || om > 59) {
            return std::nullopt;
        }
        offset = hours{oh} + minutes{om};
        if (text[pos] == '-') {
            offset = -offset;
        }
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != text.size()) {
        return std::nullopt;
    }
    const auto local = sys_days{ymd} + hours{h} + minutes{mi} + seconds{s} + fraction;
    return time_point_cast<system_clock::duration>(local - offset);
}

} // namespace retour::base
