#pragma once

#include "retour/station/rma.h"

#include <optional>
#include <string>
#include <string_view>

namespace retour::station {

// What an item barcode says: a GTIN (plain or in a GS1 element string, with its serial) or any
// other text, which may be a serial number.
struct ItemCode
{
    std::string text;                  // as scanned
    std::optional<std::string> gtin14; // normalised GTIN when the scan carries one
    std::string serial;                // AI 21 of a GS1 element string
};
ItemCode parseItemCode(std::string_view text);

// The RMA line an item code belongs to. lineIndex is empty when no line matches; serial is the
// serial that matched (or the GS1 serial).
struct LineMatch
{
    std::optional<std::size_t> lineIndex;
    std::string serial;
};
// Prefers a line whose count in `inspectedPerLine` (same order as rma.lines; may be shorter) is
// still below its quantity.
LineMatch matchLine(const Rma& rma, const ItemCode& code, const std::vector<int>& inspectedPerLine = {});

// How a parcel is identified from the first scan at an idle bench (docs/messages.md
// parcel.received identified_by): label / RMA id, tracking, order, an item of exactly one RMA, an
// unannounced item with a valid GTIN; else unknown or ambiguous. Pure.
struct Identification
{
    enum class Kind
    {
        Rma,
        Unannounced,
        Unknown,
        Ambiguous
    };
    Kind kind = Kind::Unknown;
    std::optional<Rma> rma;
    std::string identifiedBy;     // rma_label | preprinted_label | tracking | order | item | unannounced
    std::optional<ItemCode> item; // set when the scan was an item (identified_by item / unannounced)
    std::optional<std::size_t> lineIndex;
    std::string serial;
    std::string message; // for Unknown / Ambiguous: what to tell the operator
};
Identification identifyParcel(std::string_view scan, const RmaDirectory& directory);

} // namespace retour::station
