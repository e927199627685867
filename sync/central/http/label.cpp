// The return label as a PNG (retour_vision renders the symbols with ZXing-C++'s writer).
#include "http/api.h"
#include "retour/vision/barcode_writer.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace retour::central {

Result<std::string> renderLabelPng(const Return& ret, std::string_view site)
{
    // 4 x 6 inch label at 203 dpi (the common thermal label), portrait.
    constexpr int kWidth = 812;
    constexpr int kHeight = 1218;
    cv::Mat label(kHeight, kWidth, CV_8UC1, cv::Scalar(255));
    auto linear = vision::renderBarcode(ret.labelBarcode, "Code 128", 720, 260);
    if (!linear) {
        return fail(ErrorCode::Invalid,
                    "label barcode \"" + ret.labelBarcode + "\": " + linear.error().message);
    }
    auto qr = vision::renderBarcode(ret.labelBarcode, "QR Code", 420, 420);
    if (!qr) {
        return fail(ErrorCode::Invalid, "label QR code \"" + ret.labelBarcode + "\": " + qr.error().message);
    }
    const auto text = [&](const std::string& line, int y, double scale, int thickness) {
        cv::putText(label, line, cv::Point(46, y), cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(0), thickness,
                    cv::LINE_AA);
    };
    text("RETURN " + ret.rmaId, 80, 1.6, 4);
    text(std::string(site) + "  " + ret.channel + (ret.orderId ? "  order " + *ret.orderId : ""), 130, 0.9,
         2);
    linear->copyTo(label(cv::Rect(46, 170, 720, 260)));
    text(ret.labelBarcode, 480, 1.1, 2);
    qr->copyTo(label(cv::Rect((kWidth - 420) / 2, 560, 420, 420)));
    text("Put this label on the parcel.", 1060, 0.9, 2);
    std::vector<unsigned char> png;
    if (!cv::imencode(".png", label, png) || png.empty()) {
        return fail(ErrorCode::Invalid, "cannot encode the label of " + ret.rmaId + " as PNG");
    }
    return std::string(png.begin(), png.end());
}

} // namespace retour::central
