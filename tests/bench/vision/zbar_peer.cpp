#include "zbar_peer.h"

#include <algorithm>
#include <utility>
#include <zbar.h>

namespace retour::bench {

namespace {

using namespace zbar;

const std::pair<zbar_symbol_type_t, const char*> names[] = {
    {ZBAR_EAN13, "EAN-13"},
    {ZBAR_EAN8, "EAN-8"},
    {ZBAR_UPCA, "UPC-A"},
    {ZBAR_UPCE, "UPC-E"},
    {ZBAR_CODE128, "Code 128"},
    {ZBAR_CODE39, "Code 39"},
    {ZBAR_I25, "ITF"},
    {ZBAR_QRCODE, "QR Code"},
    {ZBAR_PDF417, "PDF417"},
    {ZBAR_DATABAR, "DataBar"},
    {ZBAR_DATABAR_EXP, "DataBar Expanded"},
    {ZBAR_CODE93, "Code 93"},
    {ZBAR_CODABAR, "Codabar"},
};

} // namespace

std::vector<ZbarCode> zbarRead(const cv::Mat& grey, const std::vector<std::string>& formats)
{
    zbar::ImageScanner scanner;
    scanner.set_config(zbar::ZBAR_NONE, zbar::ZBAR_CFG_ENABLE, 0);
    for (const auto& [type, name] : names)
        if (formats.empty() || std::find(formats.begin(), formats.end(), name) != formats.end())
            scanner.set_config(type, zbar::ZBAR_CFG_ENABLE, 1);
    cv::Mat continuous = grey.isContinuous() ? grey : grey.clone();
    zbar::Image image(static_cast<unsigned>(continuous.cols), static_cast<unsigned>(continuous.rows), "Y800",
                      continuous.data, continuous.total());
    scanner.scan(image);
    std::vector<ZbarCode> codes;
    for (auto symbol = image.symbol_begin(); symbol != image.symbol_end(); ++symbol) {
        std::string format = symbol->get_type_name();
        for (const auto& [type, name] : names)
            if (type == symbol->get_type())
                format = name;
        // zbar reports UPC-A inside EAN-13 unless UPC-A is enabled; normalise the leading 0.
        codes.push_back({format, symbol->get_data()});
    }
    image.set_data(nullptr, 0);
    return codes;
}

} // namespace retour::bench
