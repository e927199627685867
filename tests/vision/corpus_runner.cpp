// Reads every image of the vision corpus with readBarcodes() and checks each set's read rate and
// misreads against its floor (ZXing-C++'s black-box runner, docs/protocols/benchmarks.md §4). An image counts
// as read when every expected code is found with its format and text; any code found that is not expected is
// a misread. The rates are printed for every set, pass or fail.
#include "corpus.h"
#include "retour/vision/barcode_reader.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <opencv2/imgcodecs.hpp>

namespace {

using namespace retour::vision;

struct Floor
{
    double minRate; // share of images fully read
    int maxMisreads;
};

// Measured rates sit above these floors; a change that loses reads or adds a false one fails.
const std::map<std::string, Floor> floors = {
    {"formats", {1.0, 0}},      {"blur", {0.8, 0}},   {"rotation", {1.0, 0}},    {"skew", {0.75, 0}},
    {"perspective", {0.95, 0}}, {"noise", {0.95, 0}}, {"lowcontrast", {0.9, 0}}, {"glare", {0.95, 0}},
    {"multi", {1.0, 0}},        {"nocode", {1.0, 0}},
};

std::string printable(const std::string& text)
{
    std::string out;
    for (char c : text)
        out += c == '\x1d' ? std::string("<GS>") : std::string(1, c);
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s SAMPLES-DIR [-v]\n", argv[0]);
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    const bool verbose = argc > 2 && std::string(argv[2]) == "-v";
    int failures = 0;
    std::printf("%-12s %6s %6s %8s %9s %10s\n", "set", "images", "read", "rate", "misreads", "ms/image");
    for (const auto& set : retour::vision::corpus::setNames()) {
        const auto samples = retour::vision::corpus::loadSet(dir, set);
        if (samples.empty()) {
            std::printf("%-12s no images under %s\n", set.c_str(), (dir / set).c_str());
            ++failures;
            continue;
        }
        int read = 0;
        int misreads = 0;
        double ms = 0;
        for (const auto& sample : samples) {
            const cv::Mat frame = cv::imread(sample.image.string(), cv::IMREAD_COLOR);
            const auto start = std::chrono::steady_clock::now();
            const auto codes = readBarcodes(frame);
            ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
            std::size_t found = 0;
            for (const auto& expected : sample.codes)
                for (const auto& code : codes)
                    if (code.format == expected.format && code.text == expected.text) {
                        ++found;
                        break;
                    }
            for (const auto& code : codes) {
                bool wanted = false;
                for (const auto& expected : sample.codes)
                    wanted = wanted || (code.format == expected.format && code.text == expected.text);
                if (!wanted) {
                    ++misreads;
                    std::printf("  misread %s: %s \"%s\"\n", sample.image.c_str(), code.format.c_str(),
                                printable(code.text).c_str());
                }
            }
            if (found == sample.codes.size())
                ++read;
            else if (verbose)
                for (const auto& expected : sample.codes)
                    std::printf("  missed? %s: %s \"%s\" (%zu of %zu found)\n", sample.image.c_str(),
                                expected.format.c_str(), printable(expected.text).c_str(), found,
                                sample.codes.size());
        }
        const double rate = static_cast<double>(read) / static_cast<double>(samples.size());
        const Floor floor = floors.at(set);
        const bool ok = rate + 1e-9 >= floor.minRate && misreads <= floor.maxMisreads;
        failures += ok ? 0 : 1;
        std::printf("%-12s %6zu %6d %7.1f%% %9d %10.1f  floor %.0f%%, %d misreads%s\n", set.c_str(),
                    samples.size(), read, 100 * rate, misreads, ms / static_cast<double>(samples.size()),
                    100 * floor.minRate, floor.maxMisreads, ok ? "" : "  FAILED");
    }
    return failures == 0 ? 0 : 1;
}
