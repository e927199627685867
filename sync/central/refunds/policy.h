#pragma once

#include "app/source_error.h"
#include "ledger/model.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::central {

// The refund policy as data (docs/architecture.md "Rules as data"; docs/protocols/returns-domain.md §5
// "Refunds"): WHEN a return is refunded ([[trigger]] rules, chosen by channel, category and value: the
// earlier the trigger, the more the retailer trusts the return) and HOW MUCH per inspected item ([[amount]]
// rules by grade, disposition, findings and weight check: full, a restocking fee, or nothing). Both lists are
// evaluated top-down, first match wins, and the decision records the rule and its FILE:LINE:COL.
//
//   version = "2026-11"   currency = "EUR"
//   [[trigger]] name = "…"  channel = [..]  category = [..]  min_value = 0  max_value = 20
//               trigger = "authorised" | "carrier_scan" | "drop_off" | "receipt" | "inspection"
//                         | "review"
//               keep_item = true   (only with trigger = "authorised": refunded, nothing sent back)
//   [[amount]]  name = "…"  grade = [..]  disposition = [..]  finding = [..]  category = [..]
//               weight = "mismatch" | "ok" | "not_checked"
//               refund = "full" | "fee" | "none"   fee_percent = 15  (with refund = "fee")
// Without a matching trigger the return is refunded on inspection; without a matching amount
// rule an item is refunded in full (rule "(default)").

enum class RefundTrigger
{
    Authorised,  // as soon as the return is authorised (keep-the-item, very low value)
    CarrierScan, // the carrier's first scan (in transit)
    DropOff,     // handed in at a drop-off point or a store
    Receipt,     // the parcel reached a bench (parcel.received)
    Inspection,  // every item inspected (inspection.completed): grade-dependent amount
    Review,      // never automatically: the inspected return waits for a person (manual review)
};
std::string_view toString(RefundTrigger trigger);
std::optional<RefundTrigger> parseRefundTrigger(std::string_view text);
// The trigger has fired once the return is in `state` (a later state implies the earlier events). Pure.
bool triggerFired(RefundTrigger trigger, ReturnState state);

struct TriggerRule
{
    std::string name;
    std::string source; // FILE:LINE:COL
    std::vector<std::string> channels, categories;
    std::optional<double> minValue, maxValue;
    RefundTrigger trigger = RefundTrigger::Inspection;
    bool keepItem = false;
};

enum class RefundKind
{
    Full,
    Fee,
    None,
};

struct AmountRule
{
    std::string name;
    std::string source;
    std::vector<std::string> grades, dispositions, findings, categories;
    std::optional<std::string> weight;
    RefundKind refund = RefundKind::Full;
    double feePercent = 0;
};

struct RefundPolicy
{
    std::string file;
    std::string version;
    std::string currency = "EUR";
    std::vector<TriggerRule> triggers;
    std::vector<AmountRule> amounts;
};

// Read and check a policy file: every problem (syntax, unknown key, wrong type, unknown trigger or
// refund kind, keep_item without trigger "authorised", fee_percent outside 0..100) is a
// SourceError at FILE:LINE:COL. Reentrant.
SourceResult<RefundPolicy> loadRefundPolicy(const std::filesystem::path& file);

// What a return is worth: Σ unit_price × quantity, or its trade-in value; in cents. Pure.
std::int64_t returnValueCents(const Return& ret);

struct TriggerChoice
{
    RefundTrigger trigger = RefundTrigger::Inspection;
    bool keepItem = false;
    std::string rule; // "name @ FILE:LINE:COL", or "(default)"
};
// The first [[trigger]] that matches the return. Pure.
TriggerChoice chooseTrigger(const RefundPolicy& policy, const Return& ret);

struct RefundLine
{
    std::string lineId;
    std::string sku;
    std::optional<std::string> inspectionId;
    std::int64_t amountCents = 0;
    std::int64_t fullCents = 0;
    std::string rule;  // the [[amount]] rule, or the trigger's basis
    std::string basis; // "grade B, open_box", "refunded on receipt", …
};

struct RefundDecision
{
    TriggerChoice trigger;
    std::string currency;
    std::int64_t amountCents = 0;
    std::int64_t fullCents = 0;
    std::vector<RefundLine> lines;

    // Refunded, partially refunded or nothing to pay.
    ReturnState settledState() const;
};

// The amount once the trigger has fired. Before inspection every unit counts in full (nothing is
// known about its state); after it, each inspection gets the first matching [[amount]] rule and
// an item not inspected (missing) gets nothing. Pure.
RefundDecision decideRefund(const RefundPolicy& policy, const Return& ret,
                            const std::vector<Inspection>& inspections, const TriggerChoice& trigger,
                            ReturnState state);

} // namespace retour::central
