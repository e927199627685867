// The returns desk: channels, rules, review queue, cancellation, imports (see desk.h).
#include "desk/desk.h"

#include "ledger/publisher.h"
#include "ledger/try.h"
#include "retour/contract/message.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>

namespace retour::central {

namespace {

constexpr std::int64_t kDay = 24 * 3600;

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Returns that hold (or held) items of their order: all but the withdrawn and the refused.
bool holdsItems(const Return& ret)
{
    return ret.state != ReturnState::Cancelled && ret.state != ReturnState::Rejected &&
           ret.state != ReturnState::Expired;
}

ReturnState stateFor(RuleOutcome outcome)
{
    switch (outcome) {
    case RuleOutcome::Approve:
        return ReturnState::Authorised;
    case RuleOutcome::Reject:
        return ReturnState::Rejected;
    case RuleOutcome::Review:
        return ReturnState::Requested;
    }
    return ReturnState::Requested;
}

std::string describe(const RuleDecision& decision)
{
    return std::string(toString(decision.outcome)) + " by rule " + decision.rule + " (" + decision.source +
           "): " + decision.reason;
}

} // namespace

Desk::Desk(Store& store, OrderStore& orders, Ledger& ledger, RuleBook& rules, Options options)
    : store_(store), orders_(orders), ledger_(ledger), rules_(rules), options_(std::move(options))
{
    if (!options_.now) {
        options_.now = [] {
            return std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                .count();
        };
    }
    if (!options_.published) {
        options_.published = [](const Return&) {};
    }
}

std::string Desk::nowText() const
{
    return sync::formatTimestamp(std::chrono::system_clock::time_point(std::chrono::seconds(options_.now())));
}

Result<Order> Desk::orderFor(std::string_view orderId, std::optional<std::string_view> email)
{
    CENTRAL_TRY_ASSIGN(order, orders_.findOrder(orderId));
    // The same answer for an unknown order and a wrong e-mail: the portal must not tell which
    // order numbers exist.
    if (!order || (email && order->email != lower(*email))) {
        return fail(ErrorCode::NotFound,
                    email ? "no order " + std::string(orderId) + " with this e-mail address"
                          : "no order " + std::string(orderId));
    }
    return std::move(*order);
}

Result<std::vector<ReturnableLine>> Desk::returnable(std::string_view orderId, std::string_view email)
{
    CENTRAL_TRY_ASSIGN(order, orderFor(orderId, email));
    CENTRAL_TRY_ASSIGN(all, store_.returns());
    std::map<std::string, std::int64_t> returned;
    for (const Return& ret : all) {
        if (ret.orderId == order.orderId && holdsItems(ret)) {
            for (const ReturnLine& line : ret.lines) {
                returned[line.lineId] += line.quantity;
            }
        }
    }
    std::vector<ReturnableLine> out;
    for (const OrderLine& line : order.lines) {
        ReturnableLine item;
        item.line = line;
        CENTRAL_TRY_ASSIGN(catalogue, orders_.catalogueItem(line.sku));
        item.description = catalogue ? catalogue->description : line.sku;
        item.category = catalogue ? catalogue->category : "generic";
        item.catalogueReturnable = !catalogue || catalogue->returnable;
        item.alreadyReturned = returned[line.lineId];
        item.returnable =
            item.catalogueReturnable ? std::max<std::int64_t>(0, line.quantity - item.alreadyReturned) : 0;
        out.push_back(std::move(item));
    }
    return out;
}

Result<std::vector<ReturnLine>> Desk::linesFor(const Order& order, const std::vector<ItemRequest>& items)
{
    CENTRAL_TRY_ASSIGN(offer, returnable(order.orderId, order.email));
    std::vector<ReturnLine> lines;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const ItemRequest& item = items[i];
        const std::string where = "items[" + std::to_string(i) + "].";
        const auto found = std::find_if(offer.begin(), offer.end(), [&](const ReturnableLine& l) {
            return l.line.lineId == item.lineId;
        });
        if (found == offer.end()) {
            return fail(ErrorCode::Invalid,
                        where + "line_id: order " + order.orderId + " has no line \"" + item.lineId + "\"");
        }
        if (std::any_of(lines.begin(), lines.end(),
                        [&](const ReturnLine& l) { return l.lineId == item.lineId; })) {
            return fail(ErrorCode::Invalid, where + "line_id: line \"" + item.lineId + "\" is asked twice");
        }
        if (item.quantity < 1 || item.quantity > found->line.quantity) {
            return fail(ErrorCode::Invalid, where + "quantity: " + std::to_string(item.quantity) +
                                                " is not between 1 and the " +
                                                std::to_string(found->line.quantity) + " ordered");
        }
        // Catalogue-non-returnable items are left to the rules (non_returnable = true), so that
        // the decision names the rule; quantities already returned are not a matter of policy.
        if (found->catalogueReturnable && item.quantity > found->returnable) {
            return fail(ErrorCode::Invalid, where + "quantity: only " + std::to_string(found->returnable) +
                                                " of line \"" + item.lineId + "\" can still be returned");
        }
        CENTRAL_TRY_ASSIGN(catalogue, orders_.catalogueItem(found->line.sku));
        ReturnLine line;
        line.lineId = item.lineId;
        line.sku = found->line.sku;
        line.description = found->description;
        line.category = found->category;
        line.quantity = item.quantity;
        line.unitPrice = found->line.unitPrice;
        line.serials = found->line.serials;
        if (catalogue) {
            line.gtin = catalogue->gtin;
            line.expectedWeightG = catalogue->expectedWeightG;
        }
        if (!item.reason.empty()) {
            line.reason = item.reason;
        }
        lines.push_back(std::move(line));
    }
    return lines;
}

Result<std::vector<ReturnLine>> Desk::tradeInLines(const std::vector<ItemRequest>& items)
{
    std::vector<ReturnLine> lines;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const ItemRequest& item = items[i];
        const std::string where = "items[" + std::to_string(i) + "].";
        ReturnLine line;
        line.lineId = item.lineId.empty() ? std::to_string(i + 1) : item.lineId;
        if (!item.sku && !item.description) {
            return fail(ErrorCode::Invalid, where + "sku: a trade-in item needs a sku or a description");
        }
        if (item.quantity < 1) {
            return fail(ErrorCode::Invalid, where + "quantity: must be >= 1");
        }
        line.sku = item.sku.value_or("");
        line.quantity = item.quantity;
        line.reason = item.reason.empty() ? std::optional<std::string>("trade_in") : item.reason;
        if (item.serial) {
            line.serials.push_back(*item.serial);
        }
        std::optional<CatalogueItem> catalogue;
        if (item.sku) {
            CENTRAL_TRY_ASSIGN(found, orders_.catalogueItem(*item.sku));
            catalogue = std::move(found);
        }
        line.description = item.description.value_or(catalogue ? catalogue->description : line.sku);
        line.category = item.category.value_or(catalogue ? catalogue->category : "generic");
        if (!isKnownCategory(line.category)) {
            return fail(ErrorCode::Invalid,
                        where + "category: \"" + line.category + "\" is not electronics, apparel or generic");
        }
        if (catalogue) {
            line.gtin = catalogue->gtin;
            line.expectedWeightG = catalogue->expectedWeightG;
        }
        line.unitPrice = 0;
        lines.push_back(std::move(line));
    }
    return lines;
}

Result<RequestFacts> Desk::factsFor(const Return& ret, const std::optional<Order>& order)
{
    RequestFacts facts;
    facts.channel = ret.channel;
    facts.customer = lower(ret.customer.value_or(""));
    facts.now = options_.now();
    for (const ReturnLine& line : ret.lines) {
        RequestLine fact;
        fact.sku = line.sku;
        fact.category = line.category;
        fact.quantity = line.quantity;
        fact.unitPrice = line.unitPrice.value_or(0);
        if (ret.channel == "tradein" && ret.tradeInValue) {
            fact.unitPrice =
                *ret.tradeInValue / static_cast<double>(std::max<std::size_t>(1, ret.lines.size()));
            fact.quantity = 1;
        }
        CENTRAL_TRY_ASSIGN(catalogue, orders_.catalogueItem(line.sku));
        fact.returnable = !catalogue || catalogue->returnable;
        facts.lines.push_back(std::move(fact));
    }
    if (order) {
        const auto since = parseTime(order->deliveredAt.value_or(order->orderedAt));
        if (since) {
            facts.ageDays = (facts.now - *since) / kDay;
        }
    }
    if (!facts.customer.empty()) {
        CENTRAL_TRY_ASSIGN(all, store_.returns());
        for (const Return& other : all) {
            if (other.rmaId != ret.rmaId && lower(other.customer.value_or("")) == facts.customer &&
                other.state != ReturnState::Cancelled) {
                if (const auto at = parseTime(other.createdAt)) {
                    facts.previousReturns.push_back(*at);
                }
            }
        }
    }
    return facts;
}

Result<Created> Desk::decideAndRecord(Return ret, const RuleDecision& decision, std::string_view decidedBy,
                                      const std::optional<std::string>& email, std::string_view actor,
                                      bool receivedAtStore)
{
    const std::string at = nowText();
    ret.state = stateFor(decision.outcome);
    const Audit audit{std::string(actor), describe(decision), at, std::nullopt};
    CENTRAL_TRY(store_.transaction([&]() -> Result<void> {
        CENTRAL_TRY(ledger_.create(ret, audit));
        if (receivedAtStore && ret.state == ReturnState::Authorised) {
            CENTRAL_TRY(ledger_.move(ret.rmaId, ReturnState::Received,
                                     Audit{std::string(actor), "received at the store", at, std::nullopt}));
        }
        return {};
    }));
    DecisionRecord record{ret.rmaId,
                          std::string(toString(decision.outcome)),
                          decision.rule,
                          decision.source,
                          decision.reason,
                          std::string(decidedBy),
                          at};
    CENTRAL_TRY(orders_.transaction([&]() -> Result<void> {
        CENTRAL_TRY(orders_.recordDecision(record));
        if (email) {
            CENTRAL_TRY(orders_.setContact(ret.rmaId, *email));
        }
        return {};
    }));
    CENTRAL_TRY_ASSIGN(stored, store_.findReturn(ret.rmaId));
    if (!stored) {
        return fail(ErrorCode::Database, "return " + ret.rmaId + " vanished after it was written");
    }
    if (isOpen(*stored)) {
        options_.published(*stored);
    }
    return Created{std::move(*stored), std::move(record)};
}

Result<Created> Desk::create(const ReturnRequest& request)
{
    const std::string& channel = request.channel;
    if (channel != "portal" && channel != "customer_service" && channel != "store" && channel != "tradein") {
        return fail(ErrorCode::Invalid,
                    "channel: \"" + channel +
                        "\" cannot be created here; use portal, customer_service, store or tradein "
                        "(pre-printed labels are issued with the order, unannounced returns by stations)");
    }
    if (request.items.empty()) {
        return fail(ErrorCode::Invalid, "items: list at least one item to return");
    }
    if (channel == "portal") {
        for (std::size_t i = 0; i < request.items.size(); ++i) {
            if (request.items[i].reason.empty()) {
                return fail(ErrorCode::Invalid, "items[" + std::to_string(i) + "].reason: missing; say why");
            }
        }
    }
    std::optional<std::string> email;
    if (request.email) {
        if (request.email->find('@') == std::string::npos) {
            return fail(ErrorCode::Invalid, "email: \"" + *request.email + "\" is not an e-mail address");
        }
        email = lower(*request.email);
    }
    Return ret;
    ret.channel = channel;
    std::optional<Order> order;
    if (channel == "tradein") {
        if (!email) {
            return fail(ErrorCode::Invalid, "email: a trade-in needs the customer's e-mail address");
        }
        if (!request.tradeInValue || !(*request.tradeInValue >= 0)) {
            return fail(ErrorCode::Invalid,
                        "trade_in_value: a trade-in needs the provisional value offered (>= 0)");
        }
        ret.tradeInValue = request.tradeInValue;
        CENTRAL_TRY_ASSIGN(lines, tradeInLines(request.items));
        ret.lines = std::move(lines);
    } else {
        if (!request.orderId || request.orderId->empty()) {
            return fail(ErrorCode::Invalid, "order_id: missing");
        }
        if (channel == "portal" && !email) {
            return fail(ErrorCode::Invalid, "email: missing; the portal needs the order's e-mail address");
        }
        std::optional<std::string_view> check;
        if (email) {
            check = *email;
        }
        CENTRAL_TRY_ASSIGN(found, orderFor(*request.orderId, check));
        CENTRAL_TRY_ASSIGN(lines, linesFor(found, request.items));
        ret.orderId = found.orderId;
        ret.lines = std::move(lines);
        if (!email) {
            email = found.email;
        }
        order = std::move(found);
    }
    ret.customer = email;

    RuleDecision decision;
    std::string decidedBy;
    if (request.forced) {
        if (!request.forcedReason || request.forcedReason->empty()) {
            return fail(ErrorCode::Invalid, "override.reason: an override needs a reason");
        }
        if (*request.forced == RuleOutcome::Review) {
            return fail(ErrorCode::Invalid, "override.decision: use approve or reject");
        }
        decision = RuleDecision{*request.forced, "manual", request.actor, *request.forcedReason, ""};
        decidedBy = request.actor;
    } else {
        CENTRAL_TRY_ASSIGN(facts, factsFor(ret, order));
        decision = evaluate(rules_.current(), facts);
        decidedBy = "rules:" + rules_.current().file;
    }
    CENTRAL_TRY_ASSIGN(number, orders_.nextRmaNumber(options_.rmaPrefix));
    ret.rmaId = number;
    ret.labelBarcode = number;
    return decideAndRecord(std::move(ret), decision, decidedBy, email, request.actor, channel == "store");
}

Result<Return> Desk::issuePreprinted(std::string_view orderId, std::string_view actor)
{
    CENTRAL_TRY_ASSIGN(order, orderFor(orderId, std::nullopt));
    std::vector<ItemRequest> items;
    for (const OrderLine& line : order.lines) {
        items.push_back(ItemRequest{line.lineId, line.quantity, "", {}, {}, {}, {}});
    }
    CENTRAL_TRY_ASSIGN(lines, linesFor(order, items));
    CENTRAL_TRY_ASSIGN(number, orders_.nextRmaNumber(options_.rmaPrefix));
    Return ret;
    ret.rmaId = number;
    ret.labelBarcode = number;
    ret.channel = "preprinted";
    ret.state = ReturnState::Requested;
    ret.orderId = order.orderId;
    ret.customer = order.email;
    ret.lines = std::move(lines);
    const Audit audit{std::string(actor), "pre-printed return label issued with order " + order.orderId,
                      nowText(), std::nullopt};
    CENTRAL_TRY(store_.transaction([&]() -> Result<void> { return ledger_.create(ret, audit); }));
    CENTRAL_TRY(orders_.transaction([&]() { return orders_.setContact(ret.rmaId, order.email); }));
    CENTRAL_TRY_ASSIGN(stored, store_.findReturn(ret.rmaId));
    return std::move(stored.value());
}

Result<Created> Desk::activate(std::string_view rmaId, std::string_view actor)
{
    CENTRAL_TRY_ASSIGN(ret, store_.findReturn(rmaId));
    if (!ret) {
        return fail(ErrorCode::NotFound, "no return " + std::string(rmaId));
    }
    if (ret->channel != "preprinted") {
        return fail(ErrorCode::Invalid, "return " + std::string(rmaId) +
                                            " is not a pre-printed label (channel " + ret->channel + ")");
    }
    if (ret->state != ReturnState::Requested) {
        return fail(ErrorCode::Invalid, "return " + std::string(rmaId) + " was activated already (state " +
                                            std::string(toString(ret->state)) + ")");
    }
    std::optional<Order> order;
    if (ret->orderId) {
        CENTRAL_TRY_ASSIGN(found, orders_.findOrder(*ret->orderId));
        order = std::move(found);
    }
    CENTRAL_TRY_ASSIGN(facts, factsFor(*ret, order));
    const RuleDecision decision = evaluate(rules_.current(), facts);
    return decideExisting(*ret, decision, "rules:" + rules_.current().file, actor);
}

Result<Created> Desk::decide(std::string_view rmaId, RuleOutcome outcome, std::string_view reviewer,
                             std::string_view reason)
{
    if (outcome == RuleOutcome::Review) {
        return fail(ErrorCode::Invalid, "decision: use approve or reject");
    }
    if (reason.empty()) {
        return fail(ErrorCode::Invalid, "reason: a decision needs a reason");
    }
    CENTRAL_TRY_ASSIGN(ret, store_.findReturn(rmaId));
    if (!ret) {
        return fail(ErrorCode::NotFound, "no return " + std::string(rmaId));
    }
    CENTRAL_TRY(Ledger::check(rmaId, ret->state, stateFor(outcome)));
    const RuleDecision decision{outcome, "manual", std::string(reviewer), std::string(reason), ""};
    return decideExisting(*ret, decision, reviewer, reviewer);
}

Result<Created> Desk::decideExisting(const Return& ret, const RuleDecision& decision,
                                     std::string_view decidedBy, std::string_view actor)
{
    const std::string at = nowText();
    const ReturnState to = stateFor(decision.outcome);
    if (to != ret.state) {
        CENTRAL_TRY(store_.transaction([&]() -> Result<void> {
            CENTRAL_TRY(
                ledger_.move(ret.rmaId, to, Audit{std::string(actor), describe(decision), at, std::nullopt}));
            return {};
        }));
    }
    DecisionRecord record{ret.rmaId,
                          std::string(toString(decision.outcome)),
                          decision.rule,
                          decision.source,
                          decision.reason,
                          std::string(decidedBy),
                          at};
    CENTRAL_TRY(orders_.transaction([&]() { return orders_.recordDecision(record); }));
    CENTRAL_TRY_ASSIGN(stored, store_.findReturn(ret.rmaId));
    if (isOpen(*stored) || isOpen(ret)) {
        options_.published(*stored);
    }
    return Created{std::move(*stored), std::move(record)};
}

Result<Return> Desk::cancel(std::string_view rmaId, std::string_view actor, std::string_view reason)
{
    if (reason.empty()) {
        return fail(ErrorCode::Invalid, "reason: say why the return is cancelled");
    }
    CENTRAL_TRY_ASSIGN(before, store_.findReturn(rmaId));
    if (!before) {
        return fail(ErrorCode::NotFound, "no return " + std::string(rmaId));
    }
    CENTRAL_TRY(store_.transaction([&]() -> Result<void> {
        CENTRAL_TRY(ledger_.move(rmaId, ReturnState::Cancelled,
                                 Audit{std::string(actor), std::string(reason), nowText(), std::nullopt}));
        return {};
    }));
    CENTRAL_TRY_ASSIGN(stored, store_.findReturn(rmaId));
    if (isOpen(*before)) {
        options_.published(*stored); // the stations drop it
    }
    return std::move(*stored);
}

Result<ReturnView> Desk::view(std::string_view rmaId)
{
    CENTRAL_TRY_ASSIGN(ret, store_.findReturn(rmaId));
    if (!ret) {
        return fail(ErrorCode::NotFound, "no return " + std::string(rmaId));
    }
    ReturnView out;
    out.ret = std::move(*ret);
    CENTRAL_TRY_ASSIGN(history, store_.transitions(rmaId));
    out.history = std::move(history);
    CENTRAL_TRY_ASSIGN(decisions, orders_.decisions(rmaId));
    out.decisions = std::move(decisions);
    CENTRAL_TRY_ASSIGN(email, orders_.contact(rmaId));
    out.email = std::move(email);
    return out;
}

Result<ReturnView> Desk::viewAsCustomer(std::string_view rmaId, std::string_view email)
{
    auto found = view(rmaId);
    if (!found && found.error().code != ErrorCode::NotFound) {
        return found;
    }
    if (!found || !found->email || *found->email != lower(email)) {
        return fail(ErrorCode::NotFound, "no return " + std::string(rmaId) + " with this e-mail address");
    }
    return found;
}

Result<std::vector<Return>> Desk::list(const ReturnFilter& filter)
{
    CENTRAL_TRY_ASSIGN(all, store_.returns());
    std::vector<Return> out;
    for (Return& ret : all) {
        if ((filter.state && ret.state != *filter.state) ||
            (filter.channel && ret.channel != *filter.channel) ||
            (filter.orderId && ret.orderId != *filter.orderId) ||
            (filter.customer && lower(ret.customer.value_or("")) != lower(*filter.customer))) {
            continue;
        }
        if (filter.reviewOnly) {
            if (ret.state != ReturnState::Requested) {
                continue;
            }
            CENTRAL_TRY_ASSIGN(decisions, orders_.decisions(ret.rmaId));
            if (decisions.empty() || decisions.back().outcome != "review") {
                continue;
            }
        }
        out.push_back(std::move(ret));
    }
    return out;
}

Result<std::size_t> Desk::importOrders(const std::vector<Order>& orders)
{
    for (std::size_t i = 0; i < orders.size(); ++i) {
        if (auto problem = checkOrder(orders[i])) {
            return fail(ErrorCode::Invalid, "orders[" + std::to_string(i) + "]." + *problem);
        }
    }
    CENTRAL_TRY(orders_.transaction([&]() -> Result<void> {
        for (Order order : orders) {
            order.email = lower(order.email);
            CENTRAL_TRY(orders_.putOrder(order));
        }
        return {};
    }));
    return orders.size();
}

Result<std::size_t> Desk::importCatalogue(const std::vector<CatalogueItem>& items)
{
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (auto problem = checkCatalogueItem(items[i])) {
            return fail(ErrorCode::Invalid, "items[" + std::to_string(i) + "]." + *problem);
        }
    }
    CENTRAL_TRY(orders_.transaction([&]() -> Result<void> {
        for (const CatalogueItem& item : items) {
            CENTRAL_TRY(orders_.putCatalogueItem(item));
        }
        return {};
    }));
    return items.size();
}

bool isParcelEventKind(std::string_view kind)
{
    return kind == "carrier_scan" || kind == "drop_off" || kind == "store_receipt";
}

Result<ParcelEventResult> Desk::recordParcelEvent(std::string_view rmaId, const ParcelEvent& event)
{
    if (!isParcelEventKind(event.kind)) {
        return fail(ErrorCode::Invalid,
                    "kind: \"" + event.kind + "\" is not carrier_scan, drop_off or store_receipt");
    }
    if (event.actor.empty()) {
        return fail(ErrorCode::Invalid, "actor: say who saw the parcel (carrier, drop-off point or store)");
    }
    if (event.at && !sync::parseTimestamp(*event.at)) {
        return fail(ErrorCode::Invalid, "at: \"" + *event.at + "\" is not an RFC 3339 UTC time");
    }
    CENTRAL_TRY_ASSIGN(found, store_.findReturn(rmaId));
    if (!found) {
        return fail(ErrorCode::NotFound, "no return " + std::string(rmaId));
    }
    Return ret = std::move(*found);
    // A pre-printed label's first sight: the rules decide, as for activate().
    if (ret.channel == "preprinted" && ret.state == ReturnState::Requested) {
        CENTRAL_TRY_ASSIGN(activated, activate(rmaId, event.actor));
        ret = std::move(activated.ret);
    }
    if (ret.state != ReturnState::Authorised) {
        if (Ledger::isForward(ReturnState::Authorised, ret.state) && !Ledger::isSettled(ret.state) &&
            ret.state != ReturnState::Rejected) {
            return ParcelEventResult{std::move(ret), false};
        }
        return fail(ErrorCode::Invalid, "return " + ret.rmaId + " is " + std::string(toString(ret.state)) +
                                            ": no parcel is expected for it");
    }
    std::string reason = event.kind == "carrier_scan" ? "carrier scan"
                         : event.kind == "drop_off"   ? "handed in at a drop-off point"
                                                      : "taken in at a store to be sent on";
    if (event.location) {
        reason += " at " + *event.location;
    }
    if (event.tracking) {
        reason += ", tracking " + *event.tracking;
    }
    const Audit audit{event.actor, reason, event.at.value_or(nowText()), std::nullopt};
    CENTRAL_TRY(store_.transaction([&]() -> Result<void> {
        CENTRAL_TRY(ledger_.move(ret.rmaId, ReturnState::InTransit, audit));
        return {};
    }));
    CENTRAL_TRY_ASSIGN(stored, store_.findReturn(ret.rmaId));
    options_.published(*stored); // the stations see it in transit
    return ParcelEventResult{std::move(*stored), true};
}

Result<std::vector<Return>> Desk::expire(int afterDays)
{
    const std::int64_t now = options_.now();
    const std::int64_t limit = static_cast<std::int64_t>(afterDays) * kDay;
    CENTRAL_TRY_ASSIGN(all, store_.returns());
    std::vector<Return> expired;
    for (const Return& ret : all) {
        if (ret.state != ReturnState::Authorised) {
            continue;
        }
        // An authorised return's last change is its authorisation.
        const auto since = sync::parseTimestamp(ret.updatedAt);
        if (!since) {
            continue;
        }
        const std::int64_t at =
            std::chrono::duration_cast<std::chrono::seconds>(since->time_since_epoch()).count();
        if (now - at < limit) {
            continue;
        }
        CENTRAL_TRY(store_.transaction([&]() -> Result<void> {
            CENTRAL_TRY(ledger_.move(ret.rmaId, ReturnState::Expired,
                                     Audit{"expiry",
                                           "no parcel within " + std::to_string(afterDays) +
                                               " day(s) of authorisation (" + ret.updatedAt + ")",
                                           nowText(), std::nullopt}));
            return {};
        }));
        CENTRAL_TRY_ASSIGN(stored, store_.findReturn(ret.rmaId));
        options_.published(*stored); // the stations drop it
        expired.push_back(std::move(*stored));
    }
    return expired;
}

Result<std::optional<Return>> Desk::preprintedFor(std::string_view label)
{
    if (label.empty()) {
        return std::optional<Return>();
    }
    // The number issued with the order (its label reads the RMA number).
    CENTRAL_TRY_ASSIGN(issued, store_.findReturn(label));
    if (issued) {
        return issued;
    }
    // A label that names the order: a new return for what of it can still be returned.
    CENTRAL_TRY_ASSIGN(order, orders_.findOrder(label));
    if (!order) {
        return std::optional<Return>();
    }
    CENTRAL_TRY_ASSIGN(offer, returnable(order->orderId, order->email));
    std::vector<ItemRequest> items;
    for (const ReturnableLine& line : offer) {
        if (line.returnable > 0) {
            items.push_back(ItemRequest{line.line.lineId, line.returnable, "", {}, {}, {}, {}});
        }
    }
    if (items.empty()) {
        return std::optional<Return>();
    }
    CENTRAL_TRY_ASSIGN(lines, linesFor(*order, items));
    Return ret;
    ret.channel = "preprinted";
    ret.state = ReturnState::Received;
    ret.orderId = order->orderId;
    ret.customer = order->email;
    ret.labelBarcode = std::string(label);
    ret.lines = std::move(lines);
    return std::optional<Return>(std::move(ret));
}

} // namespace retour::central
