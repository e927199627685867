// The operator's commands (workflow/operator_input.h) as the workflow applies them.
#include "workflow/gtin.h"
#include "workflow/workflow.h"

#include <algorithm>

namespace retour::station {

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
    voiding_ = last.inspection.inspectionId;
    out.emplace_back(VoidInspection{last.inspection.inspectionId, last.inspection.lpn, settings_.operatorId,
                                    services_.now()});
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
    if (lastLabel_ && lastLabel_->inspectionId == last.inspection.inspectionId) {
        lastLabel_.reset();
        if (!parcel_->done.empty()) {
            lastLabel_ = parcel_->done.back().label;
        }
    }
    say(out, MessageLevel::Warning,
        "undone: " + last.inspection.lpn + " is void (remove its label); the item is inspected again");
    beginItem(last.lineIndex, parseItemCode(last.code), last.inspection.item.serial,
              std::move(last.identityFindings), out);
}
} // namespace retour::station
