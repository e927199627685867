#pragma once

#include "ledger/error.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::central {

// A refund decision as stored (table refunds).
struct RefundRecord
{
    std::string refundId;
    std::string rmaId;
    std::string trigger, triggerRule;
    std::int64_t amountCents = 0, fullCents = 0;
    std::string currency;
    bool keepItem = false;
    nlohmann::json lines;
    std::string state; // requested | refunded | failed | none
    std::optional<std::string> reason;
    std::string decidedAt;
    std::optional<std::string> settledAt;
};

// The refund decisions' storage: one per return (its rma_id is unique). Every operation can fail
// with ErrorCode::Database.
//
// Thread contract: thread-bound (its Storage's thread).
class RefundStore
{
public:
    virtual ~RefundStore() = default;

    virtual Result<void> insert(const RefundRecord& refund) = 0;
    virtual Result<std::optional<RefundRecord>> byRma(std::string_view rmaId) = 0;
    virtual Result<std::optional<RefundRecord>> byId(std::string_view refundId) = 0;
    // The adapter's answer: the decision's new state, the reason (failed) and when.
    virtual Result<void> settle(std::string_view refundId, std::string_view state,
                                const std::optional<std::string>& reason, std::string_view at) = 0;
    // Every decision, in the order they were taken.
    virtual Result<std::vector<RefundRecord>> all() = 0;
};

} // namespace retour::central
