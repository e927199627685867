#pragma once

#include "delivery/delivery.h"
#include "ledger/error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::central {

struct DeliveryCounts
{
    std::int64_t pending = 0, done = 0, failed = 0;
};

// The delivery outbox's storage (table deliveries): see Delivery. Operations speak the outbox's
// vocabulary, never SQL; every one can fail with ErrorCode::Database.
//
// Thread contract: thread-bound (its Storage's thread; the central loop and the delivery worker
// each have their own Storage on the same database).
class DeliveryStore
{
public:
    virtual ~DeliveryStore() = default;

    // Insert a pending row due now; false (and nothing changed) when its key is already held.
    virtual Result<bool> enqueue(const Delivery& delivery, std::string_view now) = 0;
    // Pending rows due at `now`, oldest first.
    virtual Result<std::vector<Delivery>> due(std::string_view now, int limit) = 0;
    // The earliest next_at of a pending row.
    virtual Result<std::optional<std::string>> nextDue() = 0;
    // Record one attempt: done or failed (finished), or pending again at nextAt.
    virtual Result<void> record(std::int64_t id, Verdict verdict, std::int64_t attempts,
                                std::string_view nextAt, const Attempt& attempt, std::string_view now) = 0;
    // Finished rows of `kind` whose outcome the loop has not yet applied, oldest first.
    virtual Result<std::vector<Delivery>> unsettled(std::string_view kind) = 0;
    virtual Result<void> markSettled(std::int64_t id) = 0;
    virtual Result<std::optional<Delivery>> byKey(std::string_view key) = 0;
    virtual Result<DeliveryCounts> counts(std::string_view kind) = 0;
};

} // namespace retour::central
