#include "camera/sequence_pattern.h"

namespace retour::vision {

std::string SequencePattern::format(long index) const
{
    std::string digits = std::to_string(index < 0 ? -index : index);
    std::string sign = index < 0 ? "-" : "";
    auto used = sign.size() + digits.size();
    auto pad = static_cast<std::size_t>(width) > used ? static_cast<std::size_t>(width) - used : 0;
    std::string number =
        zeroPad ? sign + std::string(pad, '0') + digits : std::string(pad, ' ') + sign + digits;
    return prefix + number + suffix;
}

std::optional<SequencePattern> parseSequencePattern(std::string_view text)
{
    auto percent = text.find('%');
    if (percent == std::string_view::npos || text.find('%', percent + 1) != std::string_view::npos)
        return std::nullopt;
    SequencePattern pattern;
    pattern.prefix = std::string(text.substr(0, percent));
    auto i = percent + 1;
    if (i < text.size() && text[i] == '0') {
        pattern.zeroPad = true;
        ++i;
    }
    if (i < text.size() && text[i] >= '1' && text[i] <= '9') {
        pattern.width = text[i] - '0';
        ++i;
    }
    if (i >= text.size() || (text[i] != 'd' && text[i] != 'u'))
        return std::nullopt;
    pattern.suffix = std::string(text.substr(i + 1));
    return pattern;
}

} // namespace retour::vision
