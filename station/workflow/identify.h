#pragma once

#include "workflow/rma.h"

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace retour::station {

// What an item barcode says: a GTIN (plain or in a GS1 element string, with its serial) or any
// other text, which may be a serial number. A GS1 scan may carry an SSCC (a parcel, not an item).
struct ItemCode
{
    std::string text;                  // as scanned, without a symbology identifier
    std::optional<std::string> gtin14; // normalised GTIN when the scan carries one
    std::string serial;                // AI 21 of a GS1 element string
    std::string sscc;                  // AI 00 of a GS1 element string
};
ItemCode parseItemCode(std::string_view text);

// How this site's pre-printed return labels look (rules file [preprinted_label]): the label text
// starts with one of the prefixes or matches the whole pattern (ECMAScript regex).
//
// Thread contract: immutable after loading; reentrant.
struct PreprintedLabelFormat
{
    std::vector<std::string> prefixes;
    std::string pattern;
    std::shared_ptr<const std::regex> regex; // compiled pattern; null without one

    bool empty() const { return prefixes.empty() && !regex; }
    bool matches(std::string_view text) const;
};

// The forms a tracking number of a cached RMA may hold an SSCC in: the 18 digits, or with AI 00.
std::vector<std::string> ssccKeys(std::string_view sscc);

// The RMA line an item code belongs to. lineIndex is empty when no line matches; serial is the
// serial that matched (or the GS1 serial).
struct LineMatch
{
    std::optional<std::size_t> lineIndex;
    std::string serial;
    // The line's GTIN matched but the scanned serial is none of the serials the line shipped.
    bool serialMismatch = false;
    // Every line that matches has all its units inspected already: one unit more than the RMA says.
    bool overQuantity = false;
};
// Prefers a line whose count in `inspectedPerLine` (same order as rma.lines; may be shorter) is
// still below its quantity, then a line whose serial matches.
LineMatch matchLine(const Rma& rma, const ItemCode& code, const std::vector<int>& inspectedPerLine = {});

// How a parcel is identified from the first scan at an idle bench (docs/messages.md
// parcel.received identified_by): label / RMA id, tracking, a GS1 SSCC matching a tracking number,
// order, an item of exactly one RMA, a pre-printed label no cached RMA has (a return created at
// the bench), an unannounced item with a valid GTIN; else unknown or ambiguous. Pure.
struct Identification
{
    enum class Kind
    {
        Rma,
        Preprinted, // a pre-printed return label with no cached RMA: the bench creates the return
        Unannounced,
        Unknown,
        Ambiguous
    };
    Kind kind = Kind::Unknown;
    std::optional<Rma> rma;
    std::string identifiedBy; // rma_label | preprinted_label | tracking | sscc | order | item | unannounced
    std::optional<ItemCode> item; // set when the scan was an item (identified_by item / unannounced)
    std::optional<std::size_t> lineIndex;
    std::string serial;
    std::vector<std::string> findings; // of the item scanned (serial_mismatch)
    std::optional<std::string> label;  // the pre-printed label's text (identified_by preprinted_label)
    std::string message;               // for Unknown / Ambiguous: what to tell the operator
    // What central may know that the cache does not (docs/messages.md "Lookups"): key and value of a
    // lookup worth asking before going on (Preprinted, Unannounced, an unknown SSCC); empty if none.
    std::string lookupKey;
    std::string lookupValue;
};
Identification identifyParcel(std::string_view scan, const RmaDirectory& directory,
                              const PreprintedLabelFormat& preprinted = {});

} // namespace retour::station
