#pragma once

// The property every stream parser of the serial scales must keep (mt_sics, sma, nci, toledo):
// fed the input whole, or cut in pieces at points the input chooses, it gives the same replies,
// each well-formed or not alike. `interpret` is called on every well-formed reply (turning it into
// a Weight), so the sanitizers see that code too.

#include "fuzz_input.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace retour::fuzz {

template <class Parser, class Interpret>
void checkStreamParser(std::span<const std::uint8_t> data, Parser whole, Parser pieces, Interpret interpret)
{
    const std::string_view text = asText(data);
    const std::size_t size = data.size();
    const auto all = whole.feed(text);
    decltype(whole.feed(text)) cut;
    std::size_t at = 0;
    std::size_t step = size == 0 ? 1 : 1 + data[0] % 7;
    while (at < size) {
        const std::size_t n = step < size - at ? step : size - at;
        pieces.feed(text.substr(at, n), cut);
        at += n;
        step = 1 + data[at % size] % 13;
    }
    if (cut.size() != all.size()) {
        std::abort(); // framing must not depend on how the bytes arrive
    }
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (all[i].has_value() != cut[i].has_value()) {
            std::abort();
        }
        if (const auto& reply = all[i]) {
            interpret(*reply);
        }
    }
}

} // namespace retour::fuzz
