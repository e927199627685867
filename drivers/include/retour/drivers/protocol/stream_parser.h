#pragma once

#include "retour/drivers/error.h"

#include <string_view>
#include <vector>

namespace retour::drivers::protocol {

// What the framing parsers of a scale's byte stream (MtSicsParser, NciParser, SmaParser,
// ToledoParser) share: `Derived::feed(bytes, out)` appends one result per completed frame to `out`
// (the form a transport uses, reusing its vector); `feed(bytes)` returns them (the form tests, the
// fuzz targets and one-shot callers use). Derived writes `using StreamParser::feed;` beside its own.
//
// Thread contract: that of Derived.
template <class Derived, class Reply> class StreamParser
{
public:
    std::vector<Result<Reply>> feed(std::string_view bytes)
    {
        std::vector<Result<Reply>> out;
        static_cast<Derived*>(this)->feed(bytes, out);
        return out;
    }
};

} // namespace retour::drivers::protocol
