#pragma once

#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

namespace retour::vision {

// One barcode found in an image. The ZXing-C++ API stays behind this header.
struct DecodedCode
{
    std::string text;
    std::string format;        // "EAN-13", "Code 128", "QR Code", "DataMatrix", …
    std::string aimId;         // symbology identifier ("]E0", "]C1", "]Q1", …)
    std::vector<int> position; // corner points x0,y0,x1,y1,x2,y2,x3,y3 in image pixels
};

struct ReadOptions
{
    bool tryHarder = true;
    bool tryRotate = true;
    int maxCodes = 8;
};

// Read every barcode in a BGR or greyscale frame. Pure and reentrant; never throws.
std::vector<DecodedCode> readBarcodes(const cv::Mat& frame, const ReadOptions& options = {});

} // namespace retour::vision
