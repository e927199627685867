#pragma once

#include "delivery/delivery.h"
#include "delivery/sender.h"
#include "storage/storage.h"

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace retour::central {

// Sends the delivery outbox on its own thread, so that a slow or absent receiver never blocks the
// central loop: it takes the due rows (its own Storage on the central database), sends
// each with its Sender, and records the attempt — done, failed (a 4xx with the receiver's reason,
// or maxAttempts reached) or pending again after backoff(). After every finished row it calls
// `finished`, which posts to the central loop (the loop applies refunds' answers to the ledger).
// Rows left pending by a crash are sent again at the next start: the receiver dedupes by key.
//
// Thread contract: start(), wake() and stop() are thread-safe; `finished` runs on the worker.
class DeliveryWorker
{
public:
    DeliveryWorker(StorageLocation database, RetryPolicy retry, std::unique_ptr<Sender> sender,
                   std::function<void()> finished);
    ~DeliveryWorker();
    DeliveryWorker(const DeliveryWorker&) = delete;
    DeliveryWorker& operator=(const DeliveryWorker&) = delete;

    void start();
    // New rows were committed: look now instead of at the next due time.
    void wake();
    // Finish the attempt in progress (bounded by the sender's timeout) and join.
    void stop();

private:
    void run();
    // One pass over the due rows; false when the database failed (logged).
    bool drain(DeliveryStore& store);

    StorageLocation database_;
    RetryPolicy retry_;
    std::unique_ptr<Sender> sender_;
    std::function<void()> finished_;
    std::mutex mutex_;
    std::condition_variable wakeUp_;
    bool woken_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace retour::central
