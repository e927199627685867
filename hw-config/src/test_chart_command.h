#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace retour::hwconfig {

struct TestChartRequest
{
    std::string out;                // PNG (or any format OpenCV writes) to create
    std::vector<std::string> codes; // "TEXT" or "TEXT:FORMAT" (format default Code 128)
    std::string caption;
    int width = 1280;
    int height = 720;
};

// `retour-hw-config test-chart`: draw a chart of barcodes to hold under a bench camera (focus,
// framing and read-back checks), or to feed a `file:` camera. Returns the exit status.
int runTestChart(const TestChartRequest& request, std::ostream& out, std::ostream& err);

// Split "TEXT:FORMAT" where FORMAT is a known barcode format name; otherwise the whole string is
// the text and the format is Code 128 (command barcodes such as CMD:GRADE:0:A contain colons).
std::pair<std::string, std::string> splitCodeSpec(const std::string& spec);

} // namespace retour::hwconfig
