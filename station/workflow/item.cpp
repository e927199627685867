// One item: weighing, photos, grading, the disposition and its confirmation.
#include "devices/label.h"
#include "workflow/workflow.h"

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
    parcel_->done.push_back(OpenParcelState::Confirmed{inspection, item_->lineIndex, item_->code,
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
} // namespace retour::station
