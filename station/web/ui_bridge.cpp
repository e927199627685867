#include "web/ui_bridge.h"

#include "retour/link/outbox.h"
#include "rules/rules.h"
#include "store/counters.h"
#include "store/store.h"
#include "uplink/uplink.h"
#include "web/barcode_sheet.h"

#include <algorithm>
#include <spdlog/spdlog.h>

namespace retour::station::web {

namespace {

// Device, printer and outbox changes are not workflow events: the snapshot is rebuilt this often
// so the screen shows them within the 100 ms.
constexpr std::chrono::milliseconds kRefresh{100};
constexpr std::size_t kMessages = 12;

const char* levelName(MessageLevel level)
{
    switch (level) {
    case MessageLevel::Info:
        return "info";
    case MessageLevel::Warning:
        return "warning";
    case MessageLevel::Error:
        return "error";
    }
    return "info";
}

bool itemState(Workflow::State state)
{
    return state != Workflow::State::Idle && state != Workflow::State::ParcelOpen;
}

nlohmann::json optionalNumber(const std::optional<double>& value)
{
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

} // namespace

UiBridge::UiBridge(EventLoop& loop, Parts parts, WebSettings settings, WebServer::Submit submit)
    : loop_(loop), parts_(std::move(parts)),
      server_(
          [&] {
              // The rules are fixed for the station's life.
              settings.commands = barcodeSheet(parts_.workflow.rules());
              return std::move(settings);
          }(),
          hub_, std::move(submit))
{}

UiBridge::~UiBridge()
{
    stop();
}

Result<void> UiBridge::start()
{
    publish();
    if (auto ok = server_.start(); !ok) {
        return ok;
    }
    started_ = true;
    spdlog::info("ui: operator UI at {}", server_.url());
    loop_.after(kRefresh, [this] { refresh(); });
    return {};
}

void UiBridge::refresh()
{
    // Re-armed each time: the loop's timers are one-shot.
    if (!started_) {
        return;
    }
    publish();
    loop_.after(kRefresh, [this] { refresh(); });
}

void UiBridge::stop()
{
    started_ = false;
    server_.stop();
}

void UiBridge::message(MessageLevel level, const std::string& text)
{
    messages_.push_front({{"id", ++messageSeq_}, {"level", levelName(level)}, {"text", text}});
    while (messages_.size() > kMessages) {
        messages_.pop_back();
    }
}

void UiBridge::startAction(const std::string& text)
{
    LastAction action;
    action.id = ++actionSeq_;
    action.state = "pending";
    if (text.starts_with("CMD:")) {
        const auto end = text.find(':', 4);
        action.command = text.substr(4, end == std::string::npos ? std::string::npos : end - 4);
    } else {
        action.command = "SCAN";
    }
    lastAction_ = std::move(action);
}

// The workflow's first message after an action is its answer: an "ignored" warning refuses it, an
// error fails it; actions that finish later (the store, the printer) stay pending until then.
void UiBridge::answerAction(MessageLevel level, const std::string& text)
{
    if (!lastAction_ || lastAction_->answered) {
        return;
    }
    LastAction& action = *lastAction_;
    action.answered = true;
    action.text = text;
    if (level == MessageLevel::Error) {
        action.state = "failed";
    } else if (level == MessageLevel::Warning && text.find(" ignored") != std::string::npos) {
        action.state = "refused";
    } else if (action.command != "UNDO" && action.command != "REPRINT" && action.command != "CONFIRM") {
        action.state = "done";
    }
}

void UiBridge::observe(const WorkflowEvent& event)
{
    if (const auto* scan = std::get_if<ScanInput>(&event)) {
        startAction(scan->text);
    } else if (const auto* weight = std::get_if<WeightInput>(&event)) {
        weight_ = std::pair{weight->grams, weight->stable};
    } else if (const auto* photo = std::get_if<PhotoResult>(&event)) {
        if (photo->inspectionId == photosOf_) {
            for (auto& p : photos_) {
                if (p.view == photo->view && p.pending) {
                    p.pending = false;
                    if (photo->photo) {
                        p.sha256 = photo->photo->sha256;
                        p.retakeReason = photo->photo->retakeReason;
                    } else {
                        p.failure = photo->failure.empty() ? "camera offline" : photo->failure;
                    }
                }
            }
        }
    } else if (const auto* result = std::get_if<CommitResult>(&event)) {
        // Seen before the workflow takes the answer: the item is still the one being saved.
        const Inspection* saved = parts_.workflow.currentInspection();
        if (saved != nullptr && saved->inspectionId == result->inspectionId && lastAction_ &&
            lastAction_->command == "CONFIRM" && lastAction_->state == "pending") {
            lastAction_->state = result->ok ? "done" : "failed";
            lastAction_->answered = true;
            lastAction_->lpn = saved->lpn;
            lastAction_->text = result->ok ? "confirmed " + saved->lpn + " → " +
                                                 std::string(toString(saved->disposition.disposition)) +
                                                 " at " + saved->disposition.location
                                           : "not saved: " + result->error;
        }
    } else if (const auto* voided = std::get_if<VoidResult>(&event)) {
        if (lastAction_ && lastAction_->command == "UNDO" && lastAction_->state == "pending") {
            lastAction_->state = voided->ok ? "done" : "failed";
            lastAction_->answered = true;
            lastAction_->text = voided->ok ? "undo done: " + lastAction_->lpn +
                                                 " is void — remove its label; the item is inspected again"
                                           : "undo failed, the item stays confirmed: " + voided->error;
        }
    }
}

void UiBridge::observe(const Effect& command)
{
    if (const auto* said = std::get_if<OperatorMessage>(&command)) {
        message(said->level, said->text);
        answerAction(said->level, said->text);
    } else if (const auto* voiding = std::get_if<VoidInspection>(&command)) {
        if (lastAction_ && lastAction_->command == "UNDO") {
            lastAction_->answered = true;
            lastAction_->lpn = voiding->lpn;
            lastAction_->text = "voiding " + voiding->lpn + "…";
        }
    } else if (const auto* reprint = std::get_if<ReprintLabel>(&command)) {
        if (lastAction_ && lastAction_->command == "REPRINT") {
            lastAction_->lpn = reprint->label.lpn;
            lastAction_->jobId = reprint->label.jobId;
        }
    } else if (const auto* print = std::get_if<PrintLabel>(&command)) {
        if (lastAction_ && lastAction_->command == "CONFIRM") {
            lastAction_->jobId = print->label.jobId;
        }
    } else if (const auto* capture = std::get_if<CapturePhoto>(&command)) {
        if (photosOf_ != capture->inspectionId) {
            photosOf_ = capture->inspectionId;
            photos_.clear();
        }
        photos_.push_back(Photo{capture->view, {}, {}, {}, true});
    }
}

nlohmann::json UiBridge::parcelView(const Workflow::OpenParcelState& open) const
{
    nlohmann::json done = nlohmann::json::array();
    nlohmann::json extra = nlohmann::json::array();
    for (const auto& confirmed : open.done) {
        const Inspection& inspection = confirmed.inspection;
        nlohmann::json item = {
            {"inspection_id", inspection.inspectionId},
            {"line_id", inspection.lineId ? nlohmann::json(*inspection.lineId) : nlohmann::json(nullptr)},
            {"lpn", inspection.lpn},
            {"sku", inspection.item.sku},
            {"description", inspection.item.description},
            {"grade", std::string(1, inspection.grade.grade)},
            {"function", inspection.grade.function},
            {"cosmetic", std::string(1, inspection.grade.cosmetic)},
            {"disposition", toString(inspection.disposition.disposition)},
            {"location", inspection.disposition.location},
            {"rule", inspection.disposition.rule},
            {"findings", inspection.findings}};
        if (!inspection.lineId) {
            extra.push_back(item);
        }
        done.push_back(std::move(item));
    }
    nlohmann::json lines = nlohmann::json::array();
    if (open.rma) {
        for (std::size_t i = 0; i < open.rma->lines.size(); ++i) {
            const auto& line = open.rma->lines[i];
            lines.push_back({{"line_id", line.lineId},
                             {"sku", line.sku},
                             {"gtin", line.gtin},
                             {"description", line.description},
                             {"category", line.category},
                             {"expected", line.quantity},
                             {"found", i < open.inspected.size() ? open.inspected[i] : 0},
                             {"expected_weight_g", optionalNumber(line.expectedWeightG)},
                             {"reason", line.reason}});
        }
    }
    const Parcel& p = open.parcel;
    return {{"parcel_id", p.parcelId},
            {"rma_id", p.rmaId ? nlohmann::json(*p.rmaId) : nlohmann::json(nullptr)},
            {"channel", p.channel},
            {"identified_by", p.identifiedBy},
            {"scanned", p.scanned},
            {"customer", open.rma ? open.rma->customer : std::string{}},
            {"lines", lines},
            {"extra", extra},
            {"done", done}};
}

nlohmann::json UiBridge::lastActionView(const nlohmann::json& labels) const
{
    if (!lastAction_) {
        return nullptr;
    }
    LastAction action = *lastAction_;
    // A queued label's fate, from the printer's status: printed (when), held (printer not ready) or
    // printing; a reprint is done once its copy is out.
    nlohmann::json label = nullptr;
    if (!action.jobId.empty() && labels.is_object()) {
        for (const auto& printed : labels.value("printed", nlohmann::json::array())) {
            if (printed.value("job_id", "") == action.jobId) {
                label = {{"state", "printed"}, {"at", printed.value("at", "")}};
            }
        }
        if (label.is_null()) {
            const bool ready = labels.value("state", "") == "ready";
            label = {{"state", ready ? "printing" : "held"}, {"at", nullptr}};
        }
        if (action.command == "REPRINT" && action.state == "pending") {
            if (label["state"] == "printed") {
                action.state = "done";
                action.text = "reprint done: " + action.lpn + " printed";
            } else if (label["state"] == "held") {
                action.text =
                    "reprint of " + action.lpn + " held: the printer is not ready; it prints when it is back";
            }
        }
    }
    return {{"id", action.id},     {"command", action.command}, {"state", action.state},
            {"text", action.text}, {"lpn", action.lpn},         {"label", label}};
}

nlohmann::json UiBridge::countersView() const
{
    nlohmann::json all = counters_ ? counters_() : nlohmann::json(nullptr);
    if (!all.is_object()) {
        return nullptr;
    }
    // The signed-in (or configured) operator's own counts next to the bench's.
    const std::string& op = parts_.workflow.operatorId();
    nlohmann::json mine = all["operators"].contains(op) ? all["operators"][op] : toJson(Counts{});
    mine["id"] = op;
    return {{"since", all["since"]}, {"bench", all["bench"]}, {"operator", std::move(mine)}};
}

nlohmann::json UiBridge::syncStatus() const
{
    nlohmann::json sync = {{"configured", false}};
    const Uplink* uplink = parts_.uplink ? parts_.uplink() : nullptr;
    if (uplink != nullptr) {
        sync["configured"] = true;
        sync["connected"] = uplink->connected();
        sync["central_online"] = uplink->centralOnline();
    }
    const auto capacity = static_cast<std::int64_t>(parts_.store.outbox().capacity());
    sync["capacity"] = capacity;
    if (auto stats = parts_.store.outbox().stats()) {
        sync["pending"] = stats->pending;
        sync["in_flight"] = stats->inFlight;
        // The same threshold as the uplink's alarm and `retour-station outbox`: 90 % of capacity.
        sync["alarm"] = stats->pending * 10 >= capacity * 9;
    } else {
        sync["error"] = stats.error().message;
        sync["alarm"] = true;
    }
    return sync;
}

nlohmann::json UiBridge::itemView(const Inspection& inspection, Workflow::State state) const
{
    const ItemInfo& info = inspection.item;
    nlohmann::json item = {
        {"inspection_id", inspection.inspectionId},
        {"name", !info.description.empty() ? info.description
                 : !info.sku.empty()       ? info.sku
                                           : info.gtin},
        {"code", !info.gtin.empty() ? info.gtin : info.sku},
        {"sku", info.sku},
        {"gtin", info.gtin},
        {"serial", info.serial},
        {"category", info.category},
        {"line_id", inspection.lineId ? nlohmann::json(*inspection.lineId) : nlohmann::json(nullptr)},
        {"measured_g", optionalNumber(inspection.weight.measuredG)},
        {"expected_g", optionalNumber(inspection.weight.expectedG)},
        {"weight_result", inspection.weight.result},
        {"findings", inspection.findings}};

    nlohmann::json photos = nlohmann::json::array();
    if (photosOf_ == inspection.inspectionId) {
        for (const auto& photo : photos_) {
            photos.push_back({{"view", photo.view},
                              {"sha256", photo.sha256},
                              {"pending", photo.pending},
                              {"retake_reason", photo.retakeReason},
                              {"failure", photo.failure}});
        }
    }
    item["photos"] = photos;
    nlohmann::json skipped = nlohmann::json::array();
    for (const auto& skip : inspection.skippedPhotos) {
        skipped.push_back({{"view", skip.view}, {"reason", skip.reason}});
    }
    item["skipped_photos"] = skipped;

    nlohmann::json checklist = nlohmann::json::array();
    for (const auto* question : parts_.workflow.checklist()) {
        const auto answer = std::find_if(inspection.checklist.begin(), inspection.checklist.end(),
                                         [&](const ChecklistAnswer& a) { return a.id == question->id; });
        const bool answered = answer != inspection.checklist.end();
        checklist.push_back({{"id", question->id},
                             {"text", question->text},
                             {"required", question->required},
                             {"answer", answered ? nlohmann::json(answer->answer) : nlohmann::json(nullptr)},
                             {"finding", answered ? answer->finding : std::string{}}});
    }
    item["checklist"] = checklist;
    nlohmann::json unanswered = nlohmann::json::array();
    for (const auto* question : parts_.workflow.unansweredRequired()) {
        unanswered.push_back(question->id);
    }
    item["unanswered_required"] = unanswered;

    // A grade exists once the operator graded (Graded) and while the graded item is saved.
    const bool graded = state == Workflow::State::Graded || state == Workflow::State::Committing;
    if (graded) {
        item["grade"] = {{"function", inspection.grade.function},
                         {"cosmetic", std::string(1, inspection.grade.cosmetic)},
                         {"grade", std::string(1, inspection.grade.grade)}};
        item["override"] =
            inspection.gradeOverride
                ? nlohmann::json{{"grade", std::string(1, inspection.grade.grade)},
                                 {"table_grade", std::string(1, inspection.gradeOverride->tableGrade)},
                                 {"reason", inspection.gradeOverride->reason}}
                : nlohmann::json(nullptr);
        item["disposition"] = {{"disposition", toString(inspection.disposition.disposition)},
                               {"location", inspection.disposition.location},
                               {"rule", inspection.disposition.rule}};
        item["trade_in_value"] =
            inspection.tradeIn ? nlohmann::json(inspection.tradeIn->value) : nlohmann::json(nullptr);
    } else {
        item["grade"] = nullptr;
        item["override"] = nullptr;
        item["disposition"] = nullptr;
        item["trade_in_value"] = nullptr;
    }
    return item;
}

nlohmann::json UiBridge::snapshot() const
{
    const auto state = parts_.workflow.state();
    nlohmann::json s = {
        {"station", {{"id", parts_.stationId}, {"site", parts_.site}}},
        {"operator", {{"id", parts_.workflow.operatorId()}, {"signed_in", parts_.workflow.signedIn()}}},
        {"reasons",
         {{"override", parts_.workflow.rules().checklists.overrideReasons},
          {"skip_photo", parts_.workflow.rules().checklists.skipPhotoReasons}}},
        {"state", toString(state)},
        {"prompt", parts_.workflow.prompt()},
        {"counters", countersView()}};
    const nlohmann::json labels = labels_ ? labels_() : nlohmann::json(nullptr);
    s["labels"] = labels;
    s["last_action"] = lastActionView(labels);
    s["weight"] = weight_ ? nlohmann::json{{"grams", weight_->first}, {"stable", weight_->second}}
                          : nlohmann::json(nullptr);
    const auto* open = parts_.workflow.openParcel();
    s["parcel"] = open != nullptr ? parcelView(*open) : nlohmann::json(nullptr);
    const Inspection* inspection = parts_.workflow.currentInspection();
    s["item"] = inspection && itemState(state) ? itemView(*inspection, state) : nlohmann::json(nullptr);
    s["devices"] = parts_.devices ? parts_.devices() : nlohmann::json::object();
    s["sync"] = syncStatus();
    nlohmann::json alarms = nlohmann::json::array();
    for (const auto& [name, status] : s["devices"].items()) {
        if (status.is_string() && status.get<std::string>() != "online") {
            alarms.push_back(
                {{"kind", "device"}, {"device", name}, {"text", name + " " + status.get<std::string>()}});
        }
    }
    const auto& sync = s["sync"];
    if (sync["configured"].get<bool>() && !sync["connected"].get<bool>()) {
        alarms.push_back(
            {{"kind", "broker"}, {"text", "broker unreachable: events are kept and sent later"}});
    } else if (sync["configured"].get<bool>() && !sync["central_online"].get<bool>()) {
        alarms.push_back(
            {{"kind", "central"}, {"text", "central offline: events wait for its acknowledgement"}});
    }
    if (sync.value("alarm", false)) {
        alarms.push_back({{"kind", "outbox"},
                          {"text", "outbox at " + std::to_string(sync.value("pending", 0)) + " of " +
                                       std::to_string(sync.value("capacity", 0)) + " events"}});
    }
    s["alarms"] = alarms;
    s["messages"] = nlohmann::json(messages_);
    return s;
}

void UiBridge::publish()
{
    // The version is the hub's; the snapshot carries no clock, so an unchanged bench publishes
    // nothing.
    hub_.publish(snapshot().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

} // namespace retour::station::web
