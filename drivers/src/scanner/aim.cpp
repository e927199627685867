#include "retour/drivers/protocol/aim.h"

#include <cctype>

namespace retour::drivers::protocol {

namespace {

bool isAlpha(char c)
{
    return std::isalpha(static_cast<unsigned char>(c)) != 0;
}

bool isAlnum(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

} // namespace

std::optional<AimSplit> splitAimPrefix(std::string_view text)
{
    if (text.size() < 3 || text[0] != ']' || !isAlpha(text[1]) || !isAlnum(text[2])) {
        return std::nullopt;
    }
    AimSplit split;
    split.aimId = std::string(text.substr(0, 3));
    split.symbology = aimSymbology(split.aimId);
    split.data = text.substr(3);
    return split;
}

// Table: docs/protocols/scanners.md §4 (zxing-cpp decoders, ISO/IEC 15424).
std::string aimSymbology(std::string_view aimId)
{
    if (aimId.size() != 3 || aimId[0] != ']') {
        return "";
    }
    const char code = aimId[1];
    const char mod = aimId[2];
    switch (code) {
    case 'A':
        return "Code 39";
    case 'C':
        return mod == '1' ? "GS1-128" : "Code 128";
    case 'E':
        switch (mod) {
        case '0':
            return "EAN-13";
        case '1':
        case '2':
            return "EAN/UPC add-on";
        case '3':
            return "EAN-13 with add-on";
        case '4':
            return "EAN-8";
        default:
            return "EAN/UPC";
        }
    case 'e':
        return "GS1 DataBar";
    case 'F':
        return "Codabar";
    case 'G':
        return "Code 93";
    case 'I':
        return "ITF";
    case 'L':
        return "PDF417";
    case 'd':
        return (mod == '2' || mod == '5') ? "GS1 DataMatrix" : "Data Matrix";
    case 'Q':
        return (mod == '3' || mod == '4') ? "GS1 QR" : "QR";
    case 'z':
        return (mod == '1' || mod == '4') ? "GS1 Aztec" : "Aztec";
    case 'U':
        return "MaxiCode";
    case 'X':
        return "Other";
    default:
        return "";
    }
}

bool aimIsGs1(std::string_view aimId)
{
    return aimId == "]C1" || aimId == "]d2" || aimId == "]d5" || aimId == "]Q3" || aimId == "]Q4" ||
           aimId == "]e0" || aimId == "]z1" || aimId == "]z4";
}

} // namespace retour::drivers::protocol
