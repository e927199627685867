#include "devices/label.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace retour::station {

namespace {

// At most maxChars UTF-8 characters, never cutting a multi-byte sequence.
std::string truncateUtf8(std::string_view text, std::size_t maxChars)
{
    std::size_t chars = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = 1;
        if (lead >= 0xF0) {
            length = 4;
        } else if (lead >= 0xE0) {
            length = 3;
        } else if (lead >= 0xC0) {
            length = 2;
        }
        if (chars == maxChars || i + length > text.size()) {
            break;
        }
        i += length;
        ++chars;
    }
    return std::string(text.substr(0, i));
}

std::string upper(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) {
        return c == '_' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    });
    return out;
}

// One text field: origin, scalable font 0 at the given height, escaped data.
std::string textField(int x, int y, int height, std::string_view text)
{
    return "^FO" + std::to_string(x) + "," + std::to_string(y) + "^A0N," + std::to_string(height) + "," +
           std::to_string(height) + "^FH\\^FD" + zplEscape(text) + "^FS\n";
}

} // namespace

std::string makeLpn(std::string_view stationId, std::int64_t seq)
{
    char digits[24];
    std::snprintf(digits, sizeof digits, "%06lld", static_cast<long long>(seq));
    return "LPN-" + std::string(stationId) + "-" + digits;
}

std::string zplEscape(std::string_view text)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '^' || c == '~' || c == '\\' || byte < 0x20 || byte == 0x7F) {
            out += '\\';
            out += kHex[byte >> 4];
            out += kHex[byte & 0x0F];
        } else {
            out += c;
        }
    }
    return out;
}

std::string buildRestockLabel(const LabelContent& content)
{
    // Layout for 812 x 406 dots (4x2 in, 203 dpi = 8 dots/mm), docs/protocols/zpl.md §1.
    std::string zpl = "^XA\n^CI28\n^PW812\n^LL406\n^LH0,0\n";
    zpl += textField(30, 20, 44, upper(content.disposition));
    zpl += textField(520, 20, 44, "GRADE " + std::string(1, content.grade));
    zpl += textField(30, 76, 70, truncateUtf8(content.location, 16));
    zpl += "^FO30,160^GB752,3,3^FS\n";
    // Code 128 of the LPN, human-readable text as a separate field. Only [A-Za-z0-9_-] go into the
    // symbol: the station id is validated to that set, and a ">" would start a Code 128 invocation
    // code (ZPL II ^BC), which ^FH escaping cannot prevent.
    std::string barcodeData;
    for (const char c : content.lpn) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_') {
            barcodeData += c;
        }
    }
    zpl += "^BY2,3,100\n^FO30,180^BCN,100,N,N,N,N^FD" + barcodeData + "^FS\n";
    zpl += textField(30, 290, 30, content.lpn);
    zpl +=
        textField(30, 330, 26, content.rmaId.empty() ? std::string("UNANNOUNCED") : "RMA " + content.rmaId);
    zpl += textField(420, 290, 26, truncateUtf8(content.sku, 24));
    zpl += textField(420, 330, 22, truncateUtf8(content.description, 30));
    zpl += textField(30, 370, 20, content.stationId + "  " + content.date);
    zpl += "^PQ1,0,1,Y\n^XZ\n";
    return zpl;
}

} // namespace retour::station
