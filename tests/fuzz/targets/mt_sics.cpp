// Fuzz target: the MT-SICS serial scale protocol (protocol/mt_sics.h): the stream parser fed the input
// whole and cut at points the input chooses must give the same replies; each reply is turned into
// a Weight; the input is also parsed as a single line.
#include "retour/drivers/protocol/mt_sics.h"

#include "fuzz_input.h"

#include <cstdlib>
#include <vector>

using namespace retour::drivers;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text = retour::fuzz::asText({data, size});
    (void)protocol::parseMtSicsLine(text);

    protocol::MtSicsParser whole;
    const auto all = whole.feed(text);
    protocol::MtSicsParser pieces;
    std::vector<Result<protocol::MtSicsReply>> cut;
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
        if (const auto& r = all[i]) {
            (void)protocol::mtSicsWeight(*r);
        }
    }
    return 0;
}
