#include "web/ui_bridge.h"

#include "retour/station/command_sheet.h"
#include "retour/station/identify.h"
#include "retour/station/rules.h"
#include "retour/station/store.h"
#include "retour/station/uplink.h"
#include "retour/sync/outbox.h"

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
              settings.commands = commandSheet(parts_.workflow.rules());
              return std::move(settings);
          }(),
          hub_, std::move(submit))
{
    counters_ = {{"items", 0},
                 {"parcels", 0},
                 {"items_per_hour", 0},
                 {"grades", nlohmann::json::object()},
                 {"dispositions", nlohmann::json::object()},
                 {"flags", 0}};
}

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

void UiBridge::observe(const WorkflowEvent& event)
{
    if (const auto* weight = std::get_if<WeightInput>(&event)) {
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
        auto it = committing_.find(result->inspectionId);
        if (it != committing_.end()) {
            if (result->ok) {
                countConfirmed(it->second);
            }
            committing_.erase(it);
        }
    }
}

void UiBridge::observe(const WorkflowCommand& command)
{
    if (const auto* said = std::get_if<OperatorMessage>(&command)) {
        message(said->level, said->text);
    } else if (const auto* open = std::get_if<OpenParcel>(&command)) {
        OpenParcelView view;
        view.parcel = open->parcel;
        if (open->parcel.rmaId) {
            view.rma = identifyParcel(open->parcel.scanned, parts_.directory).rma;
        }
        parcel_ = std::move(view);
    } else if (const auto* capture = std::get_if<CapturePhoto>(&command)) {
        if (photosOf_ != capture->inspectionId) {
            photosOf_ = capture->inspectionId;
            photos_.clear();
        }
        photos_.push_back(Photo{capture->view, {}, {}, {}, true});
    } else if (const auto* commit = std::get_if<CommitInspection>(&command)) {
        committing_[commit->inspection.inspectionId] = commit->inspection;
    } else if (std::holds_alternative<CloseParcel>(command)) {
        parcel_.reset();
        counters_["parcels"] = counters_["parcels"].get<int>() + 1;
    }
}

void UiBridge::countConfirmed(const Inspection& inspection)
{
    const auto now = std::chrono::system_clock::now();
    if (!firstItemAt_) {
        firstItemAt_ = now;
    }
    const int items = counters_["items"].get<int>() + 1;
    counters_["items"] = items;
    const double hours = std::max(std::chrono::duration<double>(now - *firstItemAt_).count(), 60.0) / 3600.0;
    counters_["items_per_hour"] = std::round(items / hours);
    auto& grades = counters_["grades"][std::string(1, inspection.grade.grade)];
    grades = grades.is_number() ? grades.get<int>() + 1 : 1;
    auto& dispositions = counters_["dispositions"][toString(inspection.disposition.disposition)];
    dispositions = dispositions.is_number() ? dispositions.get<int>() + 1 : 1;
    if (!inspection.findings.empty()) {
        counters_["flags"] = counters_["flags"].get<int>() + 1;
    }
    if (!parcel_) {
        return;
    }
    nlohmann::json done = {{"lpn", inspection.lpn},
                           {"sku", inspection.item.sku},
                           {"description", inspection.item.description},
                           {"grade", std::string(1, inspection.grade.grade)},
                           {"function", inspection.grade.function},
                           {"cosmetic", std::string(1, inspection.grade.cosmetic)},
                           {"disposition", toString(inspection.disposition.disposition)},
                           {"location", inspection.disposition.location},
                           {"rule", inspection.disposition.rule},
                           {"findings", inspection.findings}};
    parcel_->done.push_back(done);
    if (inspection.lineId) {
        ++parcel_->found[*inspection.lineId];
    } else {
        parcel_->extra.push_back(done);
    }
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
        {"counters", counters_}};
    s["weight"] = weight_ ? nlohmann::json{{"grams", weight_->first}, {"stable", weight_->second}}
                          : nlohmann::json(nullptr);
    if (parcel_) {
        const Parcel& p = parcel_->parcel;
        nlohmann::json lines = nlohmann::json::array();
        if (parcel_->rma) {
            for (const auto& line : parcel_->rma->lines) {
                const auto found = parcel_->found.find(line.lineId);
                lines.push_back({{"line_id", line.lineId},
                                 {"sku", line.sku},
                                 {"gtin", line.gtin},
                                 {"description", line.description},
                                 {"category", line.category},
                                 {"expected", line.quantity},
                                 {"found", found == parcel_->found.end() ? 0 : found->second},
                                 {"expected_weight_g", optionalNumber(line.expectedWeightG)},
                                 {"reason", line.reason}});
            }
        }
        s["parcel"] = {{"parcel_id", p.parcelId},
                       {"rma_id", p.rmaId ? nlohmann::json(*p.rmaId) : nlohmann::json(nullptr)},
                       {"channel", p.channel},
                       {"identified_by", p.identifiedBy},
                       {"scanned", p.scanned},
                       {"customer", parcel_->rma ? parcel_->rma->customer : std::string{}},
                       {"lines", lines},
                       {"extra", parcel_->extra},
                       {"done", parcel_->done}};
    } else {
        s["parcel"] = nullptr;
    }
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
