#pragma once

#include "retour/vision/error.h"

#include <opencv2/core/mat.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace retour::vision {

// Barcode images for the technician's test chart (`retour-hw-config test-chart`) and for the demo's
// camera frames. The ZXing-C++ writer stays behind this header.
//
// Format names are those readBarcodes() reports ("EAN-13", "EAN-8", "UPC-A", "UPC-E", "Code 128",
// "Code 39", "Code 93", "Codabar", "ITF", "QR Code", "DataMatrix", "Aztec", "PDF417"); case, spaces,
// '-' and '_' are ignored when parsing ("code128", "QRCode", "ean_13" all work), and "QR" is accepted.
//
// Thread contract: every function here is reentrant (no shared state).

// Render one barcode as a white CV_8UC1 image of exactly width x height pixels: the symbol is drawn
// with whole pixels per module, centred, with its quiet zone; linear symbols fill the height.
// EAN-13, EAN-8, UPC-A and UPC-E accept the digits without their check digit (it is computed) or
// with it (it is checked).
// Errors (ErrorCode::Encode): unknown format, content the symbology cannot carry (bad check digit,
// wrong length, characters outside its set), or a size too small for one pixel per module.
Result<cv::Mat> renderBarcode(std::string_view text, std::string_view format, int width, int height);

struct ChartCode
{
    std::string text;
    std::string format;
};

// A white BGR (CV_8UC3) test chart: the caption across the top, then the codes in a grid, each with
// its human-readable text under it (EAN/UPC with the check digit). A code that cannot be rendered
// is drawn as a red box carrying the error message, so a bad entry is visible on the chart instead
// of failing it. Returns an empty Mat when width or height is below 64 or above 16384.
cv::Mat renderTestChart(const std::vector<ChartCode>& codes, std::string_view caption, int width = 1280,
                        int height = 720);

} // namespace retour::vision
