#include "test_chart_command.h"

#include "retour/vision/barcode_writer.h"

#include <array>
#include <opencv2/imgcodecs.hpp>
#include <ostream>

namespace retour::hwconfig {

std::pair<std::string, std::string> splitCodeSpec(const std::string& spec)
{
    static constexpr std::array<std::string_view, 7> formats = {"EAN-13",  "EAN-8",   "UPC-A",     "Code 128",
                                                                "Code 39", "QR Code", "DataMatrix"};
    const auto colon = spec.rfind(':');
    if (colon != std::string::npos) {
        const std::string format = spec.substr(colon + 1);
        for (auto known : formats) {
            if (format == known)
                return {spec.substr(0, colon), format};
        }
    }
    return {spec, "Code 128"};
}

int runTestChart(const TestChartRequest& request, std::ostream& out, std::ostream& err)
{
    std::vector<vision::ChartCode> codes;
    for (const auto& spec : request.codes) {
        auto [text, format] = splitCodeSpec(spec);
        if (auto check = vision::renderBarcode(text, format, 1200, 400); !check) {
            err << "retour-hw-config: test-chart: '" << spec << "': " << check.error().message << '\n';
            return 2;
        }
        codes.push_back({text, format});
    }
    const cv::Mat chart = vision::renderTestChart(codes, request.caption, request.width, request.height);
    try {
        if (!cv::imwrite(request.out, chart)) {
            err << "retour-hw-config: test-chart: cannot write " << request.out
                << " (check the folder exists and the extension is an image format)\n";
            return 1;
        }
    } catch (const cv::Exception& e) {
        err << "retour-hw-config: test-chart: cannot write " << request.out << ": " << e.what() << '\n';
        return 1;
    }
    out << request.out << ": " << codes.size() << " code(s), " << chart.cols << "x" << chart.rows << '\n';
    return 0;
}

} // namespace retour::hwconfig
