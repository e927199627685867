#pragma once

#include "delivery/delivery.h"
#include "ledger/ledger.h"
#include "refunds/policy.h"
#include "storage/store.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace retour::base::sqlite {
class Database;
}

namespace retour::central {

namespace sqlite {
using Database = base::sqlite::Database;
}

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

// Turns the ledger into refunds (issue 7 "Refunds"). decide() looks at every return the ledger
// moved since its last pass (all of them at the first pass, so a decision a crash prevented is
// taken at the next start): when the policy's trigger for the return has fired, the decision and
// its payment request (a delivery of kind "refund", key = refund id "refund-<rma_id>", POSTed to
// the payment adapter) are written in one transaction; one refund per return (rma_id UNIQUE), so
// no pass and no restart can ask twice. settle() applies what the adapter answered: done moves the
// return to refunded / partially refunded (when the ledger's table allows it from the return's
// state; a refund paid on a carrier scan is applied once the parcel is received; a keep-the-item
// refund moves the authorised return to refunded and then closed), failed records
// the adapter's reason for staff. A decision worth nothing pays nothing and rejects the inspected
// return.
//
// Thread contract: thread-bound (the central loop: its Store and its own connection `db`).
class Refunds
{
public:
    Refunds(RefundPolicy policy, std::string paymentUrl, Store& store, Ledger& ledger, sqlite::Database& db);

    // Returns whose refund was decided (or whose ledger state moved) in this pass.
    Result<std::vector<std::string>> decide(std::string_view now);
    // Returns whose state moved.
    Result<std::vector<std::string>> settle(std::string_view now);

    Result<std::optional<RefundRecord>> find(std::string_view rmaId);
    Result<std::vector<RefundRecord>> all();
    const RefundPolicy& policy() const { return policy_; }

private:
    Result<std::vector<std::string>> changedSince();
    Result<bool> decideOne(const std::string& rmaId, std::string_view now);
    Result<bool> applyToLedger(const RefundRecord& refund, std::string_view now);

    RefundPolicy policy_;
    std::string paymentUrl_;
    Store& store_;
    Ledger& ledger_;
    sqlite::Database& db_;
    DeliveryStore outbox_;
    std::int64_t watermark_ = 0; // the last return_transitions.id looked at
};

// The JSON POSTed to the payment adapter (docs/openapi.yaml "PaymentRefundRequest"). Pure.
nlohmann::json paymentRequest(const RefundRecord& refund, const Return& ret);

} // namespace retour::central
