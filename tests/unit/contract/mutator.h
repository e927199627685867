#pragma once

// Hostile changes to real message bodies, for the property test of the decoders
// (mutations.cpp, schema_agreement.py) and the fault test that sends them to central: members
// deleted, added or renamed; values of the wrong type, huge, odd or almost valid (dates, UUIDs,
// enums, lengths on the schemas' edges); arrays emptied or grown; nesting around the depth limit;
// truncation, bad UTF-8, unpaired surrogates, a byte order mark, bodies around the size limit.

#include "codec_by_kind.h"

#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace retour::sync::test {

using Random = std::mt19937_64;

struct Golden
{
    std::string kind; // the schema's name: docs/schemas/<kind>.json
    std::string name; // the case: <kind>/<name>.json
    std::string body;
};

// Every golden body of `testdata` (<kind>/<case>.json), kinds in kKinds order, cases by name.
std::vector<Golden> loadGoldens(const std::filesystem::path& testdata);

// One to three changes to `body`; the same `random` state gives the same result on every machine.
std::string mutate(std::string body, Random& random);

} // namespace retour::sync::test
