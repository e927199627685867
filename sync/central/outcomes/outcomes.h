#pragma once

#include "app/config.h"
#include "delivery/worker.h"
#include "ledger/ledger.h"
#include "refunds/refunds.h"
#include "storage/storage.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace retour::central {

class StockLedger;
class Messages;

// What `retour-central run` does after the ledger moved (issue 7 "Refunds", "Stock", "Customer
// messages"): the refund decisions, the stock movements and the customer e-mails, each written
// with its delivery in one transaction of the outcomes' own Storage, and the DeliveryWorker that
// sends them. The loop calls catchUp() after every batch; each part looks only at what changed
// since its last pass (at start: everything, so what a crash interrupted is completed).
//
// Thread contract: thread-bound (the central loop); the worker posts `wake` into the loop.
class Outcomes
{
public:
    // Nothing configured ([returns.refunds], [returns.stock], [returns.messages] absent): nullptr.
    static Result<std::unique_ptr<Outcomes>> start(const Config& config, std::function<void()> wake);
    ~Outcomes();
    Outcomes(const Outcomes&) = delete;
    Outcomes& operator=(const Outcomes&) = delete;

    // One pass; returns whose state changed (to republish). Errors are logged and retried at the
    // next pass (everything it writes is idempotent).
    std::vector<std::string> catchUp();

private:
    explicit Outcomes(std::unique_ptr<Storage> storage);

    std::unique_ptr<Storage> storage_;
    std::unique_ptr<Refunds> refunds_;
    std::unique_ptr<StockLedger> stock_;
    std::unique_ptr<Messages> messages_;
    std::unique_ptr<DeliveryWorker> worker_;
};

} // namespace retour::central
