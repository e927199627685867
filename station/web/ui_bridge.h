#pragma once

#include "app/event_loop.h"
#include "web/snapshot_hub.h"
#include "web/ui_config.h"
#include "web/web_server.h"
#include "workflow/rma.h"
#include "workflow/workflow.h"

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace retour::station {
class Store;
class Uplink;
} // namespace retour::station

namespace retour::station::web {

// What the operator UI shows, built on the loop from the workflow's accessors (state, prompt, the
// open parcel with its return's lines found and expected and its confirmed items, the current
// item's inspection, checklist and unanswered required questions, the operator, the reason codes
// in force), from what passes through the station and the workflow does not keep (live weight,
// photos as the camera reports them, operator messages, the last action and its result), from the
// status of the devices, of the label printer and its held jobs and of sync, and from the counters
// of the bench and of the signed-in operator; published as one immutable JSON snapshot to the HTTP
// threads (SnapshotHub) after every dispatch and every 100 ms (device, printer and outbox changes
// that are not workflow events), only when it changed.
//
// Thread contract: thread-bound to the station loop, except that the WebServer it owns runs its
// own threads (see WebServer).
class UiBridge
{
public:
    struct Parts
    {
        std::string site;
        std::string stationId;
        std::string operatorId;
        const Workflow& workflow;
        Store& store;
        std::function<const Uplink*()> uplink;   // null when no [broker]
        std::function<nlohmann::json()> devices; // {"scanner": "online", …}
    };

    UiBridge(EventLoop& loop, Parts parts, WebSettings settings, WebServer::Submit submit);
    ~UiBridge();

    // Serve, and refresh the snapshot every 100 ms. Errors: ErrorCode::Config.
    Result<void> start();
    void stop();
    int port() const { return server_.port(); }
    std::string url() const { return server_.url(); }

    // Where the counters (counters.h toJson(CounterSnapshot)) and the printer's state with its
    // held jobs (LabelSpooler::heldStatus()) come from; not shown until set.
    void setCounters(std::function<nlohmann::json()> counters) { counters_ = std::move(counters); }
    void setLabels(std::function<nlohmann::json()> labels) { labels_ = std::move(labels); }

    // Before the workflow handles the event, and for each effect it answers with.
    void observe(const WorkflowEvent& event);
    void observe(const Effect& effect);
    void publish();

    nlohmann::json snapshot() const;

private:
    struct Photo
    {
        std::string view;
        std::string sha256;
        std::string retakeReason;
        std::string failure;
        bool pending = true;
    };
    void refresh();
    void message(MessageLevel level, const std::string& text);
    nlohmann::json syncStatus() const;
    nlohmann::json parcelView(const Workflow::OpenParcelState& open) const;
    // The operator's last action and its result (CMD:… or a scan): pending until the workflow
    // answers, the store saved or voided the item, or the reprinted label came out.
    struct LastAction
    {
        std::int64_t id = 0;
        std::string command; // UNDO, REPRINT, CONFIRM, GRADE, … or SCAN
        std::string state;   // pending | done | refused | failed
        std::string text;
        std::string lpn;
        std::string jobId; // the label job it queued (CONFIRM, REPRINT)
        bool answered = false;
    };
    void startAction(const std::string& text);
    void answerAction(MessageLevel level, const std::string& text);
    nlohmann::json lastActionView(const nlohmann::json& labels) const;
    nlohmann::json countersView() const;
    nlohmann::json itemView(const Inspection& inspection, Workflow::State state) const;

    EventLoop& loop_;
    Parts parts_;
    SnapshotHub hub_;
    WebServer server_;
    bool started_ = false;

    // The current item's photos as the camera reports them (pending, quality flags, failures);
    // everything else about the item is read from the workflow (Workflow::currentInspection).
    std::string photosOf_; // inspection id
    std::vector<Photo> photos_;
    std::optional<std::pair<double, bool>> weight_;
    std::deque<nlohmann::json> messages_;
    std::int64_t messageSeq_ = 0;
    std::function<nlohmann::json()> counters_;
    std::function<nlohmann::json()> labels_;
    std::optional<LastAction> lastAction_;
    std::int64_t actionSeq_ = 0;
};

} // namespace retour::station::web
