#pragma once

#include "app/event_loop.h"
#include "app/worker.h"
#include "retour/base/retry.h"
#include "retour/drivers/device.h"
#include "store/store.h"
#include "workflow/records.h"

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

namespace retour::station {

// Prints the label jobs the store holds as pending, one at a time, on the printer worker thread.
// A refused or failed job stays pending and is retried with back-off (2 s .. 30 s); a printed
// job is recorded with its label.printed event (Store::labelPrinted). The inspection stays
// confirmed whatever the printer does.
//
// Thread contract: thread-bound (the station loop); the printer is used only on the worker.
class LabelSpooler
{
public:
    // printer may be null (no printer configured): jobs then stay pending.
    LabelSpooler(EventLoop& loop, Store& store, std::unique_ptr<drivers::LabelPrinter> printer);
    ~LabelSpooler();

    // Queue the store's pending jobs (at start, after a restart).
    void loadPending();
    void enqueue(LabelRecord label);
    // Forget the queued jobs of a voided inspection (the store retired them); a job already on
    // the printer finishes.
    void drop(const std::string& inspectionId);
    // Nothing queued and nothing printing.
    bool idle() const { return queue_.empty() && !busy_; }
    std::size_t pending() const { return queue_.size() + (busy_ ? 1 : 0); }
    std::string status() const;
    // The printer's state and the jobs held for it, for the bench status: {"printer": URI or null,
    // "state": "ready" | "not_ready" | "none", "detail": the printer's last refusal, "held": N,
    // "jobs": [{"job_id", "lpn", "held_since"}…] in print order, "printed": the last jobs printed,
    // newest first [{"job_id", "lpn", "at", "was_held"}…]}. Jobs are held (and kept in the store)
    // while the printer is not ready and print in order once it is; held_since is when a job was
    // first refused (null while it has not been).
    nlohmann::json heldStatus() const;
    void stop();
    // Called on the loop after a printed job's label.printed event was stored (the station sends
    // it at once, even when no operator action follows: a held label printing later).
    void onEventStored(std::function<void()> callback) { eventStored_ = std::move(callback); }

private:
    void next();
    void onResult(const LabelRecord& label, bool printed, const std::string& reason);

    EventLoop& loop_;
    Store& store_;
    std::shared_ptr<drivers::LabelPrinter> printer_;
    std::string printerText_;
    std::unique_ptr<Worker> worker_;
    std::deque<LabelRecord> queue_;
    bool busy_ = false;
    bool ready_ = true;
    std::optional<EventLoop::TimerId> retry_;
    // 2 s after the first failed print, doubling up to 30 s; no jitter (one printer per bench).
    base::Backoff backoff_{
        base::BackoffPolicy{std::chrono::milliseconds(2000), std::chrono::milliseconds(30000), 0.0}};
    std::string lastError_;
    std::map<std::string, std::string> heldSince_; // job id → first refusal (RFC 3339)
    std::deque<nlohmann::json> printed_;           // the last jobs printed, newest first
    std::function<void()> eventStored_;
    std::set<std::string> dropped_; // voided while on the printer: not retried
};

} // namespace retour::station
