#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace retour::station {

// What the restock label of one inspected item shows.
struct LabelContent
{
    std::string lpn;         // licence plate number: Code 128 + text
    std::string disposition; // code of docs/messages.md, printed in capitals
    std::string location;    // destination, printed large
    std::string rmaId;       // empty for an unannounced parcel
    char grade = 'E';
    std::string sku;
    std::string description;
    std::string stationId;
    std::string date; // YYYY-MM-DD
};

// "LPN-<station>-<6-digit seq>" (seq beyond 999999 keeps all its digits).
std::string makeLpn(std::string_view stationId, std::int64_t seq);

// Bytes of a ZPL field escaped for ^FH\ (ZPL II ^FH): ^, ~, \ and control characters become \hh,
// so text from RMAs or operators cannot end the field or inject a command. UTF-8 passes (^CI28).
std::string zplEscape(std::string_view text);

// A 4x2 in label at 203 dpi (812 x 406 dots), ZPL II: ^XA ^CI28 … ^XZ. Every ^FD is preceded by
// ^FH\ and escaped. Pure.
std::string buildRestockLabel(const LabelContent& content);

} // namespace retour::station
