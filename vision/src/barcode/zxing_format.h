#pragma once

#include <ZXing/BarcodeFormat.h>
#include <optional>
#include <string>
#include <string_view>

namespace retour::vision {

// The project's names for ZXing's formats ("EAN-13", "Code 128", "QR Code", …): the same words
// the device layer uses for scanner symbologies, independent of how a ZXing version spells them.
std::string formatName(ZXing::BarcodeFormat format);

// Parse a format name ignoring case, spaces, '-' and '_' ("code128", "QR Code", "ean_13"); "QR" is
// an alias of "QR Code". nullopt for anything else.
std::optional<ZXing::BarcodeFormat> parseFormat(std::string_view name);

} // namespace retour::vision
