// Barcode rendering with ZXing-C++ 1.4's MultiFormatWriter. The writer reports bad content by
// throwing std::invalid_argument; everything ZXing is called inside one try block here and turned
// into an Error.
#include "retour/vision/barcode_writer.h"

#include "barcode/zxing_format.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace retour::vision {

namespace {

constexpr int maxSide = 16384;

std::unexpected<Error> encodeError(std::string message)
{
    return std::unexpected(Error{ErrorCode::Encode, std::move(message)});
}

bool isLinear(ZXing::BarcodeFormat format)
{
    return ZXing::BarcodeFormats(ZXing::BarcodeFormat::LinearCodes).testFlag(format);
}

// Quiet zone in modules on each side: EAN/UPC need 11 on the left (GS1 symbol dimensions), Code 128
// and Code 39 ten; QR Code four (ISO/IEC 18004); Data Matrix one, Aztec none.
int quietZone(ZXing::BarcodeFormat format)
{
    if (isLinear(format))
        return 11;
    if (format == ZXing::BarcodeFormat::QRCode)
        return 4;
    return 2;
}

bool isGtin(ZXing::BarcodeFormat format)
{
    using ZXing::BarcodeFormat;
    return format == BarcodeFormat::EAN13 || format == BarcodeFormat::EAN8 || format == BarcodeFormat::UPCA ||
           format == BarcodeFormat::UPCE;
}

// The text printed under a GTIN, with the check digit ZXing adds when it was left out
// (GS1 check digit: weights 3, 1, 3, … from the rightmost data digit, modulo 10).
std::string humanReadable(std::string_view text, ZXing::BarcodeFormat format)
{
    using ZXing::BarcodeFormat;
    std::size_t full = format == BarcodeFormat::EAN13 ? 13 : format == BarcodeFormat::UPCA ? 12 : 8;
    bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
    if (!isGtin(format) || !digits || text.size() + 1 != full || format == BarcodeFormat::UPCE)
        return std::string(text);
    int sum = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        int digit = text[text.size() - 1 - i] - '0';
        sum += i % 2 == 0 ? 3 * digit : digit;
    }
    return std::string(text) + static_cast<char>('0' + (10 - sum % 10) % 10);
}

// The symbol at one pixel per module, without quiet zone.
Result<ZXing::BitMatrix> encodeModules(std::string_view text, ZXing::BarcodeFormat format,
                                       const std::string& name)
{
    try {
        return ZXing::MultiFormatWriter(format).setMargin(0).encode(std::string(text), 0, 0);
    } catch (const std::exception& e) {
        return encodeError("cannot encode \"" + std::string(text) + "\" as " + name + ": " + e.what());
    } catch (...) {
        return encodeError("cannot encode \"" + std::string(text) + "\" as " + name);
    }
}

// Largest font scale (Hershey simplex) at which text fits in width x height pixels.
double fitText(const std::string& text, int width, int height, int thickness)
{
    int baseline = 0;
    cv::Size unit = cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, 1.0, thickness, &baseline);
    if (unit.width <= 0 || unit.height <= 0)
        return 1.0;
    double scale = std::min(static_cast<double>(width) / unit.width,
                            static_cast<double>(height) / (unit.height + baseline));
    return std::clamp(scale, 0.3, 3.0);
}

// Draws text centred horizontally in [x, x + width) with its top at y.
void drawCentred(cv::Mat& canvas, const std::string& text, int x, int y, int width, int height,
                 const cv::Scalar& colour, int thickness)
{
    double scale = fitText(text, width, height, thickness);
    int baseline = 0;
    cv::Size size = cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, scale, thickness, &baseline);
    cv::Point origin(x + (width - size.width) / 2, y + size.height);
    cv::putText(canvas, text, origin, cv::FONT_HERSHEY_SIMPLEX, scale, colour, thickness, cv::LINE_AA);
}

void drawCode(cv::Mat& canvas, const ChartCode& code, cv::Rect cell)
{
    const int textHeight = std::clamp(cell.height / 8, 14, 40);
    const int gap = std::max(4, textHeight / 3);
    cv::Rect box(cell.x, cell.y, cell.width, cell.height - textHeight - gap);
    if (box.width < 8 || box.height < 8)
        return;

    auto format = parseFormat(code.format);
    std::string label = format ? humanReadable(code.text, *format) : code.text;
    int width = box.width;
    int height = box.height;
    if (format && isLinear(*format))
        height = std::min(box.height, std::max(box.width / 2, 1));
    else
        width = height = std::min(box.width, box.height);

    auto image = renderBarcode(code.text, code.format, width, height);
    cv::Rect placed(box.x + (box.width - width) / 2, box.y, width, height);
    if (image) {
        cv::Mat bgr;
        cv::cvtColor(*image, bgr, cv::COLOR_GRAY2BGR);
        bgr.copyTo(canvas(placed));
    } else {
        const cv::Scalar red(0, 0, 255);
        cv::rectangle(canvas, placed, red, 2);
        cv::line(canvas, placed.tl(), placed.br(), red, 1);
        cv::line(canvas, {placed.x, placed.y + placed.height}, {placed.x + placed.width, placed.y}, red, 1);
        drawCentred(canvas, image.error().message, placed.x + 4,
                    placed.y + placed.height / 2 - textHeight / 2, placed.width - 8, textHeight, red, 1);
    }
    drawCentred(canvas, label, cell.x, placed.y + placed.height + gap, cell.width, textHeight,
                cv::Scalar(0, 0, 0), std::max(1, textHeight / 14));
}

} // namespace

Result<cv::Mat> renderBarcode(std::string_view text, std::string_view format, int width, int height)
{
    auto parsed = parseFormat(format);
    if (!parsed)
        return encodeError("unknown barcode format \"" + std::string(format) + "\"");
    const std::string name = formatName(*parsed);
    if (width <= 0 || height <= 0 || width > maxSide || height > maxSide)
        return encodeError("cannot render " + name + " at " + std::to_string(width) + "x" +
                           std::to_string(height) + " pixels (1.." + std::to_string(maxSide) + ")");
    if (text.empty())
        return encodeError("cannot encode an empty text as " + name);

    auto modules = encodeModules(text, *parsed, name);
    if (!modules)
        return std::unexpected(modules.error());
    const ZXing::BitMatrix& bits = *modules;
    const bool linear = isLinear(*parsed);
    const int quiet = quietZone(*parsed);
    const int needWidth = bits.width() + 2 * quiet;
    const int needHeight = linear ? 1 : bits.height() + 2 * quiet;
    const int scale = std::min(width / needWidth, height / needHeight);
    if (bits.width() <= 0 || bits.height() <= 0 || scale < 1)
        return encodeError("\"" + std::string(text) + "\" as " + name + " needs at least " +
                           std::to_string(needWidth) + "x" + std::to_string(needHeight) + " pixels, got " +
                           std::to_string(width) + "x" + std::to_string(height));

    cv::Mat image(height, width, CV_8UC1, cv::Scalar(255));
    const int symbolWidth = bits.width() * scale;
    const int symbolHeight = linear ? height : bits.height() * scale;
    const int left = (width - symbolWidth) / 2;
    const int top = (height - symbolHeight) / 2;
    for (int y = 0; y < bits.height(); ++y)
        for (int x = 0; x < bits.width(); ++x)
            if (bits.get(x, y)) {
                int rowTop = linear ? top : top + y * scale;
                int rowHeight = linear ? symbolHeight : scale;
                image(cv::Rect(left + x * scale, rowTop, scale, rowHeight)).setTo(cv::Scalar(0));
            }
    return image;
}

cv::Mat renderTestChart(const std::vector<ChartCode>& codes, std::string_view caption, int width, int height)
{
    if (width < 64 || height < 64 || width > maxSide || height > maxSide)
        return {};
    cv::Mat canvas(height, width, CV_8UC3, cv::Scalar(255, 255, 255));
    const int margin = std::max(8, std::min(width, height) / 40);
    int top = margin;
    if (!caption.empty()) {
        const int captionHeight = std::max(20, height / 14);
        drawCentred(canvas, std::string(caption), margin, top, width - 2 * margin, captionHeight,
                    cv::Scalar(0, 0, 0), std::max(1, captionHeight / 16));
        top += captionHeight + margin;
    }
    if (codes.empty())
        return canvas;

    const int count = static_cast<int>(codes.size());
    const int columns = count <= 3 ? count : static_cast<int>(std::ceil(std::sqrt(count)));
    const int rows = (count + columns - 1) / columns;
    const int cellWidth = (width - margin) / columns;
    const int cellHeight = (height - top) / rows;
    for (int i = 0; i < count; ++i) {
        cv::Rect cell((i % columns) * cellWidth + margin, top + (i / columns) * cellHeight,
                      cellWidth - margin, cellHeight - margin);
        drawCode(canvas, codes[static_cast<std::size_t>(i)], cell);
    }
    return canvas;
}

} // namespace retour::vision
