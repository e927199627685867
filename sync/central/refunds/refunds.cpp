// Refund decisions from the ledger, their payment requests and the adapter's answers (see refunds.h).
#include "refunds/refunds.h"

#include "ledger/try.h"

#include <algorithm>
#include <map>
#include <spdlog/spdlog.h>

namespace retour::central {

namespace {

std::string money(std::int64_t cents, std::string_view currency)
{
    const std::int64_t whole = cents / 100;
    const std::int64_t part = cents % 100;
    return std::to_string(whole) + "." + (part < 10 ? "0" : "") + std::to_string(part) + " " +
           std::string(currency);
}

} // namespace

nlohmann::json paymentRequest(const RefundRecord& refund, const Return& ret)
{
    nlohmann::json body{{"refund_id", refund.refundId},
                        {"rma_id", refund.rmaId},
                        {"order_id", ret.orderId ? nlohmann::json(*ret.orderId) : nlohmann::json()},
                        {"channel", ret.channel},
                        {"amount_cents", refund.amountCents},
                        {"currency", refund.currency},
                        {"keep_item", refund.keepItem},
                        {"trigger", refund.trigger},
                        {"rule", refund.triggerRule},
                        {"lines", refund.lines}};
    return body;
}

Refunds::Refunds(RefundPolicy policy, std::string paymentUrl, Storage& storage)
    : policy_(std::move(policy)), paymentUrl_(std::move(paymentUrl)), storage_(storage),
      ledger_(storage.ledger())
{}

Result<std::vector<std::string>> Refunds::changedSince()
{
    CENTRAL_TRY_ASSIGN(changes, storage_.ledger().changesAfter(watermark_, -1));
    // Each return once, in the order of its last change.
    std::map<std::string, std::int64_t, std::less<>> last;
    for (const LedgerChange& change : changes) {
        last[change.rmaId] = change.position;
        watermark_ = std::max(watermark_, change.position);
    }
    std::vector<std::pair<std::int64_t, std::string>> order;
    for (const auto& [rmaId, position] : last) {
        order.emplace_back(position, rmaId);
    }
    std::sort(order.begin(), order.end());
    std::vector<std::string> out;
    for (auto& [position, rmaId] : order) {
        out.push_back(std::move(rmaId));
    }
    return out;
}

Result<std::vector<std::string>> Refunds::decide(std::string_view now)
{
    CENTRAL_TRY_ASSIGN(changed, changedSince());
    std::vector<std::string> out;
    for (const std::string& rmaId : changed) {
        CENTRAL_TRY_ASSIGN(acted, decideOne(rmaId, now));
        if (acted) {
            out.push_back(rmaId);
        }
    }
    return out;
}

Result<bool> Refunds::decideOne(const std::string& rmaId, std::string_view now)
{
    CENTRAL_TRY_ASSIGN(existing, find(rmaId));
    if (existing) {
        // Paid before the ledger could show it (carrier scan, drop-off): apply once it can.
        if (existing->state == "refunded") {
            return applyToLedger(*existing, now);
        }
        return false;
    }
    CENTRAL_TRY_ASSIGN(ret, storage_.ledger().findReturn(rmaId));
    if (!ret) {
        return false;
    }
    const TriggerChoice trigger = chooseTrigger(policy_, *ret);
    if (!triggerFired(trigger.trigger, ret->state)) {
        return false;
    }
    CENTRAL_TRY_ASSIGN(inspections, storage_.ledger().inspections(rmaId));
    const RefundDecision decision = decideRefund(policy_, *ret, inspections, trigger, ret->state);

    RefundRecord refund;
    refund.refundId = "refund-" + rmaId;
    refund.rmaId = rmaId;
    refund.trigger = std::string(toString(trigger.trigger));
    refund.triggerRule = trigger.rule;
    refund.amountCents = decision.amountCents;
    refund.fullCents = decision.fullCents;
    refund.currency = decision.currency;
    refund.keepItem = trigger.keepItem;
    refund.lines = nlohmann::json::array();
    for (const RefundLine& line : decision.lines) {
        refund.lines.push_back(
            {{"line_id", line.lineId},
             {"sku", line.sku},
             {"inspection_id", line.inspectionId ? nlohmann::json(*line.inspectionId) : nlohmann::json()},
             {"amount_cents", line.amountCents},
             {"full_cents", line.fullCents},
             {"rule", line.rule},
             {"basis", line.basis}});
    }
    refund.state = decision.amountCents > 0 ? "requested" : "none";
    refund.decidedAt = std::string(now);
    if (refund.state == "none") {
        refund.reason = "nothing to refund under the policy";
        refund.settledAt = std::string(now);
    }
    CENTRAL_TRY(storage_.transaction([&]() -> Result<void> {
        CENTRAL_TRY(storage_.refunds().insert(refund));
        if (refund.state == "requested") {
            Delivery delivery;
            delivery.key = refund.refundId;
            delivery.kind = "refund";
            delivery.transport = "http";
            delivery.target = paymentUrl_;
            delivery.body =
                paymentRequest(refund, *ret).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            CENTRAL_TRY(storage_.deliveries().enqueue(delivery, now));
        }
        return {};
    }));
    spdlog::info("refund {} for {}: {} on {} (rule {}), {} of {}", refund.refundId, rmaId,
                 refund.state == "none" ? "nothing" : "requested", refund.trigger, refund.triggerRule,
                 money(refund.amountCents, refund.currency), money(refund.fullCents, refund.currency));
    if (refund.state == "none" && ret->state == ReturnState::Inspected) {
        CENTRAL_TRY(storage_.transaction([&]() -> Result<void> {
            CENTRAL_TRY(ledger_.move(rmaId, ReturnState::Rejected,
                                     Audit{"refunds:" + policy_.file,
                                           "refund policy: nothing to refund (" + refund.triggerRule + ")",
                                           std::string(now), std::nullopt}));
            return {};
        }));
    }
    return true;
}

Result<bool> Refunds::applyToLedger(const RefundRecord& refund, std::string_view now)
{
    CENTRAL_TRY_ASSIGN(ret, storage_.ledger().findReturn(refund.rmaId));
    if (!ret) {
        return false;
    }
    RefundDecision decision;
    decision.amountCents = refund.amountCents;
    decision.fullCents = refund.fullCents;
    const ReturnState to = decision.settledState();
    if (ret->state == to || !Ledger::allowed(ret->state, to)) {
        return false;
    }
    // Only a keep-the-item refund settles a return whose parcel is still expected; one paid on an
    // early trigger (authorised, carrier scan, drop-off) is applied once the parcel is received.
    if (ret->state == ReturnState::Authorised && !refund.keepItem) {
        return false;
    }
    CENTRAL_TRY(storage_.transaction([&]() -> Result<void> {
        CENTRAL_TRY(
            ledger_.move(refund.rmaId, to,
                         Audit{"refunds:payment",
                               std::string(refund.keepItem ? "kept by the customer: " : "") + "refund " +
                                   refund.refundId + " of " + money(refund.amountCents, refund.currency) +
                                   " paid (" + refund.trigger + ", " + refund.triggerRule + ")",
                               std::string(now), std::nullopt}));
        if (refund.keepItem && to == ReturnState::Refunded) {
            // Nothing comes back: settled, and the stations drop the RMA (Publisher::update).
            CENTRAL_TRY(ledger_.move(refund.rmaId, ReturnState::Closed,
                                     Audit{"refunds:payment", "kept by the customer: nothing to receive",
                                           std::string(now), std::nullopt}));
        }
        return {};
    }));
    return true;
}

Result<std::vector<std::string>> Refunds::settle(std::string_view now)
{
    CENTRAL_TRY_ASSIGN(finished, storage_.deliveries().unsettled("refund"));
    std::vector<std::string> out;
    for (const Delivery& delivery : finished) {
        CENTRAL_TRY_ASSIGN(found, storage_.refunds().byId(delivery.key));
        if (!found) {
            CENTRAL_TRY(storage_.deliveries().markSettled(delivery.id));
            continue;
        }
        RefundRecord refund = std::move(*found);
        const bool paid = delivery.state == "done";
        refund.state = paid ? "refunded" : "failed";
        refund.reason =
            paid ? std::optional<std::string>()
                 : std::optional<std::string>(
                       delivery.lastError.value_or("") +
                       (delivery.response && !delivery.response->empty() ? ": " + *delivery.response : ""));
        CENTRAL_TRY(storage_.transaction([&]() -> Result<void> {
            CENTRAL_TRY(storage_.refunds().settle(refund.refundId, refund.state, refund.reason, now));
            return storage_.deliveries().markSettled(delivery.id);
        }));
        if (!paid) {
            spdlog::warn("refund {} for {} FAILED: {} (staff: see `retour-central refunds`)", refund.refundId,
                         refund.rmaId, refund.reason.value_or(""));
            continue;
        }
        CENTRAL_TRY_ASSIGN(moved, applyToLedger(refund, now));
        if (moved) {
            out.push_back(refund.rmaId);
        }
    }
    return out;
}

Result<std::optional<RefundRecord>> Refunds::find(std::string_view rmaId)
{
    return storage_.refunds().byRma(rmaId);
}

Result<std::vector<RefundRecord>> Refunds::all()
{
    return storage_.refunds().all();
}

} // namespace retour::central
