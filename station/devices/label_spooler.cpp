#include "devices/label_spooler.h"

#include <algorithm>
#include <spdlog/spdlog.h>

namespace retour::station {

namespace {
constexpr std::size_t kPrintedKept = 8;
} // namespace

LabelSpooler::LabelSpooler(EventLoop& loop, Store& store, std::unique_ptr<drivers::LabelPrinter> printer)
    : loop_(loop), store_(store), printer_(std::move(printer))
{
    if (printer_) {
        printerText_ = printer_->uri().text;
        worker_ = std::make_unique<Worker>("retour-printer");
    }
}

LabelSpooler::~LabelSpooler()
{
    stop();
}

void LabelSpooler::stop()
{
    if (retry_) {
        loop_.cancel(*retry_);
        retry_.reset();
    }
    if (worker_) {
        worker_->stop();
    }
}

std::string LabelSpooler::status() const
{
    if (!printer_) {
        return "none";
    }
    return ready_ ? "online" : "offline";
}

nlohmann::json LabelSpooler::heldStatus() const
{
    nlohmann::json jobs = nlohmann::json::array();
    for (const auto& label : queue_) {
        const auto since = heldSince_.find(label.jobId);
        jobs.push_back({{"job_id", label.jobId},
                        {"lpn", label.lpn},
                        {"held_since", since == heldSince_.end() ? nlohmann::json(nullptr)
                                                                 : nlohmann::json(since->second)}});
    }
    return {{"printer", printer_ ? nlohmann::json(printerText_) : nlohmann::json(nullptr)},
            {"state", !printer_ ? "none"
                      : ready_  ? "ready"
                                : "not_ready"},
            {"detail", lastError_},
            {"held", queue_.size()},
            {"jobs", std::move(jobs)},
            {"printed", nlohmann::json(printed_)}};
}

void LabelSpooler::loadPending()
{
    auto pending = store_.pendingLabels();
    if (!pending) {
        spdlog::error("labels: {}", pending.error().message);
        return;
    }
    if (!pending->empty()) {
        spdlog::info("labels: {} job(s) from an earlier run still to print", pending->size());
    }
    for (auto& label : *pending) {
        enqueue(std::move(label));
    }
}

void LabelSpooler::enqueue(LabelRecord label)
{
    const bool known = std::any_of(queue_.begin(), queue_.end(),
                                   [&](const LabelRecord& queued) { return queued.jobId == label.jobId; });
    if (known) {
        return;
    }
    queue_.push_back(std::move(label));
    if (!printer_) {
        spdlog::warn("labels: no printer configured: label {} stays pending", queue_.back().lpn);
        return;
    }
    next();
}

void LabelSpooler::drop(const std::string& inspectionId)
{
    // The front job is on the printer while busy_: it stays until its result arrives, and is not
    // tried again if the printer refused it (the store retired it).
    if (busy_ && !queue_.empty() && queue_.front().inspectionId == inspectionId) {
        dropped_.insert(queue_.front().jobId);
    }
    const auto first = queue_.begin() + (busy_ && !queue_.empty() ? 1 : 0);
    queue_.erase(std::remove_if(first, queue_.end(),
                                [&](const LabelRecord& queued) {
                                    if (queued.inspectionId != inspectionId) {
                                        return false;
                                    }
                                    heldSince_.erase(queued.jobId);
                                    return true;
                                }),
                 queue_.end());
}

void LabelSpooler::next()
{
    if (busy_ || retry_ || queue_.empty() || !printer_) {
        return;
    }
    busy_ = true;
    LabelRecord label = queue_.front();
    worker_->post([this, label, printer = printer_] {
        auto result = printer->print(drivers::LabelJob{label.jobId, label.zpl});
        const bool printed = result.has_value();
        std::string reason = printed ? std::string{} : result.error().message;
        loop_.post([this, label, printed, reason] { onResult(label, printed, reason); });
    });
}

void LabelSpooler::onResult(const LabelRecord& label, bool printed, const std::string& reason)
{
    busy_ = false;
    if (printed) {
        dropped_.erase(label.jobId);
        if (auto ok = store_.labelPrinted(label.jobId, printerText_, nowTimestamp()); !ok) {
            spdlog::error("labels: {} printed but not recorded: {}", label.lpn, ok.error().message);
        } else if (eventStored_) {
            eventStored_();
        }
        if (!ready_) {
            spdlog::info("labels: printer {} is back", printerText_);
        }
        ready_ = true;
        lastError_.clear();
        backoff_.succeeded();
        spdlog::info("label {} printed", label.lpn);
        const auto since = heldSince_.find(label.jobId);
        printed_.push_front({{"job_id", label.jobId},
                             {"lpn", label.lpn},
                             {"at", nowTimestamp()},
                             {"was_held", since != heldSince_.end()}});
        if (since != heldSince_.end()) {
            heldSince_.erase(since);
        }
        while (printed_.size() > kPrintedKept) {
            printed_.pop_back();
        }
        if (!queue_.empty() && queue_.front().jobId == label.jobId) {
            queue_.pop_front();
        }
        next();
        return;
    }
    ready_ = false;
    if (dropped_.erase(label.jobId) > 0) {
        if (!queue_.empty() && queue_.front().jobId == label.jobId) {
            queue_.pop_front();
        }
        heldSince_.erase(label.jobId);
        lastError_ = reason;
    } else {
        heldSince_.emplace(label.jobId, nowTimestamp());
        if (auto ok = store_.labelFailed(label.jobId, reason); !ok) {
            spdlog::error("labels: {}", ok.error().message);
        }
    }
    if (queue_.empty()) {
        return;
    }
    if (reason != lastError_) {
        spdlog::warn("operator: label {} not printed: {}; it stays queued and is retried", label.lpn, reason);
        lastError_ = reason;
    }
    retry_ = loop_.after(backoff_.failed(), [this] {
        retry_.reset();
        next();
    });
}

} // namespace retour::station
