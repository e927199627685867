#include "workflow/identify.h"

#include "workflow/gtin.h"

#include <algorithm>

namespace retour::station {

namespace {

std::string trim(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

Identification single(std::vector<Rma> found, std::string identifiedBy)
{
    Identification id;
    id.kind = Identification::Kind::Rma;
    id.rma = std::move(found.front());
    id.identifiedBy = std::move(identifiedBy);
    return id;
}

Identification ambiguous(std::string_view scan, std::size_t count, std::string_view what)
{
    Identification id;
    id.kind = Identification::Kind::Ambiguous;
    id.message = std::string(what) + " \"" + std::string(scan) + "\" matches " + std::to_string(count) +
                 " open RMAs: scan the return label or the carrier tracking number instead";
    return id;
}

bool contains(const std::vector<std::string>& values, const std::string& value)
{
    return std::find(values.begin(), values.end(), value) != values.end();
}

} // namespace

bool PreprintedLabelFormat::matches(std::string_view text) const
{
    if (text.empty()) {
        return false;
    }
    for (const auto& prefix : prefixes) {
        if (!prefix.empty() && text.starts_with(prefix) && text.size() > prefix.size()) {
            return true;
        }
    }
    return regex && std::regex_match(text.begin(), text.end(), *regex);
}

std::vector<std::string> ssccKeys(std::string_view sscc)
{
    return {std::string(sscc), "00" + std::string(sscc)};
}

ItemCode parseItemCode(std::string_view text)
{
    ItemCode code;
    code.text = trim(stripSymbologyIdentifier(trim(text)));
    if (auto gs1 = parseGs1(trim(text))) {
        if (!gs1->gtin.empty()) {
            code.gtin14 = normalizeGtin(gs1->gtin);
        }
        code.serial = gs1->serial;
        code.sscc = gs1->sscc;
    } else {
        code.gtin14 = normalizeGtin(code.text);
    }
    return code;
}

LineMatch matchLine(const Rma& rma, const ItemCode& code, const std::vector<int>& inspectedPerLine)
{
    // Rank the matching lines: a line with units left beats an exhausted one, then a serial
    // match beats a GTIN-only match.
    std::optional<std::size_t> best;
    int bestRank = -1;
    bool bestSerialMatch = false;
    for (std::size_t i = 0; i < rma.lines.size(); ++i) {
        const auto& line = rma.lines[i];
        const bool serialMatch = contains(line.serials, code.text) ||
                                 (!code.serial.empty() && contains(line.serials, code.serial));
        const bool gtinMatch = code.gtin14 && normalizeGtin(line.gtin) == code.gtin14;
        if (!serialMatch && !gtinMatch) {
            continue;
        }
        const int done = i < inspectedPerLine.size() ? inspectedPerLine[i] : 0;
        const int rank = (done < line.quantity ? 2 : 0) + (serialMatch ? 1 : 0);
        if (rank > bestRank) {
            best = i;
            bestRank = rank;
            bestSerialMatch = serialMatch;
        }
    }
    if (!best) {
        return LineMatch{std::nullopt, code.serial};
    }
    const auto& line = rma.lines[*best];
    LineMatch match;
    match.lineIndex = best;
    match.serial = bestSerialMatch ? (code.serial.empty() ? code.text : code.serial) : code.serial;
    match.serialMismatch = !bestSerialMatch && !code.serial.empty() && !line.serials.empty();
    match.overQuantity = bestRank < 2;
    return match;
}

Identification identifyParcel(std::string_view rawScan, const RmaDirectory& directory,
                              const PreprintedLabelFormat& preprinted)
{
    const std::string raw = trim(rawScan);
    const std::string scan = trim(stripSymbologyIdentifier(raw));
    if (scan.empty()) {
        Identification id;
        id.message = "empty scan: scan the return label again";
        return id;
    }
    if (auto found = directory.find(RmaKey::LabelBarcode, scan); !found.empty()) {
        if (found.size() > 1) {
            return ambiguous(scan, found.size(), "label");
        }
        const bool isPreprinted = found.front().channel == "preprinted";
        Identification id = single(std::move(found), isPreprinted ? "preprinted_label" : "rma_label");
        if (isPreprinted) {
            id.label = scan;
        }
        return id;
    }
    const ItemCode code = parseItemCode(raw);
    if (!code.sscc.empty()) {
        // GS1 logistic label (AI 00): the parcel's SSCC, which carriers and returns portals use as
        // the tracking number (GS1 GenSpecs §2.2.1).
        std::vector<Rma> found;
        for (const auto& key : ssccKeys(code.sscc)) {
            for (auto& rma : directory.find(RmaKey::Tracking, key)) {
                if (std::none_of(found.begin(), found.end(),
                                 [&](const Rma& r) { return r.rmaId == rma.rmaId; })) {
                    found.push_back(std::move(rma));
                }
            }
        }
        if (found.size() == 1) {
            return single(std::move(found), "sscc");
        }
        if (found.size() > 1) {
            return ambiguous(code.sscc, found.size(), "SSCC");
        }
        Identification id;
        id.message = "SSCC " + code.sscc +
                     " (the parcel's GS1 logistic label) is on no expected return: scan the return label or "
                     "an item's barcode";
        id.lookupKey = "tracking";
        id.lookupValue = code.sscc;
        return id;
    }
    if (auto found = directory.find(RmaKey::Tracking, scan); !found.empty()) {
        return found.size() > 1 ? ambiguous(scan, found.size(), "tracking number")
                                : single(std::move(found), "tracking");
    }
    if (auto found = directory.find(RmaKey::OrderId, scan); !found.empty()) {
        return found.size() > 1 ? ambiguous(scan, found.size(), "order") : single(std::move(found), "order");
    }

    std::vector<Rma> candidates;
    if (code.gtin14) {
        candidates = directory.find(RmaKey::Gtin, *code.gtin14);
    }
    const std::string serial = code.serial.empty() ? code.text : code.serial;
    for (auto& rma : directory.find(RmaKey::Serial, serial)) {
        if (std::none_of(candidates.begin(), candidates.end(),
                         [&](const Rma& r) { return r.rmaId == rma.rmaId; })) {
            candidates.push_back(std::move(rma));
        }
    }
    if (candidates.size() == 1) {
        Identification id = single(std::move(candidates), "item");
        const LineMatch match = matchLine(*id.rma, code);
        id.item = code;
        id.lineIndex = match.lineIndex;
        id.serial = match.serial;
        if (match.serialMismatch) {
            id.findings.emplace_back("serial_mismatch");
        }
        return id;
    }
    if (candidates.size() > 1) {
        return ambiguous(scan, candidates.size(), "item");
    }
    // After the items: a serial of a cached RMA that happens to look like a label stays an item.
    if (preprinted.matches(scan)) {
        Identification id;
        id.kind = Identification::Kind::Preprinted;
        id.identifiedBy = "preprinted_label";
        id.label = scan;
        id.lookupKey = "label";
        id.lookupValue = scan;
        return id;
    }
    if (code.gtin14) {
        Identification id;
        id.kind = Identification::Kind::Unannounced;
        id.identifiedBy = "unannounced";
        id.item = code;
        id.serial = code.serial;
        // A GS1 element string is asked about by its GTIN, anything else as scanned.
        const bool plain = isValidGtin(code.text);
        id.lookupKey = plain ? "any" : "gtin";
        id.lookupValue = plain ? code.text : *code.gtin14;
        return id;
    }
    Identification id;
    id.message = "unknown code \"" + scan +
                 "\": not a return label, tracking number, order number or item of any expected return; scan "
                 "the return label or the item's GTIN barcode";
    return id;
}

} // namespace retour::station
