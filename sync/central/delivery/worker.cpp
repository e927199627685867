// The delivery outbox's sending thread (see worker.h).
#include "delivery/worker.h"

#include "retour/contract/message.h"

#include <spdlog/spdlog.h>

namespace retour::central {

namespace {

using Clock = std::chrono::system_clock;

std::string at(Clock::time_point t)
{
    return sync::formatTimestamp(t);
}

} // namespace

DeliveryWorker::DeliveryWorker(StorageLocation database, RetryPolicy retry, std::unique_ptr<Sender> sender,
                               std::function<void()> finished)
    : database_(std::move(database)), retry_(retry), sender_(std::move(sender)),
      finished_(std::move(finished))
{}

DeliveryWorker::~DeliveryWorker()
{
    stop();
}

void DeliveryWorker::start()
{
    if (thread_.joinable()) {
        return;
    }
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void DeliveryWorker::wake()
{
    {
        const std::lock_guard lock(mutex_);
        woken_ = true;
    }
    wakeUp_.notify_one();
}

void DeliveryWorker::stop()
{
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wakeUp_.notify_one();
    if (thread_.joinable()) {
        thread_.join();
    }
}

bool DeliveryWorker::drain(DeliveryStore& store)
{
    constexpr int kBatch = 32;
    while (true) {
        auto due = store.due(at(Clock::now()), kBatch);
        if (!due) {
            spdlog::error("delivery outbox: {}", due.error().message);
            return false;
        }
        if (due->empty()) {
            return true;
        }
        for (const Delivery& delivery : *due) {
            {
                const std::lock_guard lock(mutex_);
                if (stopping_) {
                    return true;
                }
            }
            Attempt attempt = sender_->send(delivery);
            const std::int64_t attempts = delivery.attempts + 1;
            Verdict verdict = attempt.verdict;
            if (verdict == Verdict::Retry && attempts >= retry_.maxAttempts) {
                verdict = Verdict::Failed;
                attempt.detail = "gave up after " + std::to_string(attempts) + " attempts: " + attempt.detail;
            }
            const auto now = Clock::now();
            const std::string next = at(now + backoff(retry_, attempts));
            if (auto recorded = store.record(delivery.id, verdict, attempts, next, attempt, at(now));
                !recorded) {
                spdlog::error("delivery {} ({}): cannot record the attempt: {}", delivery.key, delivery.kind,
                              recorded.error().message);
                return false;
            }
            if (verdict == Verdict::Retry) {
                spdlog::warn("delivery {} ({} to {}) attempt {}: {}; next at {}", delivery.key, delivery.kind,
                             delivery.target, attempts, attempt.detail, next);
            } else {
                spdlog::log(verdict == Verdict::Done ? spdlog::level::info : spdlog::level::warn,
                            "delivery {} ({} to {}) {} after {} attempt(s): {}", delivery.key, delivery.kind,
                            delivery.target, toString(verdict), attempts, attempt.detail);
                if (finished_) {
                    finished_();
                }
            }
        }
    }
}

void DeliveryWorker::run()
{
    auto storage = openStorage(database_, OpenMode::Attached);
    if (!storage) {
        spdlog::error("delivery outbox: cannot open {}: {}", database_.database.string(),
                      storage.error().message);
        return;
    }
    DeliveryStore& store = (*storage)->deliveries();
    while (true) {
        const bool healthy = drain(store);
        // Sleep until the next row is due, a wake(), or at most a second (a row another process
        // added, a clock step); after a database error, a second before trying again.
        auto wait = std::chrono::milliseconds(1000);
        if (healthy) {
            if (auto next = store.nextDue(); next && *next) {
                const auto due = sync::parseTimestamp(**next);
                if (due) {
                    const auto delta =
                        std::chrono::duration_cast<std::chrono::milliseconds>(*due - Clock::now());
                    wait = std::clamp(delta, std::chrono::milliseconds(0), wait);
                }
            }
        }
        std::unique_lock lock(mutex_);
        wakeUp_.wait_for(lock, wait, [this] { return woken_ || stopping_; });
        if (stopping_) {
            return;
        }
        woken_ = false;
    }
}

} // namespace retour::central
