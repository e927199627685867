#include "barcode/zxing_format.h"

#include <array>
#include <cctype>
#include <utility>

namespace retour::vision {

namespace {

using ZXing::BarcodeFormat;

constexpr std::array<std::pair<BarcodeFormat, std::string_view>, 17> names{{
    {BarcodeFormat::Aztec, "Aztec"},
    {BarcodeFormat::Codabar, "Codabar"},
    {BarcodeFormat::Code39, "Code 39"},
    {BarcodeFormat::Code93, "Code 93"},
    {BarcodeFormat::Code128, "Code 128"},
    {BarcodeFormat::DataBar, "DataBar"},
    {BarcodeFormat::DataBarExpanded, "DataBar Expanded"},
    {BarcodeFormat::DataMatrix, "DataMatrix"},
    {BarcodeFormat::EAN8, "EAN-8"},
    {BarcodeFormat::EAN13, "EAN-13"},
    {BarcodeFormat::ITF, "ITF"},
    {BarcodeFormat::MaxiCode, "MaxiCode"},
    {BarcodeFormat::PDF417, "PDF417"},
    {BarcodeFormat::QRCode, "QR Code"},
    {BarcodeFormat::UPCA, "UPC-A"},
    {BarcodeFormat::UPCE, "UPC-E"},
    {BarcodeFormat::MicroQRCode, "Micro QR Code"},
}};

std::string normalise(std::string_view name)
{
    std::string out;
    for (char c : name)
        if (std::isalnum(static_cast<unsigned char>(c)))
            out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return out;
}

} // namespace

std::string formatName(ZXing::BarcodeFormat format)
{
    for (const auto& [f, name] : names)
        if (f == format)
            return std::string(name);
    return ZXing::ToString(format);
}

std::optional<ZXing::BarcodeFormat> parseFormat(std::string_view name)
{
    const auto wanted = normalise(name);
    if (wanted.empty())
        return std::nullopt;
    if (wanted == "qr")
        return BarcodeFormat::QRCode;
    for (const auto& [format, known] : names)
        if (normalise(known) == wanted)
            return format;
    return std::nullopt;
}

} // namespace retour::vision
