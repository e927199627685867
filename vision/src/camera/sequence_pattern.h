#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace retour::vision {

// A file pattern with one printf integer conversion ("frame_%03d.png"), the form OpenCV 4.6's
// CAP_IMAGES accepts ('%', optional '0', optional width, 'd' or 'u'). Parsed here so that a bad
// pattern is refused with a clear message and the name of a missing frame can be reported.
struct SequencePattern
{
    std::string prefix;
    std::string suffix;
    int width = 0;
    bool zeroPad = false;

    // The file name of one index, as printf would write it.
    std::string format(long index) const;
};

// nullopt unless the text has exactly one '%' followed by [0][width](d|u), width < 10.
std::optional<SequencePattern> parseSequencePattern(std::string_view text);

} // namespace retour::vision
