#pragma once

#include "retour/contract/rma.h"
#include "tests/support/paths.h"
#include "workflow/rma.h"

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace retour::station::testing {

// The bench's RMAs, shared by the identification, workflow and store tests: the documents of
// tests/fixtures/rmas/bench.json as central publishes them (docs/schemas/rma.json), read through
// the contract's decoder like the station's RMA cache. GTINs carry valid check digits.
// RMA-000101 portal (one line, with a serial and a tracking number), RMA-000102 pre-printed label,
// RMA-000103 customer service (two lines: shoes and a belt), RMA-000104 trade-in (80.00).
inline Rma benchRma(std::string_view rmaId)
{
    const auto documents = nlohmann::json::parse(retour::test::fixtures::text("rmas/bench.json"));
    for (const auto& document : documents) {
        if (document.at("rma_id") == rmaId) {
            auto decoded = sync::decodeRma(document.dump());
            if (!decoded) {
                throw std::runtime_error("rmas/bench.json: " + decoded.error().message);
            }
            return fromContract(*decoded);
        }
    }
    throw std::runtime_error("rmas/bench.json has no " + std::string(rmaId));
}

inline Rma portalRma()
{
    return benchRma("RMA-000101");
}

inline Rma preprintedRma()
{
    return benchRma("RMA-000102");
}

inline Rma multiLineRma()
{
    return benchRma("RMA-000103");
}

inline Rma tradeInRma()
{
    return benchRma("RMA-000104");
}

inline MemoryRmaDirectory demoDirectory()
{
    MemoryRmaDirectory directory;
    directory.put(portalRma());
    directory.put(preprintedRma());
    directory.put(multiLineRma());
    directory.put(tradeInRma());
    return directory;
}

// A valid GTIN in none of the RMAs above.
inline constexpr const char* kUnannouncedGtin = "4012345678901";

} // namespace retour::station::testing
