// Barcode reading with ZXing-C++ 1.4 (Debian 12), working around two limits of that build:
//
// 1. ReadBarcodes() drops duplicates with Contains(), i.e. Result::operator==, which for two linear
//    results with the same format and text asserts lineCount() == 1; Debian keeps assertions, so
//    the process aborts whenever one call yields the same 1D code twice: two copies of a label in
//    the frame, one code split in two, or the same code found again in a downscaled layer
//    (tryDownscale, on by default from 500 px). Matrix formats return from operator== before the
//    assertion. So linear codes are read one symbol per call (maxNumberOfSymbols 1, no
//    downscaling), each found code is painted out before the next call, and the 90° rotation is
//    done here with cv::rotate (180° and 270° come free: ZXing reads every row both ways).
// 2. The Data Matrix detector only follows the image's centre lines when the library is built
//    without coroutines ("disable expensive multi-line scan to detect off-center symbols",
//    DMDetector.cpp), so an off-centre symbol is missed. Dark blobs of a plausible size are
//    cropped and read again, each then at the centre of its own image (Aztec has the same bias).
#include "retour/vision/barcode_reader.h"

#include "zxing_format.h"

#include <ZXing/ReadBarcode.h>
#include <algorithm>
#include <cstdint>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <utility>

namespace retour::vision {

namespace {

using ZXing::BarcodeFormat;

constexpr auto centreBiasedFormats = BarcodeFormat::DataMatrix | BarcodeFormat::Aztec;

// An 8-bit single-channel copy or view of the frame; empty when the layout is not an image.
cv::Mat toGrey(const cv::Mat& frame)
{
    if (frame.empty() || frame.dims != 2)
        return {};
    cv::Mat eightBit = frame;
    if (frame.depth() != CV_8U)
        cv::normalize(frame, eightBit, 0, 255, cv::NORM_MINMAX, CV_8U);
    cv::Mat grey;
    switch (eightBit.channels()) {
    case 1:
        grey = eightBit;
        break;
    case 3:
        cv::cvtColor(eightBit, grey, cv::COLOR_BGR2GRAY);
        break;
    case 4:
        cv::cvtColor(eightBit, grey, cv::COLOR_BGRA2GRAY);
        break;
    default:
        return {};
    }
    return grey;
}

ZXing::ImageView viewOf(const cv::Mat& grey)
{
    return {grey.data, grey.cols, grey.rows, ZXing::ImageFormat::Lum, static_cast<int>(grey.step[0])};
}

// How positions found in a derived image map back to the frame.
struct Mapping
{
    cv::Point offset;    // of a crop, in the image it was cut from
    int rotatedRows = 0; // > 0: the image was the frame rotated 90° clockwise; frame rows

    ZXing::PointI operator()(ZXing::PointI p) const
    {
        p = {p.x + offset.x, p.y + offset.y};
        if (rotatedRows > 0)
            p = {p.y, rotatedRows - 1 - p.x};
        return p;
    }
};

bool known(const std::vector<DecodedCode>& codes, const std::string& text, const std::string& format)
{
    return std::any_of(codes.begin(), codes.end(),
                       [&](const DecodedCode& c) { return c.text == text && c.format == format; });
}

// Adds the new valid results; true when at least one was new.
bool append(const ZXing::Results& results, const Mapping& mapping, std::vector<DecodedCode>& codes)
{
    bool added = false;
    for (const auto& result : results) {
        if (!result.isValid())
            continue;
        DecodedCode code;
        code.text = result.text();
        code.format = formatName(result.format());
        if (known(codes, code.text, code.format))
            continue;
        code.aimId = result.symbologyIdentifier();
        for (auto point : result.position()) {
            point = mapping(point);
            code.position.push_back(point.x);
            code.position.push_back(point.y);
        }
        codes.push_back(std::move(code));
        added = true;
    }
    return added;
}

cv::Rect boundingBox(const ZXing::Position& position)
{
    int left = position[0].x, right = position[0].x, top = position[0].y, bottom = position[0].y;
    for (const auto& p : position) {
        left = std::min(left, p.x);
        right = std::max(right, p.x);
        top = std::min(top, p.y);
        bottom = std::max(bottom, p.y);
    }
    return {left, top, right - left + 1, bottom - top + 1};
}

// ---- linear codes -------------------------------------------------------------------------------

// ZXing stops at the first rows that confirm a linear code, so its position covers only those rows.
// The whole symbol is found by following the bar pattern up and down while rows still match the row
// it was found on, shifted by up to 2 px per row (a tilted code). Matching the found row rather than
// the neighbour keeps the walk from drifting across a slanted edge into the white around the code.
cv::Rect linearSymbolExtent(const cv::Mat& grey, cv::Rect found)
{
    const cv::Rect image(0, 0, grey.cols, grey.rows);
    found &= image;
    const int width = found.width;
    const int y0 = found.y + found.height / 2;
    int top = found.y;
    int bottom = found.y + found.height - 1;
    int leftmost = found.x;
    int rightmost = found.x + width;
    double lo = 0;
    double hi = 0;
    if (width >= 8)
        cv::minMaxLoc(grey(cv::Rect(found.x, y0, width, 1)), &lo, &hi);
    if (hi - lo >= 32) {
        // Dark/light once for a band wide enough for the drift of a tilted code.
        const cv::Rect band = cv::Rect(found.x - width / 4, 0, width + width / 2, grey.rows) & image;
        cv::Mat dark;
        cv::compare(grey(band), (lo + hi) / 2, dark, cv::CMP_LT);
        auto segment = [&](int y, int x) { return dark(cv::Rect(x - band.x, y, width, 1)); };
        auto fits = [&](int x) { return x >= band.x && x + width <= band.x + band.width; };
        for (int direction : {-1, 1}) {
            const cv::Mat reference = segment(y0, found.x);
            int x = found.x;
            int misses = 0;
            for (int y = y0 + direction; y >= 0 && y < grey.rows && misses <= 2; y += direction) {
                int bestX = x;
                int bestDiff = width + 1;
                for (int candidate = x - 2; candidate <= x + 2; ++candidate) {
                    if (!fits(candidate))
                        continue;
                    int diff = cv::countNonZero(segment(y, candidate) != reference);
                    if (diff < bestDiff) {
                        bestDiff = diff;
                        bestX = candidate;
                    }
                }
                if (bestDiff > width * 15 / 100) {
                    ++misses;
                    continue;
                }
                misses = 0;
                x = bestX;
                top = std::min(top, y);
                bottom = std::max(bottom, y);
                leftmost = std::min(leftmost, x);
                rightmost = std::max(rightmost, x + width);
            }
        }
    }
    const int pad = width / 8 + 2;
    return cv::Rect(leftmost - pad, top - 2, rightmost - leftmost + 2 * pad, bottom - top + 5) & image;
}

void readLinear(cv::Mat image, const ReadOptions& options, std::size_t maxCodes, const Mapping& mapping,
                std::vector<DecodedCode>& codes)
{
    ZXing::DecodeHints hints;
    hints.setFormats(BarcodeFormat::LinearCodes)
        .setTryHarder(options.tryHarder)
        .setTryRotate(false)
        .setTryDownscale(false)
        .setMaxNumberOfSymbols(1);
    // Each round either finds a code and paints it out, or ends; duplicates are painted out too.
    for (std::size_t round = 0; round < maxCodes + 8 && codes.size() < maxCodes; ++round) {
        auto results = ZXing::ReadBarcodes(viewOf(image), hints);
        if (results.empty() || !results.front().isValid())
            return;
        append(results, mapping, codes);
        image(linearSymbolExtent(image, boundingBox(results.front().position()))).setTo(cv::Scalar(255));
    }
}

// ---- matrix codes -------------------------------------------------------------------------------

// Dark blobs that could be a Data Matrix or Aztec symbol: dark by Otsu's threshold (which keeps
// large modules solid, unlike a local mean), modules merged by a closing, then boxes of at least
// 16 px (8 modules of 2 px, the detector's minimum) and at most 6:1 (rectangular Data Matrix).
std::vector<cv::Rect> matrixCandidates(const cv::Mat& grey)
{
    cv::Mat dark;
    cv::threshold(grey, dark, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
    const int k = std::max(3, std::min(grey.cols, grey.rows) / 100);
    cv::morphologyEx(dark, dark, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {k, k}));
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(dark, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);

    std::vector<cv::Rect> boxes;
    for (const auto& contour : contours) {
        cv::Rect box = cv::boundingRect(contour);
        int small = std::min(box.width, box.height);
        int large = std::max(box.width, box.height);
        if (small >= 8 && large >= 16 && large <= 6 * small)
            boxes.push_back(box);
    }
    // The largest first, and a bound on the work per frame.
    std::sort(boxes.begin(), boxes.end(),
              [](const cv::Rect& a, const cv::Rect& b) { return a.area() > b.area(); });
    if (boxes.size() > 24)
        boxes.resize(24);
    return boxes;
}

void readMatrix(const cv::Mat& grey, const ReadOptions& options, std::uint8_t maxCodes,
                std::vector<DecodedCode>& codes)
{
    ZXing::DecodeHints hints;
    hints.setFormats(BarcodeFormat::MatrixCodes)
        .setTryHarder(options.tryHarder)
        .setTryRotate(options.tryRotate)
        .setTryDownscale(true)
        .setMaxNumberOfSymbols(maxCodes);
    append(ZXing::ReadBarcodes(viewOf(grey), hints), {}, codes);

    ZXing::DecodeHints centred;
    centred.setFormats(centreBiasedFormats)
        .setTryHarder(options.tryHarder)
        .setTryRotate(options.tryRotate)
        .setTryDownscale(false)
        .setMaxNumberOfSymbols(1);
    for (const cv::Rect& box : matrixCandidates(grey)) {
        if (codes.size() >= maxCodes)
            return;
        // Quiet zone plus room for the detector to find the edges.
        const int margin = std::max(box.width, box.height) / 4 + 8;
        cv::Rect crop =
            cv::Rect(box.x - margin, box.y - margin, box.width + 2 * margin, box.height + 2 * margin) &
            cv::Rect(0, 0, grey.cols, grey.rows);
        append(ZXing::ReadBarcodes(viewOf(grey(crop)), centred), {crop.tl(), 0}, codes);
    }
}

// Top-left corner of the bounding box, for reporting codes top to bottom, left to right.
std::pair<int, int> topLeftOf(const DecodedCode& code)
{
    int x = 0;
    int y = 0;
    for (std::size_t i = 0; i + 1 < code.position.size(); i += 2) {
        x = i == 0 ? code.position[i] : std::min(x, code.position[i]);
        y = i == 0 ? code.position[i + 1] : std::min(y, code.position[i + 1]);
    }
    return {y, x};
}

} // namespace

std::vector<DecodedCode> readBarcodes(const cv::Mat& frame, const ReadOptions& options)
{
    std::vector<DecodedCode> codes;
    try {
        const cv::Mat grey = toGrey(frame);
        if (grey.empty())
            return codes;
        const auto maxCodes =
            static_cast<std::uint8_t>(std::clamp(options.maxCodes <= 0 ? 255 : options.maxCodes, 1, 255));

        readMatrix(grey, options, maxCodes, codes);
        // The linear passes paint found codes out, so they work on copies.
        readLinear(grey.clone(), options, maxCodes, {}, codes);
        if (options.tryRotate && codes.size() < maxCodes) {
            cv::Mat rotated;
            cv::rotate(grey, rotated, cv::ROTATE_90_CLOCKWISE);
            readLinear(rotated, options, maxCodes, {{0, 0}, grey.rows}, codes);
        }

        std::stable_sort(codes.begin(), codes.end(), [](const DecodedCode& a, const DecodedCode& b) {
            return topLeftOf(a) < topLeftOf(b);
        });
    } catch (...) {
        // ZXing and OpenCV report internal failures by exception; a frame that upsets them simply
        // has no more readable codes. Whatever was decoded before stays valid.
    }
    return codes;
}

} // namespace retour::vision
