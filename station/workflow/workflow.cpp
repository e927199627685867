// The workflow's events in, effects out, and the scans it receives; the operator's commands are in
// operator_actions.cpp, the parcel in parcel.cpp, the item in item.cpp.
#include "workflow/workflow.h"

#include "workflow/gtin.h"

#include <algorithm>

namespace retour::station {

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
    if (const auto* failed = std::get_if<StoreFailed>(&event)) {
        onStoreFailed(*failed, out);
        checkpoints_.clear();
        return out;
    }
    checkpoints_.clear();
    step(event, out);
    return out;
}

void Workflow::step(const WorkflowEvent& event, Out& out)
{
    checkpoints_.push_back(checkpoint(out.size()));
    std::visit(Overloaded{[&](const ScanInput& e) { onScan(e, out); },
                          [&](const WeightInput& e) { onWeight(e, out); },
                          [&](const PhotoResult& e) { onPhoto(e, out); },
                          [&](const CommitResult& e) { onCommit(e, out); },
                          [&](const VoidResult& e) { onVoid(e, out); },
                          [&](const DeviceAvailability& e) { onAvailability(e, out); },
                          [&](const StoreFailed& e) { onStoreFailed(e, out); }},
               event);
}

Workflow::Checkpoint Workflow::checkpoint(std::size_t firstEffect) const
{
    return Checkpoint{firstEffect, settings_.operatorId, signedIn_, state_,   parcel_,
                      item_,       lastLabel_,           deferred_, voiding_, lpnSeq_};
}

void Workflow::restore(Checkpoint checkpoint)
{
    settings_.operatorId = std::move(checkpoint.operatorId);
    signedIn_ = checkpoint.signedIn;
    state_ = checkpoint.state;
    parcel_ = std::move(checkpoint.parcel);
    item_ = std::move(checkpoint.item);
    lastLabel_ = std::move(checkpoint.lastLabel);
    deferred_ = std::move(checkpoint.deferred);
    voiding_ = std::move(checkpoint.voiding);
    lpnSeq_ = checkpoint.lpnSeq;
}

void Workflow::onStoreFailed(const StoreFailed& failed, Out& out)
{
    // The last event that started at or before the failed effect asked for it.
    const auto asked = std::find_if(checkpoints_.rbegin(), checkpoints_.rend(),
                                    [&](const Checkpoint& c) { return c.firstEffect <= failed.effect; });
    if (asked != checkpoints_.rend()) {
        restore(std::move(*asked));
    }
    const std::size_t dropped = deferred_.size();
    deferred_.clear();
    say(out, MessageLevel::Error,
        failed.error + "; nothing of it was kept" +
            (dropped > 0 ? ", and the " + std::to_string(dropped) + " scan(s) made meanwhile were dropped"
                         : "") +
            ": " + prompt());
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

void Workflow::replayDeferred(Out& out)
{
    while (!deferred_.empty() && state_ != State::Committing) {
        WorkflowEvent event = std::move(deferred_.front());
        deferred_.pop_front();
        step(event, out);
    }
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
