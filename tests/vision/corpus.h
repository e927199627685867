#pragma once

// The vision corpus: sets of generated images with their expected codes (tests/vision). Shared by
// the generator, the corpus runner and the vision benchmarks.

#include <filesystem>
#include <string>
#include <vector>

namespace retour::vision::corpus {

struct Expected
{
    std::string format; // as readBarcodes() reports it
    std::string text;   // GS (0x1D) written as "\x1d" in the .txt file
};

struct Sample
{
    std::filesystem::path image; // <dir>/<set>/<nnn>.png
    std::vector<Expected> codes; // empty for the no-code set
};

// The sets, in the order they are generated and reported.
const std::vector<std::string>& setNames();

// Writes every set under dir (created); returns the number of images written. Deterministic: the
// same images for the same program.
int generate(const std::filesystem::path& dir);

// The samples of one set, sorted by name; empty when the set is missing.
std::vector<Sample> loadSet(const std::filesystem::path& dir, const std::string& set);

} // namespace retour::vision::corpus
