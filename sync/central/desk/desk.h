#pragma once

#include "authorise/rules.h"
#include "desk/orders.h"
#include "ledger/error.h"
#include "ledger/ledger.h"
#include "ledger/model.h"
#include "storage/order_store.h"
#include "storage/store.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::central {

// One line of an order as the portal offers it for return.
struct ReturnableLine
{
    OrderLine line;
    std::string description;
    std::string category;
    std::int64_t alreadyReturned = 0; // in returns that are not cancelled, rejected or expired
    std::int64_t returnable = 0;      // quantity - alreadyReturned (0 for a non-returnable item)
    bool catalogueReturnable = true;
};

struct ItemRequest
{
    std::string lineId; // of the order; for a trade-in a free id
    std::int64_t quantity = 1;
    std::string reason;
    // Trade-ins only (no order): what the customer offers.
    std::optional<std::string> sku, description, category, serial;
};

// A return asked for on any channel (issue 7 "Every return channel").
struct ReturnRequest
{
    std::string channel; // portal | customer_service | store | tradein | preprinted
    std::optional<std::string> orderId;
    std::optional<std::string> email;
    std::vector<ItemRequest> items;
    std::string actor;                 // "customer:<email>", "agent:<id>", "store:<id>"
    std::optional<RuleOutcome> forced; // customer service overriding the rules (approve/reject)
    std::optional<std::string> forcedReason;
    std::optional<double> tradeInValue; // trade-ins: the provisional value offered
};

struct Created
{
    Return ret;
    DecisionRecord decision;
};

// A return with what happened to it.
struct ReturnView
{
    Return ret;
    std::vector<Transition> history;
    std::vector<DecisionRecord> decisions;
    std::optional<std::string> email;
};

// What happened to a return's parcel before it reached a bench (POST /api/v1/returns/{rma}/events):
// the carrier's first scan, a hand-in at a drop-off point, or a store taking it in to send on.
struct ParcelEvent
{
    std::string kind;              // carrier_scan | drop_off | store_receipt
    std::string actor;             // "carrier:<name>", "store:<id>", "dropoff:<point>"
    std::optional<std::string> at; // RFC 3339; default: now
    std::optional<std::string> location, tracking;
};
bool isParcelEventKind(std::string_view kind);

struct ParcelEventResult
{
    Return ret;
    bool moved = false; // false: recorded before, or the parcel is further along already
};

struct ReturnFilter
{
    std::optional<ReturnState> state;
    std::optional<std::string> channel, orderId, customer;
    bool reviewOnly = false; // the manual review queue: requested, last decision "review"
};

// The returns desk: every channel's way into the ledger, the authorisation rules, the manual
// review queue, cancellation, and the orders and catalogue imports (issue 7). Each operation is
// one unit of work: the RMA number is taken first (its own commit), then the return, its
// transitions and its decision are written; a return that is open for the stations (isOpen) or
// was before the change is then handed to `published` (Publisher::update: the retained RMA, or the
// empty payload that removes it).
//
// Errors: Invalid (bad input; the message names the field), NotFound (unknown order, return, or
// order number and e-mail that do not match), Database.
//
// Thread contract: thread-bound (the central loop: the thread of its stores).
class Desk
{
public:
    using Clock = std::function<std::int64_t()>;          // epoch seconds
    using Published = std::function<void(const Return&)>; // Publisher::update in the service

    struct Options
    {
        std::string rmaPrefix; // RMA numbers are "<prefix>-NNNNNN"
        Clock now;             // default: the system clock
        Published published;   // default: nothing
    };

    Desk(Store& store, OrderStore& orders, Ledger& ledger, RuleBook& rules, Options options);

    Result<std::vector<ReturnableLine>> returnable(std::string_view orderId, std::string_view email);
    Result<Created> create(const ReturnRequest& request);
    // Pre-printed labels: return numbers issued with an order (state requested, every line).
    Result<Return> issuePreprinted(std::string_view orderId, std::string_view actor);
    // A pre-printed label's parcel showed up (carrier scan, drop-off): the rules decide.
    Result<Created> activate(std::string_view rmaId, std::string_view actor);
    // The review queue's answer (approve or reject).
    Result<Created> decide(std::string_view rmaId, RuleOutcome outcome, std::string_view reviewer,
                           std::string_view reason);
    Result<Return> cancel(std::string_view rmaId, std::string_view actor, std::string_view reason);
    // A carrier scan, drop-off or store receipt: authorised → in transit, audited with who, where
    // and when (a pre-printed label's number is put to the rules first, as activate() does). A
    // return already in transit or further along is left as it is (moved = false); a requested,
    // rejected, cancelled, expired or closed one is Invalid. The refund pass then pays when the
    // policy's trigger is a carrier scan or a drop-off.
    Result<ParcelEventResult> recordParcelEvent(std::string_view rmaId, const ParcelEvent& event);
    // Authorised returns whose parcel did not move within `afterDays` of their authorisation become
    // expired (audited); the stations drop them. Returns the ones that expired.
    Result<std::vector<Return>> expire(int afterDays);
    // A pre-printed label a bench scanned without knowing its return (parcel.received with
    // channel preprinted, rma_id null and the label's text): the return issued with that number
    // (issuePreprinted), or else a new pre-printed return for the order the label names, every
    // line of it, its contact recorded. Nothing when the label matches neither. The caller writes
    // it (Ingest: state received, inside the event's transaction).
    Result<std::optional<Return>> preprintedFor(std::string_view label);
    Result<ReturnView> view(std::string_view rmaId);
    // The portal's status page: the return when `email` is the one it was asked with.
    Result<ReturnView> viewAsCustomer(std::string_view rmaId, std::string_view email);
    Result<std::vector<Return>> list(const ReturnFilter& filter);

    // All or nothing: one transaction; an invalid record refuses the whole import.
    Result<std::size_t> importOrders(const std::vector<Order>& orders);
    Result<std::size_t> importCatalogue(const std::vector<CatalogueItem>& items);

    RuleBook& rules() { return rules_; }

private:
    Result<Order> orderFor(std::string_view orderId, std::optional<std::string_view> email);
    Result<std::vector<ReturnLine>> linesFor(const Order& order, const std::vector<ItemRequest>& items);
    Result<std::vector<ReturnLine>> tradeInLines(const std::vector<ItemRequest>& items);
    Result<RequestFacts> factsFor(const Return& ret, const std::optional<Order>& order);
    Result<Created> decideAndRecord(Return ret, const RuleDecision& decision, std::string_view decidedBy,
                                    const std::optional<std::string>& email, std::string_view actor,
                                    bool receivedAtStore);
    Result<Created> decideExisting(const Return& ret, const RuleDecision& decision,
                                   std::string_view decidedBy, std::string_view actor);
    std::string nowText() const;

    Store& store_;
    OrderStore& orders_;
    Ledger& ledger_;
    RuleBook& rules_;
    Options options_;
};

} // namespace retour::central
