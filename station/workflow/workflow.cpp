#include "workflow/workflow.h"

#include "devices/label.h"
#include "workflow/gtin.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace retour::station {

namespace {

std::string grams(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0f g", value);
    return buffer;
}

} // namespace

const char* toString(Workflow::State state)
{
    switch (state) {
    case Workflow::State::Idle:
        return "idle";
    case Workflow::State::ParcelOpen:
        return "parcel_open";
    case Workflow::State::AwaitWeight:
        return "await_weight";
    case Workflow::State::AwaitAccept:
        return "await_accept";
    case Workflow::State::AwaitGrade:
        return "await_grade";
    case Workflow::State::Graded:
        return "graded";
    case Workflow::State::Committing:
        return "committing";
    }
    return "?";
}

Workflow::Workflow(WorkflowSettings settings, std::shared_ptr<const RuleSet> rules,
                   const RmaDirectory& directory, WorkflowServices services, std::int64_t lastLpnSeq)
    : settings_(std::move(settings)), rules_(std::move(rules)), directory_(directory),
      services_(std::move(services)), lpnSeq_(lastLpnSeq)
{}

std::vector<Effect> Workflow::handle(const WorkflowEvent& event)
{
    Out out;
    std::visit(
        [&](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, ScanInput>) {
                onScan(e, out);
            } else if constexpr (std::is_same_v<T, WeightInput>) {
                onWeight(e, out);
            } else if constexpr (std::is_same_v<T, PhotoResult>) {
                onPhoto(e, out);
            } else if constexpr (std::is_same_v<T, CommitResult>) {
                onCommit(e, out);
            } else if constexpr (std::is_same_v<T, VoidResult>) {
                onVoid(e, out);
            } else {
                onAvailability(e, out);
            }
        },
        event);
    return out;
}

std::string Workflow::prompt() const
{
    switch (state_) {
    case State::Idle:
        return "scan the return label, tracking number, order number or an item barcode";
    case State::ParcelOpen:
        return "scan the next item, or CMD:CLOSE to close the parcel";
    case State::AwaitWeight:
        return "put " + itemName() + " on the scale (or CMD:SKIP to continue without weighing)";
    case State::AwaitAccept:
        return "weight mismatch on " + itemName() + ": check the item, then CMD:ACCEPT (or CMD:CANCEL)";
    case State::AwaitGrade:
        return "grade " + itemName() + ": scan CMD:GRADE:<function 0-3>:<cosmetic A-D>";
    case State::Graded:
        return "scan CMD:CONFIRM to save " + itemName() + " (or grade again)";
    case State::Committing:
        return "saving " + itemName() + ", wait";
    }
    return {};
}

std::string Workflow::itemName() const
{
    if (!item_) {
        return "the item";
    }
    const auto& info = item_->inspection.item;
    if (!info.description.empty()) {
        return "\"" + info.description + "\"";
    }
    if (!info.sku.empty()) {
        return info.sku;
    }
    return "item " + info.gtin;
}

void Workflow::say(Out& out, MessageLevel level, std::string text) const
{
    out.emplace_back(OperatorMessage{level, std::move(text)});
}

// ---- scans ----

void Workflow::onScan(const ScanInput& scan, Out& out)
{
    // While confirming waits for photos, skipping them is the one action that still applies.
    if (state_ == State::Committing) {
        const auto parsed = parseOperatorInput(scan.text);
        const bool skipPhoto = parsed && std::holds_alternative<cmd::SkipPhoto>(*parsed);
        if (skipPhoto && item_ && !item_->label) {
            onCommand(scan.text, out);
            return;
        }
        deferred_.emplace_back(scan);
        return;
    }
    std::string text = scan.text;
    while (!text.empty() && (text.back() == '\r' || text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    if (text.empty()) {
        say(out, MessageLevel::Warning, "empty scan ignored: " + prompt());
        return;
    }
    if (isOperatorInput(text)) {
        onCommand(text, out);
        return;
    }
    // A badge of the operators file signs its operator in, scanned with or without CMD:SIGNIN.
    if (settings_.operators && (state_ == State::Idle || state_ == State::ParcelOpen) &&
        settings_.operators->byBadge(text) != nullptr) {
        apply(cmd::SignIn{text}, out);
        return;
    }
    switch (state_) {
    case State::Idle:
        if (!lpnScan(text, out)) {
            identify(text, out);
        }
        return;
    case State::ParcelOpen:
        if (!lpnScan(text, out)) {
            itemScan(text, out);
        }
        return;
    case State::AwaitWeight:
    case State::AwaitAccept:
    case State::AwaitGrade:
    case State::Graded: {
        // A serial of the current line completes the item's identity; anything else is out of order.
        const ItemCode code = parseItemCode(text);
        if (parcel_->rma && item_->lineIndex) {
            const auto& serials = parcel_->rma->lines[*item_->lineIndex].serials;
            const std::string serial = code.serial.empty() ? code.text : code.serial;
            if (std::find(serials.begin(), serials.end(), serial) != serials.end()) {
                item_->inspection.item.serial = serial;
                say(out, MessageLevel::Info, "serial " + serial + " recorded; " + prompt());
                return;
            }
        }
        say(out, MessageLevel::Warning,
            "\"" + text + "\" ignored: finish the current item first (CMD:CANCEL drops it); " + prompt());
        return;
    }
    case State::Committing:
        break;
    }
}

void Workflow::onCommand(const std::string& text, Out& out)
{
    auto parsed = parseOperatorInput(text);
    if (!parsed) {
        say(out, MessageLevel::Warning, parsed.error() + "; " + prompt());
        return;
    }
    std::visit([&](const auto& command) { apply(command, out); }, *parsed);
}

void Workflow::apply(const cmd::Grade& command, Out& out)
{
    if (state_ == State::AwaitGrade || state_ == State::Graded) {
        grade(command.function, command.cosmetic, out);
    } else if (state_ == State::AwaitWeight) {
        say(out, MessageLevel::Warning, "grade ignored: weigh the item first; " + prompt());
    } else if (state_ == State::AwaitAccept) {
        say(out, MessageLevel::Warning, "grade ignored: accept the weight mismatch first; " + prompt());
    } else {
        say(out, MessageLevel::Warning, "grade ignored: no item is being inspected; " + prompt());
    }
}

void Workflow::apply(const cmd::Accept&, Out& out)
{
    if (state_ == State::AwaitAccept) {
        state_ = State::AwaitGrade;
        say(out, MessageLevel::Info, "weight mismatch accepted; " + prompt());
    } else {
        say(out, MessageLevel::Warning, "CMD:ACCEPT ignored: nothing to accept; " + prompt());
    }
}

void Workflow::apply(const cmd::SkipWeight&, Out& out)
{
    if (state_ == State::AwaitWeight) {
        recordWeight(std::nullopt, out);
    } else {
        say(out, MessageLevel::Warning, "CMD:SKIP ignored: only weighing can be skipped; " + prompt());
    }
}

void Workflow::apply(const cmd::Confirm&, Out& out)
{
    if (state_ == State::Graded) {
        confirm(out);
    } else if (state_ == State::AwaitWeight || state_ == State::AwaitAccept || state_ == State::AwaitGrade) {
        say(out, MessageLevel::Warning, "CMD:CONFIRM ignored: the item is not graded yet; " + prompt());
    } else {
        say(out, MessageLevel::Warning, "CMD:CONFIRM ignored: no item is being inspected; " + prompt());
    }
}

void Workflow::apply(const cmd::Cancel&, Out& out)
{
    if (item_) {
        say(out, MessageLevel::Warning, itemName() + " dropped, nothing saved; scan it again to inspect it");
        item_.reset();
        state_ = State::ParcelOpen;
    } else {
        say(out, MessageLevel::Warning, "CMD:CANCEL ignored: no item is being inspected; " + prompt());
    }
}

void Workflow::apply(const cmd::Close&, Out& out)
{
    if (state_ == State::ParcelOpen) {
        close(out);
    } else if (state_ == State::Idle) {
        say(out, MessageLevel::Warning, "CMD:CLOSE ignored: no parcel is open; " + prompt());
    } else {
        say(out, MessageLevel::Warning,
            "CMD:CLOSE ignored: finish the current item (CMD:CONFIRM) or drop it (CMD:CANCEL) first; " +
                prompt());
    }
}

void Workflow::apply(const cmd::SignIn& command, Out& out)
{
    if (item_) {
        say(out, MessageLevel::Warning, "sign-in ignored: finish the current item first; " + prompt());
        return;
    }
    if (!settings_.operators) {
        // No operators file: the credential is the operator id (small sites, docs/technician.md).
        signIn(command.credential, {}, "id", out);
        return;
    }
    // The credential may be a PIN: no message, log or audit row below repeats it.
    const auto now = services_.clock ? services_.clock() : std::chrono::steady_clock::now();
    if (const auto wait = signInGuard_.lockedFor(now); wait.count() > 0) {
        say(out, MessageLevel::Warning,
            "sign-in ignored: locked after " + std::to_string(signInGuard_.settings().maxFailures) +
                " failed attempts; try again in " + std::to_string(wait.count()) + " s");
        return;
    }
    const auto match = settings_.operators->resolve(command.credential);
    if (!match) {
        const bool locked = signInGuard_.failed(now);
        out.emplace_back(AuditChange{settings_.operatorId,
                                     "operator.sign_in_failed",
                                     settings_.stationId,
                                     {{"operator", settings_.operatorId}, {"signed_in", signedIn_}},
                                     {{"attempts", signInGuard_.failures()}, {"locked", locked}}});
        say(out, MessageLevel::Warning,
            locked ? "sign-in ignored: unknown badge or PIN; sign-in locked for " +
                         std::to_string(signInGuard_.settings().lockout.count()) + " s after " +
                         std::to_string(signInGuard_.failures()) + " failed attempts"
                   : "sign-in ignored: unknown badge or PIN");
        return;
    }
    signInGuard_.succeeded();
    signIn(match->op->id, match->op->name, match->kind == CredentialKind::Badge ? "badge" : "pin", out);
}

void Workflow::signIn(const std::string& operatorId, const std::string& name, std::string_view by, Out& out)
{
    out.emplace_back(AuditChange{operatorId,
                                 "operator.signed_in",
                                 settings_.stationId,
                                 {{"operator", settings_.operatorId}, {"signed_in", signedIn_}},
                                 {{"operator", operatorId}, {"signed_in", true}, {"by", std::string(by)}}});
    settings_.operatorId = operatorId;
    signedIn_ = true;
    say(out, MessageLevel::Info,
        "operator " + operatorId + (name.empty() ? "" : " (" + name + ")") + " signed in; " + prompt());
}

void Workflow::apply(const cmd::SignOut&, Out& out)
{
    if (item_) {
        say(out, MessageLevel::Warning, "sign-out ignored: finish the current item first; " + prompt());
        return;
    }
    say(out, MessageLevel::Info, "operator " + settings_.operatorId + " signed out");
    out.emplace_back(AuditChange{settings_.operatorId,
                                 "operator.signed_out",
                                 settings_.stationId,
                                 {{"operator", settings_.operatorId}, {"signed_in", signedIn_}},
                                 {{"operator", defaultOperator_}, {"signed_in", false}}});
    settings_.operatorId = defaultOperator_;
    signedIn_ = false;
}

void Workflow::apply(const cmd::Check& command, Out& out)
{
    if (!item_ || state_ == State::Committing) {
        say(out, MessageLevel::Warning, "checklist answer ignored: no item is being inspected; " + prompt());
        return;
    }
    Inspection& inspection = item_->inspection;
    const ChecklistQuestion* question = rules_->checklists.find(inspection.item.category, command.item);
    if (question == nullptr) {
        std::string ids;
        for (const auto* q : rules_->checklists.forCategory(inspection.item.category)) {
            ids += (ids.empty() ? "" : ", ") + q->id;
        }
        say(out, MessageLevel::Warning,
            "no checklist question \"" + command.item + "\" for " + inspection.item.category + " items" +
                (ids.empty() ? std::string(" (this category has no checklist)")
                             : " (questions: " + ids + ")") +
                "; " + prompt());
        return;
    }
    // A new answer replaces the previous one and the finding it raised.
    auto& answers = inspection.checklist;
    if (auto previous = std::find_if(answers.begin(), answers.end(),
                                     [&](const ChecklistAnswer& a) { return a.id == question->id; });
        previous != answers.end()) {
        if (!previous->finding.empty()) {
            auto& findings = inspection.findings;
            if (auto f = std::find(findings.begin(), findings.end(), previous->finding);
                f != findings.end()) {
                findings.erase(f);
            }
        }
        answers.erase(previous);
    }
    ChecklistAnswer answer{question->id, std::string(toString(command.answer)), {}};
    if (!question->findingIf.empty() && answer.answer == question->findingIf) {
        answer.finding = question->finding;
        inspection.findings.push_back(question->finding);
    }
    answers.push_back(answer);
    say(out, answer.finding.empty() ? MessageLevel::Info : MessageLevel::Warning,
        question->text + " " + answer.answer + (answer.finding.empty() ? "" : " [" + answer.finding + "]"));
    if (state_ == State::Graded) {
        decide(out);
    } else {
        say(out, MessageLevel::Info, prompt());
    }
}

void Workflow::apply(const cmd::Override& command, Out& out)
{
    if (state_ != State::Graded) {
        say(out, MessageLevel::Warning,
            "CMD:OVERRIDE ignored: grade the item first (CMD:GRADE), then override; " + prompt());
        return;
    }
    const auto& reasons = rules_->checklists.overrideReasons;
    if (!reasons.empty() && std::find(reasons.begin(), reasons.end(), command.reason) == reasons.end()) {
        std::string list;
        for (const auto& r : reasons) {
            list += (list.empty() ? "" : ", ") + r;
        }
        say(out, MessageLevel::Warning,
            "CMD:OVERRIDE ignored: unknown reason \"" + command.reason + "\" (reasons: " + list + ")");
        return;
    }
    Inspection& inspection = item_->inspection;
    const char tableGrade =
        inspection.gradeOverride ? inspection.gradeOverride->tableGrade : inspection.grade.grade;
    out.emplace_back(AuditChange{
        settings_.operatorId,
        "grade.overridden",
        inspection.inspectionId,
        {{"grade", std::string(1, inspection.grade.grade)}, {"table_grade", std::string(1, tableGrade)}},
        {{"grade", std::string(1, command.grade)}, {"reason", command.reason}}});
    inspection.gradeOverride = GradeOverride{tableGrade, command.reason, settings_.operatorId};
    inspection.grade.grade = command.grade;
    decide(out);
}

void Workflow::apply(const cmd::SkipPhoto& command, Out& out)
{
    if (!item_ || item_->label) {
        say(out, MessageLevel::Warning, "CMD:SKIPPHOTO ignored: no item is being inspected; " + prompt());
        return;
    }
    const auto& reasons = rules_->checklists.skipPhotoReasons;
    if (!reasons.empty() && std::find(reasons.begin(), reasons.end(), command.reason) == reasons.end()) {
        std::string list;
        for (const auto& r : reasons) {
            list += (list.empty() ? "" : ", ") + r;
        }
        say(out, MessageLevel::Warning,
            "CMD:SKIPPHOTO ignored: unknown reason \"" + command.reason + "\" (reasons: " + list + ")");
        return;
    }
    std::vector<std::string> views;
    if (command.view.empty()) {
        views.assign(item_->pendingViews.begin(), item_->pendingViews.end());
    } else if (item_->pendingViews.contains(command.view)) {
        views.push_back(command.view);
    }
    if (views.empty()) {
        say(out, MessageLevel::Warning,
            "CMD:SKIPPHOTO ignored: " +
                (command.view.empty() ? std::string("no photo is outstanding")
                                      : "photo \"" + command.view + "\" is not outstanding") +
                "; " + prompt());
        return;
    }
    for (const auto& view : views) {
        item_->pendingViews.erase(view);
        item_->inspection.skippedPhotos.push_back(SkippedPhoto{view, command.reason});
        say(out, MessageLevel::Warning, "photo \"" + view + "\" skipped: " + command.reason);
    }
    if (item_->pendingViews.empty() && item_->confirmRequested && state_ == State::Committing) {
        commit(out);
    } else {
        say(out, MessageLevel::Info, prompt());
    }
}

void Workflow::apply(const cmd::Next&, Out& out)
{
    if (state_ != State::ParcelOpen) {
        say(out, MessageLevel::Warning,
            std::string("CMD:NEXT ignored: ") +
                (state_ == State::Idle ? "no parcel is open" : "finish the current item first") + "; " +
                prompt());
        return;
    }
    if (!parcel_->rma) {
        say(out, MessageLevel::Warning, "CMD:NEXT ignored: this parcel has no expected items; scan the item");
        return;
    }
    for (std::size_t i = 0; i < parcel_->rma->lines.size(); ++i) {
        const auto& line = parcel_->rma->lines[i];
        if (parcel_->inspected[i] < line.quantity) {
            beginItem(i, parseItemCode(line.gtin), {}, {}, out);
            return;
        }
    }
    say(out, MessageLevel::Info, "every expected item is inspected: CMD:CLOSE to close the parcel");
}

void Workflow::apply(const cmd::Reprint&, Out& out)
{
    if (!lastLabel_) {
        say(out, MessageLevel::Warning, "CMD:REPRINT ignored: no label printed yet; " + prompt());
        return;
    }
    LabelRecord copy = *lastLabel_;
    copy.jobId = services_.newId();
    out.emplace_back(ReprintLabel{std::move(copy), lastLabel_->jobId});
    say(out, MessageLevel::Info, "label " + lastLabel_->lpn + " sent to the printer again; " + prompt());
}

// Undo takes back the last confirmed item of the open parcel (never across a closed parcel: what
// central counts as closed stays closed). The store voids it; the item is then inspected again.
void Workflow::apply(const cmd::Undo&, Out& out)
{
    if (!parcel_) {
        say(out, MessageLevel::Warning,
            "CMD:UNDO ignored: no parcel is open (a closed parcel cannot be undone); " + prompt());
        return;
    }
    if (item_ || voiding_) {
        say(out, MessageLevel::Warning,
            "CMD:UNDO ignored: finish the current item (CMD:CONFIRM) or drop it (CMD:CANCEL) first; " +
                prompt());
        return;
    }
    if (parcel_->done.empty()) {
        say(out, MessageLevel::Warning,
            "CMD:UNDO ignored: no item of this parcel is confirmed yet; " + prompt());
        return;
    }
    const auto& last = parcel_->done.back();
    voiding_ = last.inspectionId;
    out.emplace_back(VoidInspection{last.inspectionId, last.lpn, settings_.operatorId, services_.now()});
}

void Workflow::onVoid(const VoidResult& result, Out& out)
{
    if (!voiding_ || *voiding_ != result.inspectionId || !parcel_ || parcel_->done.empty()) {
        return;
    }
    voiding_.reset();
    if (!result.ok) {
        say(out, MessageLevel::Error,
            "CMD:UNDO failed, the item stays confirmed: " + result.error + "; " + prompt());
        return;
    }
    auto last = std::move(parcel_->done.back());
    parcel_->done.pop_back();
    if (last.lineIndex) {
        --parcel_->inspected[*last.lineIndex];
    }
    --parcel_->confirmed;
    if (lastLabel_ && lastLabel_->inspectionId == last.inspectionId) {
        lastLabel_.reset();
        if (!parcel_->done.empty()) {
            lastLabel_ = parcel_->done.back().label;
        }
    }
    say(out, MessageLevel::Warning,
        "undone: " + last.lpn + " is void (remove its label); the item is inspected again");
    beginItem(last.lineIndex, parseItemCode(last.code), last.serial, std::move(last.identityFindings), out);
}

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
        const auto it = std::find_if(done.begin(), done.end(), [&](const auto& d) { return d.lpn == lpn; });
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

// ---- weighing ----

void Workflow::onWeight(const WeightInput& weight, Out& out)
{
    if (state_ == State::Committing) {
        deferred_.emplace_back(weight);
        return;
    }
    if (state_ != State::AwaitWeight || !weight.stable || weight.grams <= 0) {
        return;
    }
    recordWeight(weight.grams, out);
}

void Workflow::recordWeight(std::optional<double> measured, Out& out)
{
    WeightCheck& check = item_->inspection.weight;
    check.measuredG = measured;
    if (measured && check.expectedG) {
        check.toleranceG = settings_.weight.allowedFor(*check.expectedG);
        const bool mismatch = settings_.weight.mismatch(*measured, *check.expectedG);
        check.result = mismatch ? "mismatch" : "ok";
    } else {
        check.toleranceG = check.expectedG ? settings_.weight.allowedFor(*check.expectedG) : 0;
        check.result = "not_checked";
    }
    startPhotos(out);
    if (check.result == "mismatch") {
        item_->inspection.findings.push_back("weight_mismatch");
        state_ = State::AwaitAccept;
        say(out, MessageLevel::Warning,
            "weight mismatch: measured " + grams(*measured) + ", expected " + grams(*check.expectedG) +
                " ± " + grams(check.toleranceG) + " (empty box or swapped item?); " + prompt());
        return;
    }
    state_ = State::AwaitGrade;
    if (!measured) {
        say(out, MessageLevel::Warning, "weight not checked; " + prompt());
    } else if (check.result == "ok") {
        say(out, MessageLevel::Info, "weight ok (" + grams(*measured) + "); " + prompt());
    } else {
        say(out, MessageLevel::Info, "weighed " + grams(*measured) + " (no expected weight); " + prompt());
    }
}

// ---- photos ----

void Workflow::startPhotos(Out& out)
{
    if (!settings_.hasCamera) {
        item_->inspection.photoMissingReason = "camera offline";
        return;
    }
    for (const auto& view : settings_.photos.viewsFor(item_->inspection.item.category)) {
        if (item_->pendingViews.insert(view).second) {
            out.emplace_back(CapturePhoto{item_->inspection.inspectionId, view});
        }
    }
}

void Workflow::onPhoto(const PhotoResult& photo, Out& out)
{
    if (!item_ || photo.inspectionId != item_->inspection.inspectionId ||
        !item_->pendingViews.erase(photo.view)) {
        return; // a late answer for an item that was dropped or already failed
    }
    if (photo.photo) {
        item_->inspection.photos.push_back(*photo.photo);
        if (!photo.photo->retakeReason.empty()) {
            // Kept (stored with its scores and reason), never silently accepted: the operator sees it.
            say(out, MessageLevel::Warning,
                "photo \"" + photo.view + "\" flagged for retake: " + photo.photo->retakeReason);
        }
    } else {
        if (!item_->inspection.photoMissingReason) {
            item_->inspection.photoMissingReason = photo.failure.empty() ? "camera offline" : photo.failure;
        }
        say(out, MessageLevel::Warning, "photo \"" + photo.view + "\" missing: " + photo.failure);
    }
    if (item_->pendingViews.empty() && item_->confirmRequested && state_ == State::Committing) {
        commit(out);
    }
}

// ---- grading and confirmation ----

void Workflow::grade(int function, char cosmetic, Out& out)
{
    Inspection& inspection = item_->inspection;
    inspection.grade = GradeResult{function, cosmetic, rules_->grades.grade(function, cosmetic)};
    inspection.gradeOverride.reset();
    state_ = State::Graded;
    decide(out);
}

// The disposition from the current grade (the table's or the override) and findings (weight,
// identity and checklist findings), and the trade-in value at that grade.
void Workflow::decide(Out& out)
{
    Inspection& inspection = item_->inspection;
    const char grade = inspection.grade.grade;
    RuleFacts facts;
    facts.grade = grade;
    facts.function = inspection.grade.function;
    facts.cosmetic = inspection.grade.cosmetic;
    facts.category = inspection.item.category;
    facts.channel = inspection.channel;
    facts.reason = item_->reason;
    facts.value = item_->value;
    facts.findings = inspection.findings;
    inspection.disposition = rules_->decide(facts);
    inspection.gradeTerms =
        rules_->gradeTerms.terms(grade, inspection.grade.function, inspection.grade.cosmetic,
                                 toString(inspection.disposition.disposition));
    inspection.tradeIn.reset();
    if (inspection.channel == "tradein") {
        TradeIn tradeIn;
        tradeIn.provisionalValue = parcel_->rma && parcel_->rma->tradeInValue ? *parcel_->rma->tradeInValue
                                                                              : item_->value.value_or(0.0);
        tradeIn.factor = rules_->grades.tradeInFactor(grade);
        tradeIn.value = std::round(tradeIn.provisionalValue * tradeIn.factor * 100.0) / 100.0;
        inspection.tradeIn = tradeIn;
    }
    char tradeText[64] = "";
    if (inspection.tradeIn) {
        std::snprintf(tradeText, sizeof tradeText, ", trade-in value %.2f", inspection.tradeIn->value);
    }
    const std::string overrideText = inspection.gradeOverride
                                         ? " overridden from " +
                                               std::string(1, inspection.gradeOverride->tableGrade) + " (" +
                                               inspection.gradeOverride->reason + ")"
                                         : std::string{};
    say(out, MessageLevel::Info,
        "grade " + std::string(1, grade) + overrideText + " (function " +
            std::to_string(inspection.grade.function) + ", cosmetic " +
            std::string(1, inspection.grade.cosmetic) + ") → " +
            std::string(toString(inspection.disposition.disposition)) + " at " +
            inspection.disposition.location + " (rule " + inspection.disposition.rule + ")" + tradeText +
            "; " + prompt());
}

std::vector<const ChecklistQuestion*> Workflow::unansweredRequired() const
{
    std::vector<const ChecklistQuestion*> out;
    if (!item_) {
        return out;
    }
    for (const auto* question : rules_->checklists.forCategory(item_->inspection.item.category)) {
        const auto& answers = item_->inspection.checklist;
        if (question->required && std::none_of(answers.begin(), answers.end(), [&](const ChecklistAnswer& a) {
                return a.id == question->id;
            })) {
            out.push_back(question);
        }
    }
    return out;
}

void Workflow::confirm(Out& out)
{
    if (const auto missing = unansweredRequired(); !missing.empty()) {
        std::string list;
        for (const auto* question : missing) {
            list +=
                (list.empty() ? "" : "; ") + question->text + " (CMD:CHECK:" + question->id + ":YES|NO|NA)";
        }
        say(out, MessageLevel::Warning, "not saved: answer the checklist first: " + list);
        return;
    }
    item_->confirmRequested = true;
    state_ = State::Committing;
    if (!item_->pendingViews.empty()) {
        say(out, MessageLevel::Info,
            "waiting for " + std::to_string(item_->pendingViews.size()) + " photo(s) before saving");
        return;
    }
    commit(out);
}

void Workflow::commit(Out& out)
{
    Inspection& inspection = item_->inspection;
    inspection.lpn = makeLpn(settings_.stationId, ++lpnSeq_);
    inspection.confirmedAt = services_.now();
    LabelContent content;
    content.lpn = inspection.lpn;
    content.disposition = std::string(toString(inspection.disposition.disposition));
    content.location = inspection.disposition.location;
    content.rmaId = inspection.rmaId.value_or("");
    content.grade = inspection.grade.grade;
    content.sku = inspection.item.sku;
    content.description = inspection.item.description;
    content.stationId = settings_.stationId;
    content.date = inspection.confirmedAt.substr(0, 10);
    item_->label =
        LabelRecord{services_.newId(), inspection.inspectionId, inspection.lpn, buildRestockLabel(content)};
    out.emplace_back(CommitInspection{inspection, *item_->label});
}

void Workflow::onCommit(const CommitResult& result, Out& out)
{
    if (state_ != State::Committing || !item_ || result.inspectionId != item_->inspection.inspectionId) {
        return;
    }
    if (!result.ok) {
        item_->confirmRequested = false;
        state_ = State::Graded;
        say(out, MessageLevel::Error, "could not save " + itemName() + ": " + result.error + "; " + prompt());
        replayDeferred(out);
        return;
    }
    const Inspection& inspection = item_->inspection;
    out.emplace_back(PrintLabel{*item_->label});
    lastLabel_ = item_->label;
    parcel_->done.push_back(OpenParcelState::Confirmed{inspection.inspectionId, inspection.lpn,
                                                       item_->lineIndex, item_->code, inspection.item.serial,
                                                       item_->identityFindings, *item_->label});
    say(out, MessageLevel::Info,
        "saved " + itemName() + ": " + inspection.lpn + " → " +
            std::string(toString(inspection.disposition.disposition)) + " at " +
            inspection.disposition.location);
    if (item_->lineIndex) {
        ++parcel_->inspected[*item_->lineIndex];
    }
    ++parcel_->confirmed;
    item_.reset();
    state_ = State::ParcelOpen;
    say(out, MessageLevel::Info, prompt());
    replayDeferred(out);
}

void Workflow::replayDeferred(Out& out)
{
    while (!deferred_.empty() && state_ != State::Committing) {
        WorkflowEvent event = std::move(deferred_.front());
        deferred_.pop_front();
        auto more = handle(event);
        out.insert(out.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
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

void Workflow::onAvailability(const DeviceAvailability& availability, Out& out)
{
    if (availability.device == DeviceAvailability::Device::Camera) {
        settings_.hasCamera = availability.available;
        return;
    }
    settings_.hasScale = availability.available;
    if (!availability.available && state_ == State::AwaitWeight) {
        say(out, MessageLevel::Warning, "scale offline: scan CMD:SKIP to continue without weighing");
    }
}

} // namespace retour::station
