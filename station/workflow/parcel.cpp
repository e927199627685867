// The parcel: identifying it, the items scanned in it, closing it.
#include "workflow/gtin.h"
#include "workflow/workflow.h"

#include <algorithm>

namespace retour::station {

void Workflow::identify(const std::string& text, Out& out)
{
    Identification id = identifyParcel(text, directory_, rules_->preprintedLabel);
    if (id.kind == Identification::Kind::Unknown || id.kind == Identification::Kind::Ambiguous) {
        say(out, MessageLevel::Warning, id.message);
        return;
    }
    OpenParcelState parcel;
    parcel.parcel.parcelId = services_.newId();
    parcel.parcel.identifiedBy = id.identifiedBy;
    parcel.parcel.scanned = text;
    parcel.parcel.label = id.label;
    parcel.parcel.operatorId = settings_.operatorId;
    parcel.parcel.receivedAt = services_.now();
    if (id.rma) {
        parcel.parcel.rmaId = id.rma->rmaId;
        parcel.parcel.channel = id.rma->channel;
        parcel.inspected.assign(id.rma->lines.size(), 0);
        parcel.rma = std::move(id.rma);
    } else {
        parcel.parcel.channel = id.kind == Identification::Kind::Preprinted ? "preprinted" : "unannounced";
    }
    parcel_ = std::move(parcel);
    state_ = State::ParcelOpen;
    out.emplace_back(OpenParcel{parcel_->parcel});

    const auto& p = parcel_->parcel;
    if (parcel_->rma) {
        say(out, MessageLevel::Info,
            "parcel of " + p.rmaId.value_or("") + " (" + p.channel + ", " +
                std::to_string(parcel_->rma->lines.size()) + " line(s)) identified by " + p.identifiedBy);
    } else if (id.kind == Identification::Kind::Preprinted) {
        say(out, MessageLevel::Warning,
            "pre-printed label \"" + id.label.value_or(text) +
                "\" has no return yet: a return is created from the label (central reconciles it); scan each "
                "item");
    } else {
        say(out, MessageLevel::Warning,
            "unannounced parcel (no RMA matches \"" + text + "\"): inspect it anyway");
    }
    if (id.item) {
        std::vector<std::string> findings = std::move(id.findings);
        if (parcel_->rma && !id.lineIndex) {
            findings.push_back("wrong_item");
        }
        beginItem(id.lineIndex, *id.item, id.serial, std::move(findings), out);
    } else {
        say(out, MessageLevel::Info, prompt());
    }
}

// An LPN printed by this bench (label.cpp "LPN-<station>-<seq>") is never a new parcel or item: it
// shows the item it was printed for — in the open parcel, with what CMD:REPRINT and CMD:UNDO do to
// it; otherwise the parcel it went out with.
bool Workflow::lpnScan(const std::string& text, Out& out)
{
    const std::string lpn = std::string(stripSymbologyIdentifier(text));
    if (!lpn.starts_with("LPN-")) {
        return false;
    }
    if (parcel_) {
        const auto& done = parcel_->done;
        const auto it =
            std::find_if(done.begin(), done.end(), [&](const auto& d) { return d.inspection.lpn == lpn; });
        if (it != done.end()) {
            lastLabel_ = it->label;
            const bool last = std::next(it) == done.end();
            std::string detail;
            if (services_.findLpn) {
                if (const auto info = services_.findLpn(lpn)) {
                    detail = " (" + info->itemName() + ", grade " + info->grade + ", " + info->disposition +
                             " at " + info->location + ")";
                }
            }
            say(out, MessageLevel::Info,
                lpn + " is item " + std::to_string(std::distance(done.begin(), it) + 1) + " of this parcel" +
                    detail + ": CMD:REPRINT prints its label again" +
                    (last ? ", CMD:UNDO takes it back" : " (only the last item can be undone)") + "; " +
                    prompt());
            return true;
        }
    }
    const std::optional<LpnInfo> info = services_.findLpn ? services_.findLpn(lpn) : std::nullopt;
    if (!info) {
        say(out, MessageLevel::Warning,
            lpn + " was not printed by this bench (or not saved yet): scan a return label or an item; " +
                prompt());
        return true;
    }
    const std::string what = info->itemName();
    const std::string parcel = "parcel " + info->parcelId + (info->rmaId ? " of " + *info->rmaId : "");
    if (info->voided) {
        say(out, MessageLevel::Warning,
            lpn + " is VOID (" + what + " was taken back in " + parcel + "): remove that label; " + prompt());
    } else {
        // Not the open parcel's: a closed one (a bench has one parcel open at a time; the time is
        // missing when the closing is still being stored).
        say(out, MessageLevel::Info,
            lpn + " is " + what + ", grade " + info->grade + ", " + info->disposition + " at " +
                info->location + ", in closed " + parcel +
                (info->parcelClosedAt ? " (closed at " + *info->parcelClosedAt + ")" : std::string{}) +
                ": a closed parcel cannot be changed; " + prompt());
    }
    return true;
}

// A GS1 SSCC (AI 00) is a parcel's, never an item's: this parcel's own, another return's (the
// operator forgot to close this one), or one no cached RMA has.
bool Workflow::ssccScan(const ItemCode& code, Out& out)
{
    if (code.sscc.empty()) {
        return false;
    }
    std::vector<Rma> found;
    for (const auto& key : ssccKeys(code.sscc)) {
        for (auto& rma : directory_.find(RmaKey::Tracking, key)) {
            found.push_back(std::move(rma));
        }
    }
    const bool own = std::any_of(found.begin(), found.end(), [&](const Rma& r) {
        return parcel_->rma && r.rmaId == parcel_->rma->rmaId;
    });
    if (own) {
        say(out, MessageLevel::Info, "SSCC " + code.sscc + " is this parcel's own; " + prompt());
    } else if (!found.empty()) {
        say(out, MessageLevel::Warning,
            "SSCC " + code.sscc + " is the parcel of another return (" + found.front().rmaId +
                "): close this one first with CMD:CLOSE");
    } else {
        say(out, MessageLevel::Warning,
            "SSCC " + code.sscc +
                " is a parcel's GS1 logistic label, not an item: scan the item's barcode; " + prompt());
    }
    return true;
}

void Workflow::itemScan(const std::string& text, Out& out)
{
    // A parcel identifier of another return here means the operator forgot to close this parcel.
    const std::string plain = std::string(stripSymbologyIdentifier(text));
    for (auto key : {RmaKey::LabelBarcode, RmaKey::Tracking, RmaKey::OrderId}) {
        const auto found = directory_.find(key, plain);
        if (!found.empty()) {
            const bool same = parcel_->rma && found.front().rmaId == parcel_->rma->rmaId;
            say(out, MessageLevel::Warning,
                same ? "\"" + plain + "\" is this parcel's own " + toString(key) + "; " + prompt()
                     : "\"" + plain + "\" identifies another parcel (" + found.front().rmaId +
                           "): close this one first with CMD:CLOSE");
            return;
        }
    }
    const ItemCode code = parseItemCode(text);
    if (ssccScan(code, out)) {
        return;
    }
    if (parcel_->rma) {
        const LineMatch match = matchLine(*parcel_->rma, code, parcel_->inspected);
        if (match.lineIndex) {
            std::vector<std::string> findings;
            const auto& line = parcel_->rma->lines[*match.lineIndex];
            if (match.overQuantity) {
                findings.push_back("extra_item");
                say(out, MessageLevel::Warning,
                    "EXTRA ITEM: " + std::to_string(line.quantity) + " x " + line.sku + " expected on line " +
                        line.lineId + " and all are inspected: this unit is recorded as extra");
            }
            if (match.serialMismatch) {
                findings.push_back("serial_mismatch");
                say(out, MessageLevel::Warning,
                    "SERIAL MISMATCH: serial " + code.serial + " is not one shipped on line " + line.lineId +
                        " (" + line.sku + "): the item is recorded with the mismatch");
            }
            beginItem(match.lineIndex, code, match.serial, std::move(findings), out);
            return;
        }
        if (code.gtin14) {
            say(out, MessageLevel::Warning,
                "WRONG ITEM: " + code.text + " is on no line of " + parcel_->rma->rmaId +
                    ": inspect it as a wrong item (rules send it to review)");
            beginItem(std::nullopt, code, code.serial, {"wrong_item"}, out);
            return;
        }
    } else if (code.gtin14) {
        beginItem(std::nullopt, code, code.serial, {}, out);
        return;
    }
    say(out, MessageLevel::Warning,
        "unknown code \"" + plain + "\": scan the item's GTIN barcode or its serial number; " + prompt());
}

void Workflow::beginItem(std::optional<std::size_t> lineIndex, const ItemCode& code,
                         const std::string& serial, std::vector<std::string> findings, Out& out)
{
    ItemState item;
    Inspection& inspection = item.inspection;
    inspection.inspectionId = services_.newId();
    inspection.parcelId = parcel_->parcel.parcelId;
    inspection.rmaId = parcel_->parcel.rmaId;
    inspection.channel = parcel_->parcel.channel;
    inspection.identifiedBy = parcel_->parcel.identifiedBy;
    inspection.operatorId = settings_.operatorId;
    inspection.findings = std::move(findings);
    inspection.item.serial = serial;
    item.lineIndex = lineIndex;
    item.code = code.text;
    item.identityFindings = inspection.findings;
    if (lineIndex) {
        const RmaLine& line = parcel_->rma->lines[*lineIndex];
        inspection.lineId = line.lineId;
        inspection.item.sku = line.sku;
        inspection.item.gtin = line.gtin;
        inspection.item.category = line.category;
        inspection.item.description = line.description;
        inspection.weight.expectedG = line.expectedWeightG;
        item.value = line.unitPrice;
        item.reason = line.reason;
    } else {
        if (code.gtin14) {
            inspection.item.gtin = isValidGtin(code.text) ? code.text : *code.gtin14;
        }
        // Product facts from any cached RMA line with the same GTIN (no weight: unknown packaging).
        if (code.gtin14) {
            for (const auto& rma : directory_.find(RmaKey::Gtin, *code.gtin14)) {
                for (const auto& line : rma.lines) {
                    if (normalizeGtin(line.gtin) == code.gtin14) {
                        inspection.item.sku = line.sku;
                        inspection.item.category = line.category;
                        inspection.item.description = line.description;
                    }
                }
            }
        }
    }
    item_ = std::move(item);

    std::string note;
    for (const auto& finding : item_->inspection.findings) {
        note += " [" + finding + "]";
    }
    say(out, item_->inspection.findings.empty() ? MessageLevel::Info : MessageLevel::Warning,
        "item: " + itemName() + (lineIndex ? " (line " + *item_->inspection.lineId + ")" : std::string{}) +
            note);
    if (settings_.hasScale) {
        state_ = State::AwaitWeight;
        say(out, MessageLevel::Info, prompt());
    } else {
        recordWeight(std::nullopt, out);
    }
}

void Workflow::close(Out& out)
{
    CloseParcel command;
    command.parcelId = parcel_->parcel.parcelId;
    command.closedAt = services_.now();
    if (parcel_->rma) {
        for (std::size_t i = 0; i < parcel_->rma->lines.size(); ++i) {
            const auto& line = parcel_->rma->lines[i];
            if (parcel_->inspected[i] < line.quantity) {
                command.missing.push_back(
                    MissingLine{line.lineId, line.sku, line.quantity - parcel_->inspected[i]});
            }
        }
    }
    // The items' identity findings are the parcel's too (docs/messages.md parcel.closed).
    for (const char* finding : {"extra_item", "wrong_item", "serial_mismatch"}) {
        const bool any = std::any_of(parcel_->done.begin(), parcel_->done.end(), [&](const auto& d) {
            return std::find(d.identityFindings.begin(), d.identityFindings.end(), finding) !=
                   d.identityFindings.end();
        });
        if (any) {
            command.findings.emplace_back(finding);
        }
    }
    if (!command.missing.empty()) {
        command.findings.insert(command.findings.begin(), "missing_item");
        std::string list;
        for (const auto& m : command.missing) {
            list += (list.empty() ? "" : ", ") + std::to_string(m.missing) + " x " + m.sku + " (line " +
                    m.lineId + ")";
        }
        say(out, MessageLevel::Warning, "parcel closed with missing items: " + list);
    } else {
        say(out, MessageLevel::Info,
            "parcel closed: " + std::to_string(parcel_->confirmed) + " item(s) inspected");
    }
    std::string others;
    for (const auto& finding : command.findings) {
        if (finding != "missing_item") {
            others += (others.empty() ? "" : ", ") + finding;
        }
    }
    if (!others.empty()) {
        say(out, MessageLevel::Warning, "parcel findings: " + others);
    }
    out.emplace_back(std::move(command));
    parcel_.reset();
    state_ = State::Idle;
}
} // namespace retour::station
