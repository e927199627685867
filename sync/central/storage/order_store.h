#pragma once

#include "desk/orders.h"
#include "ledger/error.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::central {

// One authorisation decision on a return: the outcome, the rule that fired and who decided
// (the rules, or a reviewer or agent overriding them).
struct DecisionRecord
{
    std::string rmaId;
    std::string outcome;    // approve | reject | review
    std::string rule;       // the rule's name; "(default)" when none matched; "manual" for a person
    std::string ruleSource; // FILE:LINE:COL of the rule, or the person's id
    std::string reason;
    std::string decidedBy; // "rules:<file>", "agent:<id>", "reviewer:<id>"
    std::string at;
};

// The returns desk's storage beside the ledger's Store (one of the stores of a Storage): the
// catalogue, the orders shipped, the RMA number sequence, the decisions and the customers'
// contact addresses. An interface of its own so that the ledger's Store stays narrow.
//
// Thread contract: thread-bound (the central loop, or a CLI command).
class OrderStore
{
public:
    virtual ~OrderStore() = default;

    // Its Storage's transaction (committed durably, or rolled back with its error returned). Not
    // reentrant.
    virtual Result<void> transaction(const std::function<Result<void>()>& body) = 0;

    // Inserted, or replaced when the SKU exists.
    virtual Result<void> putCatalogueItem(const CatalogueItem& item) = 0;
    virtual Result<std::optional<CatalogueItem>> catalogueItem(std::string_view sku) = 0;
    virtual Result<std::int64_t> catalogueSize() = 0;
    // The catalogue item of a GTIN of any length (GTIN-8/12/13/14: compared as GTIN-14, leading
    // zeros aside); the lowest SKU when several items share it.
    virtual Result<std::optional<CatalogueItem>> catalogueItemByGtin(std::string_view gtin) = 0;

    // Inserted, or replaced (with all its lines) when the order exists.
    virtual Result<void> putOrder(const Order& order) = 0;
    virtual Result<std::optional<Order>> findOrder(std::string_view orderId) = 0;
    virtual Result<std::int64_t> orderCount() = 0;
    // The order that shipped a unit with this serial number (the earliest ordered when several
    // did), with the id of the line it was shipped on.
    struct ShippedSerial
    {
        Order order;
        std::string lineId;
    };
    virtual Result<std::optional<ShippedSerial>> orderShippingSerial(std::string_view serial) = 0;

    // "<prefix>-000001", "<prefix>-000002", …: taken in its own committed transaction, so a number
    // is handed out once, also across restarts. Never inside transaction().
    virtual Result<std::string> nextRmaNumber(std::string_view prefix) = 0;

    virtual Result<void> recordDecision(const DecisionRecord& decision) = 0;
    // Oldest first.
    virtual Result<std::vector<DecisionRecord>> decisions(std::string_view rmaId) = 0;

    virtual Result<void> setContact(std::string_view rmaId, std::string_view email) = 0;
    virtual Result<std::optional<std::string>> contact(std::string_view rmaId) = 0;
};

} // namespace retour::central
