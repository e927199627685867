// retour_contract_mutations TESTDATA OUT.jsonl [COUNT] [SEED]
//
// Mutates the golden bodies of TESTDATA (<kind>/<case>.json) COUNT times (default 6000) with a
// fixed seed (default 12), see mutator.h, and writes one line per mutated body with the C++
// decoder's verdict,
//   {"kind": "...", "payload": "<hex>", "accepted": true|false, "reason": "..."},
// for schema_agreement.py to compare with the JSON Schema's.
#include "codec_by_kind.h"
#include "mutator.h"

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

namespace {

std::string hex(std::string_view bytes)
{
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        out += digits[static_cast<unsigned char>(c) >> 4];
        out += digits[static_cast<unsigned char>(c) & 15];
    }
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    using namespace retour::sync::test;
    using nlohmann::json;
    if (argc < 3 || argc > 5) {
        std::cerr << "usage: retour_contract_mutations TESTDATA OUT.jsonl [COUNT] [SEED]\n";
        return 2;
    }
    const std::size_t count = argc > 3 ? std::stoul(argv[3]) : 6000;
    Random random(argc > 4 ? std::stoull(argv[4]) : 12);
    const std::vector<Golden> goldens = loadGoldens(argv[1]);
    if (goldens.empty()) {
        std::cerr << "retour_contract_mutations: no golden bodies in " << argv[1] << "\n";
        return 2;
    }
    std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
    for (std::size_t i = 0; i < count; ++i) {
        const Golden& golden = goldens[i % goldens.size()];
        const std::string body = mutate(golden.body, random);
        const auto verdict = roundTrip(golden.kind, body);
        const json line = {{"kind", golden.kind},
                           {"payload", hex(body)},
                           {"accepted", verdict.has_value()},
                           {"reason", verdict ? std::string() : verdict.error().message}};
        out << line.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
    }
    return out ? 0 : 1;
}
