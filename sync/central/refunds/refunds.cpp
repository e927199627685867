// Refund decisions from the ledger, their payment requests and the adapter's answers (see refunds.h).
#include "refunds/refunds.h"

#include "ledger/try.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/sqlite/transaction.h"

#include <spdlog/spdlog.h>

namespace retour::central {

namespace {

RefundRecord readRefund(const sqlite::Statement& stmt)
{
    RefundRecord r;
    r.refundId = stmt.text(0);
    r.rmaId = stmt.text(1);
    r.trigger = stmt.text(2);
    r.triggerRule = stmt.text(3);
    r.amountCents = stmt.integer(4);
    r.fullCents = stmt.integer(5);
    r.currency = stmt.text(6);
    r.keepItem = stmt.integer(7) != 0;
    r.lines = nlohmann::json::parse(stmt.text(8), nullptr, false);
    r.state = stmt.text(9);
    r.reason = stmt.optText(10);
    r.decidedAt = stmt.text(11);
    r.settledAt = stmt.optText(12);
    return r;
}

constexpr std::string_view kRefundColumns =
    "refund_id, rma_id, trigger, trigger_rule, amount_cents, full_cents, "
    "currency, keep_item, lines, state, reason, decided_at, settled_at";

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

Refunds::Refunds(RefundPolicy policy, std::string paymentUrl, Store& store, Ledger& ledger,
                 sqlite::Database& db)
    : policy_(std::move(policy)), paymentUrl_(std::move(paymentUrl)), store_(store), ledger_(ledger), db_(db),
      outbox_(db)
{}

Result<std::vector<std::string>> Refunds::changedSince()
{
    CENTRAL_TRY_ASSIGN(stmt, db_.prepare("SELECT rma_id, MAX(id) FROM return_transitions WHERE id > ? "
                                         "GROUP BY rma_id ORDER BY MAX(id)"));
    stmt.bind(1, watermark_);
    std::vector<std::string> out;
    std::int64_t highest = watermark_;
    CENTRAL_TRY(stmt.each([&](const sqlite::Statement& row) {
        out.push_back(row.text(0));
        highest = std::max(highest, row.integer(1));
    }));
    watermark_ = highest;
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
    CENTRAL_TRY_ASSIGN(ret, store_.findReturn(rmaId));
    if (!ret) {
        return false;
    }
    const TriggerChoice trigger = chooseTrigger(policy_, *ret);
    if (!triggerFired(trigger.trigger, ret->state)) {
        return false;
    }
    CENTRAL_TRY_ASSIGN(inspections, store_.inspections(rmaId));
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
    const std::string lines = refund.lines.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);

    CENTRAL_TRY(inTransaction(db_, [&]() -> Result<void> {
        CENTRAL_TRY_ASSIGN(stmt, db_.prepare("INSERT INTO refunds (" + std::string(kRefundColumns) +
                                             ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        stmt.bind(1, refund.refundId)
            .bind(2, refund.rmaId)
            .bind(3, refund.trigger)
            .bind(4, refund.triggerRule)
            .bind(5, refund.amountCents)
            .bind(6, refund.fullCents)
            .bind(7, refund.currency)
            .bind(8, refund.keepItem ? 1 : 0)
            .bind(9, lines)
            .bind(10, refund.state)
            .bind(11, refund.reason)
            .bind(12, refund.decidedAt)
            .bind(13, refund.settledAt);
        CENTRAL_TRY(stmt.run());
        if (refund.state == "requested") {
            Delivery delivery;
            delivery.key = refund.refundId;
            delivery.kind = "refund";
            delivery.transport = "http";
            delivery.target = paymentUrl_;
            delivery.body =
                paymentRequest(refund, *ret).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            CENTRAL_TRY(outbox_.enqueue(delivery, now));
        }
        return {};
    }));
    spdlog::info("refund {} for {}: {} on {} (rule {}), {} of {}", refund.refundId, rmaId,
                 refund.state == "none" ? "nothing" : "requested", refund.trigger, refund.triggerRule,
                 money(refund.amountCents, refund.currency), money(refund.fullCents, refund.currency));
    if (refund.state == "none" && ret->state == ReturnState::Inspected) {
        CENTRAL_TRY(store_.transaction([&]() -> Result<void> {
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
    CENTRAL_TRY_ASSIGN(ret, store_.findReturn(refund.rmaId));
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
    CENTRAL_TRY(store_.transaction([&]() -> Result<void> {
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
    CENTRAL_TRY_ASSIGN(finished, outbox_.unsettled("refund"));
    std::vector<std::string> out;
    for (const Delivery& delivery : finished) {
        CENTRAL_TRY_ASSIGN(
            stmt, db_.prepare("SELECT " + std::string(kRefundColumns) + " FROM refunds WHERE refund_id = ?"));
        stmt.bind(1, delivery.key);
        CENTRAL_TRY_ASSIGN(found, stmt.first(readRefund));
        if (!found) {
            CENTRAL_TRY(outbox_.markSettled(delivery.id));
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
        CENTRAL_TRY(inTransaction(db_, [&]() -> Result<void> {
            CENTRAL_TRY_ASSIGN(update, db_.prepare("UPDATE refunds SET state = ?, reason = ?, settled_at = ? "
                                                   "WHERE refund_id = ?"));
            update.bind(1, refund.state).bind(2, refund.reason).bind(3, now).bind(4, refund.refundId);
            CENTRAL_TRY(update.run());
            return outbox_.markSettled(delivery.id);
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
    CENTRAL_TRY_ASSIGN(
        stmt, db_.prepare("SELECT " + std::string(kRefundColumns) + " FROM refunds WHERE rma_id = ?"));
    stmt.bind(1, rmaId);
    return stmt.first(readRefund);
}

Result<std::vector<RefundRecord>> Refunds::all()
{
    CENTRAL_TRY_ASSIGN(
        stmt, db_.prepare("SELECT " + std::string(kRefundColumns) + " FROM refunds ORDER BY decided_at"));
    return stmt.all(readRefund);
}

} // namespace retour::central
