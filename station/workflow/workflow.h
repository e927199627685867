#pragma once

#include "config/config.h"
#include "config/operators.h"
#include "rules/rules.h"
#include "workflow/effects.h"
#include "workflow/events.h"
#include "workflow/identify.h"
#include "workflow/operator_input.h"
#include "workflow/records.h"
#include "workflow/rma.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace retour::station {

// ---- The workflow ----

struct WorkflowSettings
{
    std::string stationId;
    std::string operatorId;
    WeightTolerance weight;
    PhotoConfig photos;
    bool hasScale = true;  // a scale is configured (availability events change it)
    bool hasCamera = true; // a camera is configured
    // The site's operators ([station] operators): CMD:SIGNIN resolves a badge or PIN to an operator
    // id, and refuses anything else. Null: the credential itself is the operator id (small sites).
    std::shared_ptr<const OperatorDirectory> operators;
    SignInGuard::Settings signInGuard;
};

// Where ids and times come from (UUIDv7 and RFC 3339 in the station; fixed values in tests).
struct WorkflowServices
{
    std::function<std::string()> newId;
    std::function<std::string()> now;
    // The item an LPN of this bench belongs to (Store::findLpn); unset: only the open parcel's LPNs
    // are known.
    std::function<std::optional<LpnInfo>(const std::string&)> findLpn = {};
    // The clock of the sign-in lockout; unset: std::chrono::steady_clock.
    std::function<std::chrono::steady_clock::time_point()> clock = {};
};

// The inspection workflow of one bench (docs/architecture.md "How data flows through a station"):
// events in (events.h), effects out (effects.h), no I/O. Operator actions arrive as command strings
// in a ScanInput, whether from a command barcode, the operator UI or the keyboard: the grammar (CMD:GRADE, CMD:CHECK,
// CMD:OVERRIDE, CMD:SKIPPHOTO, CMD:CONFIRM, CMD:NEXT, CMD:UNDO, CMD:REPRINT, CMD:CANCEL,
// CMD:CLOSE, CMD:SIGNIN, CMD:SIGNOUT, CMD:ACCEPT, CMD:SKIP) is in workflow/operator_input.h, parsed by
// parseOperatorInput. Anything else scanned is an identifier (parcel, item, serial).
//
// Thread contract: thread-bound (the station loop).
class Workflow
{
public:
    enum class State
    {
        Idle,       // no parcel: scan a label, tracking, order or item
        ParcelOpen, // scan the next item or CMD:CLOSE
        AwaitWeight,
        AwaitAccept, // weight mismatch: CMD:ACCEPT
        AwaitGrade,
        Graded,     // CMD:CONFIRM (or grade again)
        Committing, // waiting for photos and the store
    };

    // The open parcel: its return, the items found per line and the items confirmed.
    struct OpenParcelState
    {
        Parcel parcel;
        std::optional<Rma> rma;
        std::vector<int> inspected; // per RMA line
        int confirmed = 0;
        // The items confirmed in this parcel, oldest first: what CMD:UNDO takes back.
        struct Confirmed
        {
            Inspection inspection;
            std::optional<std::size_t> lineIndex;
            std::string code;
            std::vector<std::string> identityFindings;
            LabelRecord label;
        };
        std::vector<Confirmed> done;
    };

    Workflow(WorkflowSettings settings, std::shared_ptr<const RuleSet> rules, const RmaDirectory& directory,
             WorkflowServices services, std::int64_t lastLpnSeq);

    std::vector<Effect> handle(const WorkflowEvent& event);

    State state() const { return state_; }
    bool idle() const { return state_ == State::Idle; }
    // What the operator should do now, in one sentence.
    std::string prompt() const;
    std::int64_t lastLpnSeq() const { return lpnSeq_; }
    // The operator signed in (CMD:SIGNIN, or a badge of the operators file scanned), else the
    // configured operator.
    const std::string& operatorId() const { return settings_.operatorId; }
    bool signedIn() const { return signedIn_; }
    // The open parcel (null while idle).
    const OpenParcelState* openParcel() const { return parcel_ ? &*parcel_ : nullptr; }
    // The item being inspected (null between items): its inspection so far — grade and override,
    // checklist answers, findings, disposition, skipped photos.
    const Inspection* currentInspection() const { return item_ ? &item_->inspection : nullptr; }
    // The current item's checklist questions (empty between items) and the required ones unanswered.
    std::vector<const ChecklistQuestion*> checklist() const
    {
        return item_ ? rules_->checklists.forCategory(item_->inspection.item.category)
                     : std::vector<const ChecklistQuestion*>{};
    }
    std::vector<const ChecklistQuestion*> unansweredRequired() const;
    const RuleSet& rules() const { return *rules_; }
    void setRules(std::shared_ptr<const RuleSet> rules) { rules_ = std::move(rules); }

private:
    struct ItemState
    {
        Inspection inspection;
        std::optional<std::size_t> lineIndex;
        std::optional<double> value;
        std::string reason;
        std::set<std::string> pendingViews;
        bool confirmRequested = false;
        std::optional<LabelRecord> label;          // built at commit, printed once committed
        std::string code;                          // the scan that identified it (CMD:UNDO re-opens it)
        std::vector<std::string> identityFindings; // wrong_item, extra_item, serial_mismatch
    };
    using Out = std::vector<Effect>;

    // What an event may change, saved before each one: a failed store write (StoreFailed) puts the
    // workflow back where it was before the event that asked for it. Every member an event changes
    // is here.
    struct Checkpoint
    {
        std::size_t firstEffect = 0; // the event's first effect in the answer
        std::string operatorId;
        bool signedIn = false;
        State state = State::Idle;
        std::optional<OpenParcelState> parcel;
        std::optional<ItemState> item;
        std::optional<LabelRecord> lastLabel;
        std::deque<WorkflowEvent> deferred;
        std::optional<std::string> voiding;
        std::int64_t lpnSeq = 0;
    };

    // One event, its effects appended to out (the deferred events replay through it too).
    void step(const WorkflowEvent& event, Out& out);
    Checkpoint checkpoint(std::size_t firstEffect) const;
    void restore(Checkpoint checkpoint);
    void onStoreFailed(const StoreFailed& failed, Out& out);

    void onScan(const ScanInput& scan, Out& out);
    void onCommand(const std::string& text, Out& out);
    void apply(const cmd::Accept& command, Out& out);
    void apply(const cmd::SkipWeight& command, Out& out);
    void apply(const cmd::Grade& command, Out& out);
    void apply(const cmd::Override& command, Out& out);
    void apply(const cmd::Check& command, Out& out);
    void apply(const cmd::SkipPhoto& command, Out& out);
    void apply(const cmd::Confirm& command, Out& out);
    void apply(const cmd::Next& command, Out& out);
    void apply(const cmd::Undo& command, Out& out);
    void apply(const cmd::Reprint& command, Out& out);
    void apply(const cmd::Cancel& command, Out& out);
    void apply(const cmd::Close& command, Out& out);
    void apply(const cmd::SignIn& command, Out& out);
    void apply(const cmd::SignOut& command, Out& out);
    void signIn(const std::string& operatorId, const std::string& name, std::string_view by, Out& out);
    void onWeight(const WeightInput& weight, Out& out);
    void onPhoto(const PhotoResult& photo, Out& out);
    void onCommit(const CommitResult& result, Out& out);
    void onAvailability(const DeviceAvailability& availability, Out& out);
    void onVoid(const VoidResult& result, Out& out);

    void identify(const std::string& text, Out& out);
    void itemScan(const std::string& text, Out& out);
    bool lpnScan(const std::string& text, Out& out);
    bool ssccScan(const ItemCode& code, Out& out);
    void beginItem(std::optional<std::size_t> lineIndex, const ItemCode& code, const std::string& serial,
                   std::vector<std::string> findings, Out& out);
    void recordWeight(std::optional<double> grams, Out& out);
    void startPhotos(Out& out);
    void grade(int function, char cosmetic, Out& out);
    void decide(Out& out);
    void confirm(Out& out);
    void commit(Out& out);
    void close(Out& out);
    void replayDeferred(Out& out);

    void say(Out& out, MessageLevel level, std::string text) const;
    std::string itemName() const;

    WorkflowSettings settings_;
    std::shared_ptr<const RuleSet> rules_;
    const RmaDirectory& directory_;
    WorkflowServices services_;
    std::int64_t lpnSeq_;

    std::string defaultOperator_ = settings_.operatorId;
    bool signedIn_ = false;
    SignInGuard signInGuard_{settings_.signInGuard};
    State state_ = State::Idle;
    std::optional<OpenParcelState> parcel_;
    std::optional<ItemState> item_;
    std::optional<LabelRecord> lastLabel_; // for CMD:REPRINT
    std::deque<WorkflowEvent> deferred_;   // scans and weights that arrived while Committing
    std::optional<std::string> voiding_;   // the inspection CMD:UNDO is voiding
    std::vector<Checkpoint> checkpoints_;  // of the last answer, one per event it handled
};

const char* toString(Workflow::State state);

} // namespace retour::station
