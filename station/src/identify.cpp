#include "retour/station/identify.h"

#include "retour/station/gtin.h"

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

} // namespace

ItemCode parseItemCode(std::string_view text)
{
    ItemCode code;
    code.text = trim(text);
    if (auto gs1 = parseGs1ElementString(code.text)) {
        code.gtin14 = normalizeGtin(gs1->gtin);
        code.serial = gs1->serial;
    } else {
        code.gtin14 = normalizeGtin(code.text);
    }
    return code;
}

LineMatch matchLine(const Rma& rma, const ItemCode& code, const std::vector<int>& inspectedPerLine)
{
    std::optional<std::size_t> exhausted;
    for (std::size_t i = 0; i < rma.lines.size(); ++i) {
        const auto& line = rma.lines[i];
        const bool serialMatch =
            std::find(line.serials.begin(), line.serials.end(), code.text) != line.serials.end() ||
            (!code.serial.empty() &&
             std::find(line.serials.begin(), line.serials.end(), code.serial) != line.serials.end());
        const bool gtinMatch = code.gtin14 && normalizeGtin(line.gtin) == code.gtin14;
        if (!serialMatch && !gtinMatch) {
            continue;
        }
        const std::string serial =
            serialMatch ? (code.serial.empty() ? code.text : code.serial) : code.serial;
        const int done = i < inspectedPerLine.size() ? inspectedPerLine[i] : 0;
        if (done < line.quantity) {
            return LineMatch{i, serial};
        }
        if (!exhausted) {
            exhausted = i;
        }
    }
    if (exhausted) {
        return LineMatch{exhausted, code.serial};
    }
    return LineMatch{std::nullopt, code.serial};
}

Identification identifyParcel(std::string_view rawScan, const RmaDirectory& directory)
{
    const std::string scan = trim(rawScan);
    if (scan.empty()) {
        Identification id;
        id.message = "empty scan: scan the return label again";
        return id;
    }
    if (auto found = directory.find(RmaKey::LabelBarcode, scan); !found.empty()) {
        if (found.size() > 1) {
            return ambiguous(scan, found.size(), "label");
        }
        const bool preprinted = found.front().channel == "preprinted";
        return single(std::move(found), preprinted ? "preprinted_label" : "rma_label");
    }
    if (auto found = directory.find(RmaKey::Tracking, scan); !found.empty()) {
        return found.size() > 1 ? ambiguous(scan, found.size(), "tracking number")
                                : single(std::move(found), "tracking");
    }
    if (auto found = directory.find(RmaKey::OrderId, scan); !found.empty()) {
        return found.size() > 1 ? ambiguous(scan, found.size(), "order") : single(std::move(found), "order");
    }

    const ItemCode code = parseItemCode(scan);
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
        return id;
    }
    if (candidates.size() > 1) {
        return ambiguous(scan, candidates.size(), "item");
    }
    if (code.gtin14) {
        Identification id;
        id.kind = Identification::Kind::Unannounced;
        id.identifiedBy = "unannounced";
        id.item = code;
        id.serial = code.serial;
        return id;
    }
    Identification id;
    id.message = "unknown code \"" + scan +
                 "\": not a return label, tracking number, order number or item of any expected return; scan "
                 "the return label or the item's GTIN barcode";
    return id;
}

} // namespace retour::station
