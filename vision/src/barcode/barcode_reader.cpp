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
//
// Where these plain passes find nothing, the same passes run again on enhanced copies (contrast
// stretched, binarised, sharpened, rescaled, turned 45°) until one finds a code or the retry budget
// is spent. Frames larger than 1280 px are retried on a reduced copy, after their bar-like regions
// have been read enlarged from the full-size frame (small dense codes the reduction would lose);
// the plain passes alone cost what bare ZXing costs (tests/bench/vision). ZXing's own check
// digits, checksums and Reed-Solomon codes guard every copy, and linear codes still need two
// agreeing rows (minLineCount), so a copy adds reads without adding false ones: the corpus'
// no-code set (tests/vision) checks it.
#include "retour/vision/barcode_reader.h"

#include "image/grey.h"
#include "barcode/zxing_format.h"

#include <ZXing/ReadBarcode.h>
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <utility>

namespace retour::vision {

namespace {

using ZXing::BarcodeFormat;

constexpr auto centreBiasedFormats = BarcodeFormat::DataMatrix | BarcodeFormat::Aztec;

ZXing::ImageView viewOf(const cv::Mat& grey)
{
    return {grey.data, grey.cols, grey.rows, ZXing::ImageFormat::Lum, static_cast<int>(grey.step[0])};
}

// How positions found in a derived image (a crop, a rotation, a rescaled copy) map back to the
// frame: an affine transform from derived-image to frame coordinates.
struct Mapping
{
    cv::Matx33d toFrame = cv::Matx33d::eye();

    ZXing::PointI operator()(ZXing::PointI p) const
    {
        const cv::Vec3d q = toFrame * cv::Vec3d(p.x, p.y, 1.0);
        return {static_cast<int>(std::lround(q[0])), static_cast<int>(std::lround(q[1]))};
    }

    // The mapping of an image derived from this one, given derived-to-this coordinates.
    Mapping then(const cv::Matx33d& derivedToThis) const { return {toFrame * derivedToThis}; }

    Mapping cropped(cv::Point offset) const
    {
        return then({1, 0, double(offset.x), 0, 1, double(offset.y), 0, 0, 1});
    }
    // This image turned 90° clockwise: derived (x, y) was (y, rows - 1 - x).
    Mapping rotated90(int rows) const { return then({0, 1, 0, -1, 0, double(rows - 1), 0, 0, 1}); }
    Mapping scaled(double factor) const { return then({1 / factor, 0, 0, 0, 1 / factor, 0, 0, 0, 1}); }
    // warpAffine by `forward` (this -> derived).
    Mapping warped(const cv::Matx23d& forward) const
    {
        cv::Matx23d inverse;
        cv::invertAffineTransform(forward, inverse);
        return then({inverse(0, 0), inverse(0, 1), inverse(0, 2), inverse(1, 0), inverse(1, 1), inverse(1, 2),
                     0, 0, 1});
    }
};

// ITF carries no length and no start/stop structure a row could not also find inside a longer
// symbol, so a row that crosses an ITF-14 at a slant reads as a shorter "valid" ITF. The station
// meets ITF only as ITF-14 on shipping cartons (GS1 General Specifications §5.3.2), so only 14
// digits with a correct GS1 check digit are accepted.
bool plausible(ZXing::BarcodeFormat format, const std::string& text)
{
    return format != BarcodeFormat::ITF || text.size() == 14;
}

bool isGs1(const std::string& aimId)
{
    return aimId == "]C1" || aimId == "]e0" || aimId == "]d2" || aimId == "]Q3";
}

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
        if (!plausible(result.format(), code.text) || known(codes, code.text, code.format))
            continue;
        code.aimId = result.symbologyIdentifier();
        code.gs1 = isGs1(code.aimId);
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

// What one read of a frame is asked for, worked out once from ReadOptions.
struct Plan
{
    ZXing::BarcodeFormats linear;
    ZXing::BarcodeFormats matrix;
    ZXing::BarcodeFormats centred;
    bool tryHarder = true;
    bool tryRotate = true;
    std::size_t maxCodes = 8;
};

void readLinear(cv::Mat image, const Plan& plan, const Mapping& mapping, std::vector<DecodedCode>& codes)
{
    if (plan.linear.empty())
        return;
    const std::size_t maxCodes = plan.maxCodes;
    ZXing::DecodeHints hints;
    hints.setFormats(plan.linear)
        .setTryHarder(plan.tryHarder)
        .setTryRotate(false)
        .setTryDownscale(false)
        .setValidateITFCheckSum(true)
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

void readMatrix(const cv::Mat& grey, const Plan& plan, const Mapping& mapping,
                std::vector<DecodedCode>& codes)
{
    if (plan.matrix.empty() || codes.size() >= plan.maxCodes)
        return;
    const std::size_t maxCodes = plan.maxCodes;
    ZXing::DecodeHints hints;
    hints.setFormats(plan.matrix)
        .setTryHarder(plan.tryHarder)
        .setTryRotate(plan.tryRotate)
        .setTryDownscale(true)
        .setMaxNumberOfSymbols(
            static_cast<std::uint8_t>(std::min<std::size_t>(maxCodes - codes.size(), 255)));
    append(ZXing::ReadBarcodes(viewOf(grey), hints), mapping, codes);
    // The candidate search (Otsu, closing, contours) costs about a third of a plain read at 1080p:
    // skipped when the codes asked for are all found.
    if (plan.centred.empty() || codes.size() >= maxCodes)
        return;

    ZXing::DecodeHints centred;
    centred.setFormats(plan.centred)
        .setTryHarder(plan.tryHarder)
        .setTryRotate(plan.tryRotate)
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
        append(ZXing::ReadBarcodes(viewOf(grey(crop)), centred), mapping.cropped(crop.tl()), codes);
    }
}

// The plain passes on one image: matrix codes, linear codes, and linear codes turned 90°.
void readPlain(const cv::Mat& grey, const Plan& plan, const Mapping& mapping, std::vector<DecodedCode>& codes)
{
    readMatrix(grey, plan, mapping, codes);
    if (plan.linear.empty() || codes.size() >= plan.maxCodes)
        return;
    // The linear passes paint found codes out, so they work on copies.
    readLinear(grey.clone(), plan, mapping, codes);
    if (plan.tryRotate && codes.size() < plan.maxCodes) {
        cv::Mat rotated;
        cv::rotate(grey, rotated, cv::ROTATE_90_CLOCKWISE);
        readLinear(rotated, plan, mapping.rotated90(grey.rows), codes);
    }
}

// Regions that look like bars: a strong gradient across one axis and a weak one along it (vertical
// bars, or horizontal ones for a code turned 90°), smoothed and closed into blobs. The largest few
// first; a bound on the work per frame.
struct BarRegion
{
    cv::Rect box;
    bool vertical = true; // bars run up and down: rows cross them
};

std::vector<BarRegion> barCandidates(const cv::Mat& grey)
{
    cv::Mat gx;
    cv::Mat gy;
    cv::Sobel(grey, gx, CV_16S, 1, 0);
    cv::Sobel(grey, gy, CV_16S, 0, 1);
    cv::convertScaleAbs(gx, gx);
    cv::convertScaleAbs(gy, gy);
    std::vector<BarRegion> boxes;
    for (const bool vertical : {true, false}) {
        cv::Mat bars;
        cv::subtract(vertical ? gx : gy, vertical ? gy : gx, bars);
        cv::blur(bars, bars, cv::Size(9, 9));
        cv::threshold(bars, bars, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
        cv::morphologyEx(
            bars, bars, cv::MORPH_CLOSE,
            cv::getStructuringElement(cv::MORPH_RECT, vertical ? cv::Size(21, 7) : cv::Size(7, 21)));
        cv::erode(bars, bars, cv::Mat(), cv::Point(-1, -1), 3);
        cv::dilate(bars, bars, cv::Mat(), cv::Point(-1, -1), 3);
        std::vector<std::vector<cv::Point>> contours;
        cv::findContours(bars, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
        for (const auto& contour : contours) {
            const cv::Rect box = cv::boundingRect(contour);
            if (std::min(box.width, box.height) >= 16 && box.area() >= 2000)
                boxes.push_back({box, vertical});
        }
    }
    std::sort(boxes.begin(), boxes.end(),
              [](const BarRegion& a, const BarRegion& b) { return a.box.area() > b.box.area(); });
    if (boxes.size() > 4)
        boxes.resize(4);
    return boxes;
}

// Small linear codes in a frame too large to enlarge whole: bar-like regions found in the reduced
// copy are cropped from the full-size frame, which still has their modules, and read at twice the
// size across their bars. Regions larger than 1/16 of the frame hold codes large enough for the
// plain passes.
void readEnlargedCrops(const cv::Mat& reduced, const cv::Mat& full, const Plan& plan,
                       std::vector<DecodedCode>& codes)
{
    const double up = static_cast<double>(full.cols) / reduced.cols;
    int read = 0;
    for (const BarRegion& region : barCandidates(reduced)) {
        const cv::Rect& found = region.box;
        const cv::Rect box(cv::Point(static_cast<int>(found.x * up), static_cast<int>(found.y * up)),
                           cv::Size(static_cast<int>(found.width * up), static_cast<int>(found.height * up)));
        if (box.area() * 16 > full.cols * full.rows)
            continue;
        const int margin = std::max(box.width, box.height) / 8 + 16;
        const cv::Rect crop =
            cv::Rect(box.x - margin, box.y - margin, box.width + 2 * margin, box.height + 2 * margin) &
            cv::Rect(0, 0, full.cols, full.rows);
        cv::Mat twice;
        cv::resize(full(crop), twice, cv::Size(), 2.0, 2.0, cv::INTER_CUBIC);
        const Mapping mapping = Mapping{}.cropped(crop.tl()).scaled(2.0);
        if (region.vertical) {
            readLinear(twice, plan, mapping, codes);
        } else {
            cv::Mat turned;
            cv::rotate(twice, turned, cv::ROTATE_90_CLOCKWISE);
            readLinear(turned, plan, mapping.rotated90(twice.rows), codes);
        }
        if (!codes.empty() || ++read == 3)
            return;
    }
}

// The enhanced copies, cheapest and most often useful first; each is read only while nothing has
// been found, and at most `budget` of them. Sizes and kernels follow the frame, so the same steps
// suit 720p and 4K. `frame` maps `grey` to the caller's frame, `full`; `grey` is either `full` or a
// downscaled copy of it.
void readEnhanced(const cv::Mat& grey, const Plan& plan, const Mapping& frame, const cv::Mat& full,
                  int budget, std::vector<DecodedCode>& codes)
{
    const int shortSide = std::min(grey.cols, grey.rows);
    // Reads one copy; true when the retries are over (a code found, or the budget spent).
    auto read = [&](const cv::Mat& copy, const Plan& copyPlan, const Mapping& mapping) {
        readPlain(copy, copyPlan, mapping, codes);
        return !codes.empty() || --budget <= 0;
    };

    // A large frame is reduced for the other copies, which loses the modules of small linear codes:
    // their bar-like regions are enlarged from the full-size frame first.
    if (grey.data != full.data && !plan.linear.empty()) {
        readEnlargedCrops(grey, full, plan, codes);
        if (!codes.empty() || --budget <= 0)
            return;
    }
    // Low contrast and glare: local histogram equalisation brings a washed-out code back to full range.
    {
        cv::Mat equalised;
        cv::createCLAHE(3.0, cv::Size(8, 8))->apply(grey, equalised);
        if (read(equalised, plan, frame))
            return;
    }
    // Noise and a blurred code at high resolution: half size averages the noise away and makes
    // smeared modules steeper.
    if (shortSide >= 400) {
        cv::Mat half;
        cv::resize(grey, half, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
        if (read(half, plan, frame.scaled(0.5)))
            return;
    }
    // Blur: an unsharp mask steepens the bar edges.
    {
        cv::Mat soft;
        cv::Mat sharp;
        cv::GaussianBlur(grey, soft, cv::Size(), 2.0);
        cv::addWeighted(grey, 2.0, soft, -1.0, 0, sharp);
        if (read(sharp, plan, frame))
            return;
    }
    // Uneven light (glare, shadow across the code): a threshold against the local mean.
    {
        cv::Mat smooth;
        cv::Mat binary;
        cv::GaussianBlur(grey, smooth, cv::Size(3, 3), 0);
        const int block = std::max(15, (shortSide / 12) | 1);
        cv::adaptiveThreshold(smooth, binary, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY, block, 4);
        if (read(binary, plan, frame))
            return;
    }
    // Small codes: modules of 1-2 px read better twice as large.
    if (grey.data == full.data && grey.cols <= 1400 && grey.rows <= 1400) {
        cv::Mat twice;
        cv::resize(grey, twice, cv::Size(), 2.0, 2.0, cv::INTER_CUBIC);
        if (read(twice, plan, frame.scaled(2.0)))
            return;
    }
    // Linear codes skewed 30-60°: rows no longer cross the whole symbol at 0° or 90°, so the frame
    // is turned 45° on a canvas large enough to keep every corner (the plain passes add 90°).
    if (plan.tryRotate && !plan.linear.empty()) {
        const cv::Point2f centre(grey.cols / 2.0F, grey.rows / 2.0F);
        cv::Mat turn = cv::getRotationMatrix2D(centre, 45.0, 1.0);
        const cv::Rect2f bounds = cv::RotatedRect(centre, grey.size(), 45.0F).boundingRect2f();
        turn.at<double>(0, 2) += bounds.width / 2.0 - centre.x;
        turn.at<double>(1, 2) += bounds.height / 2.0 - centre.y;
        cv::Mat turned;
        cv::warpAffine(grey, turned, turn,
                       cv::Size(static_cast<int>(bounds.width), static_cast<int>(bounds.height)),
                       cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        Plan linearOnly = plan;
        linearOnly.matrix = {};
        read(turned, linearOnly, frame.warped(cv::Matx23d(turn)));
    }
}

// Retries on frames larger than ReadOptions::retryMaxSide work on a copy scaled down to it: a code
// the plain passes missed at full size is rarely saved by full-size filtering (its modules are large
// there), and the enhanced copies then cost a fraction of the frame's pixels.
void retry(const cv::Mat& grey, const Plan& plan, const ReadOptions& options, std::vector<DecodedCode>& codes)
{
    const int longSide = std::max(grey.cols, grey.rows);
    if (options.retryMaxSide <= 0 || longSide <= options.retryMaxSide) {
        readEnhanced(grey, plan, {}, grey, options.retryBudget, codes);
        return;
    }
    const double factor = static_cast<double>(options.retryMaxSide) / longSide;
    cv::Mat reduced;
    cv::resize(grey, reduced, cv::Size(), factor, factor, cv::INTER_AREA);
    readEnhanced(reduced, plan, Mapping{}.scaled(factor), grey, options.retryBudget, codes);
}

ZXing::BarcodeFormats wantedFormats(const std::vector<std::string>& names)
{
    if (names.empty())
        return BarcodeFormat::Any;
    ZXing::BarcodeFormats formats;
    for (const auto& name : names)
        if (auto format = parseFormat(name))
            formats |= *format;
    return formats;
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

std::unexpected<Error> badParameter(const std::string& key, const std::string& value, const std::string& why)
{
    return std::unexpected(
        Error{ErrorCode::InvalidSource, "camera parameter " + key + "=" + value + ": " + why});
}

// An integer parameter within [min, max] into `value`; left unchanged when absent.
Result<void> intOption(const std::map<std::string, std::string>& params, const std::string& key, int min,
                       int max, int& value)
{
    auto it = params.find(key);
    if (it == params.end())
        return {};
    const std::string& text = it->second;
    int parsed = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (ec != std::errc{} || end != text.data() + text.size() || parsed < min || parsed > max)
        return badParameter(key, text,
                            "not an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    value = parsed;
    return {};
}

} // namespace

std::vector<std::string> roleFormats(std::string_view role)
{
    if (role == "label")
        return {"EAN-13",  "EAN-8", "UPC-A",   "UPC-E",           "Code 128",
                "Code 39", "ITF",   "DataBar", "DataBar Expanded"};
    if (role == "sheet")
        return {"QR Code", "DataMatrix", "Aztec", "PDF417"};
    return {};
}

Result<ReadOptions> readOptionsFrom(const std::map<std::string, std::string>& params)
{
    ReadOptions options;
    if (auto it = params.find("role"); it != params.end()) {
        if (it->second != "label" && it->second != "sheet" && it->second != "any")
            return badParameter("role", it->second, "not one of label, sheet, any");
        options.formats = roleFormats(it->second);
    }
    if (auto it = params.find("formats"); it != params.end()) {
        options.formats.clear();
        std::string_view rest = it->second;
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            const std::string name(rest.substr(0, comma));
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
            if (!parseFormat(name))
                return badParameter("formats", it->second, "unknown barcode format \"" + name + "\"");
            options.formats.push_back(formatName(*parseFormat(name)));
        }
    }
    if (auto ok = intOption(params, "max_codes", 1, 255, options.maxCodes); !ok)
        return std::unexpected(ok.error());
    if (auto it = params.find("retry"); it != params.end()) {
        if (it->second == "1" || it->second == "true" || it->second == "yes")
            options.retry = true;
        else if (it->second == "0" || it->second == "false" || it->second == "no")
            options.retry = false;
        else
            return badParameter("retry", it->second, "not a boolean (1/0, true/false)");
    }
    if (auto ok = intOption(params, "retry_budget", 0, 6, options.retryBudget); !ok)
        return std::unexpected(ok.error());
    return options;
}

std::vector<DecodedCode> readBarcodes(const cv::Mat& frame, const ReadOptions& options)
{
    std::vector<DecodedCode> codes;
    try {
        const cv::Mat grey = toGrey(frame);
        if (grey.empty())
            return codes;
        const auto wanted = wantedFormats(options.formats);
        Plan plan;
        plan.linear = wanted & BarcodeFormat::LinearCodes;
        plan.matrix = wanted & BarcodeFormat::MatrixCodes;
        plan.centred = wanted & centreBiasedFormats;
        plan.tryHarder = options.tryHarder;
        plan.tryRotate = options.tryRotate;
        plan.maxCodes =
            static_cast<std::size_t>(std::clamp(options.maxCodes <= 0 ? 255 : options.maxCodes, 1, 255));

        readPlain(grey, plan, {}, codes);
        if (codes.empty() && options.retry && options.retryBudget > 0 && grey.cols >= 16 && grey.rows >= 16)
            retry(grey, plan, options, codes);

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
