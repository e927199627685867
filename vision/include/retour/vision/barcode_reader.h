#pragma once

#include "retour/vision/error.h"

#include <map>
#include <opencv2/core/mat.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace retour::vision {

// One barcode found in an image. The ZXing-C++ API stays behind this header.
//
// GS1: the text is delivered the way a scanner delivers it (docs/protocols/scanners.md §4, §5): the element
// string with ASCII GS (0x1D) between variable-length fields and the AIM identifier beside it
// ("]C1" GS1-128, "]e0" GS1 DataBar, "]d2" GS1 DataMatrix, "]Q3" GS1 QR Code), so that the station
// parses it with the same code as scanner input. Vision itself does not parse Application
// Identifiers.
struct DecodedCode
{
    std::string text;
    std::string format;        // "EAN-13", "Code 128", "QR Code", "DataMatrix", …
    std::string aimId;         // symbology identifier ("]E0", "]C1", "]Q1", …)
    std::vector<int> position; // corner points x0,y0,x1,y1,x2,y2,x3,y3 in image pixels
    bool gs1 = false;          // the AIM identifier says GS1 (FNC1 in first position)
};

struct ReadOptions
{
    bool tryHarder = true;
    bool tryRotate = true;
    int maxCodes = 8;
    // Format names as readBarcodes() reports them (case, spaces, '-' and '_' ignored); empty means
    // every format. Fewer formats is faster and safer (docs/protocols/benchmarks.md §2 reading 3).
    std::vector<std::string> formats = {};
    // When the plain passes find nothing, read again on enhanced copies of the frame (contrast
    // stretched, rescaled, sharpened, locally binarised, enlarged, turned 45°). Costs up to
    // retryBudget plain passes, only on frames where the plain passes found nothing: a frame
    // without any code (most of a live camera's) pays all of them.
    bool retry = true;
    // At most this many enhanced copies (0 to 6; 6 is all of them), in the order above.
    int retryBudget = 6;
    // Frames whose longer side exceeds this are retried on a copy scaled down to it (0: never).
    int retryMaxSide = 1280;
};

// The formats of a camera role: "label" (1D labels and product codes: EAN-13, EAN-8, UPC-A, UPC-E,
// Code 128, Code 39, ITF, DataBar, DataBar Expanded), "sheet" (RMA sheets and packing slips:
// QR Code, DataMatrix, Aztec, PDF417), "any" (every format: an empty list). Empty for an unknown
// role.
std::vector<std::string> roleFormats(std::string_view role);

// ReadOptions from a camera's URI parameters: role=label|sheet|any, formats=EAN-13,Code 128,…
// (overrides the role), max_codes=N, retry=0|1, retry_budget=0..6. InvalidSource naming the
// parameter for an unknown role, an unknown format name or a bad number.
Result<ReadOptions> readOptionsFrom(const std::map<std::string, std::string>& params);

// Read every barcode in a BGR or greyscale frame. Pure and reentrant; never throws.
std::vector<DecodedCode> readBarcodes(const cv::Mat& frame, const ReadOptions& options = {});

} // namespace retour::vision
