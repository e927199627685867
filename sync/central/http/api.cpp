// The HTTP JSON API's routes, checks and documents (docs/openapi.yaml).
#include "http/api.h"

#include "ledger/publisher.h"
#include "retour/contract/message.h"

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>

namespace retour::central {

namespace {

using nlohmann::json;

// A request that cannot be served: its HTTP status and the message (naming the field).
struct Problem
{
    int status;
    std::string message;
};

ApiResponse jsonResponse(int status, const json& body)
{
    return ApiResponse{status, "application/json", body.dump(-1, ' ', false, json::error_handler_t::replace)};
}

ApiResponse problem(int status, const std::string& message)
{
    return jsonResponse(status, json{{"error", {{"status", status}, {"message", message}}}});
}

ApiResponse fromError(const Error& error)
{
    switch (error.code) {
    case ErrorCode::Invalid:
        return problem(422, error.message);
    case ErrorCode::NotFound:
        return problem(404, error.message);
    case ErrorCode::Database:
    case ErrorCode::Broker:
        break;
    }
    return problem(500, error.message);
}

template <class T> json orNull(const std::optional<T>& value)
{
    return value ? json(*value) : json(nullptr);
}

// The stations' RMA document (docs/messages.md "Downlink") with the ledger's own fields.
json returnJson(const Return& ret, std::string_view site)
{
    json out = sync::toJson(rmaDocument(site, ret));
    out["parcels"] = ret.parcelIds;
    out["created_at"] = ret.createdAt;
    out["updated_at"] = ret.updatedAt;
    return out;
}

json decisionJson(const DecisionRecord& d)
{
    return {{"outcome", d.outcome},        {"rule", d.rule},
            {"rule_source", d.ruleSource}, {"reason", d.reason},
            {"decided_by", d.decidedBy},   {"at", d.at}};
}

json viewJson(const ReturnView& view, bool staff, std::string_view site)
{
    json out = returnJson(view.ret, site);
    json history = json::array();
    for (const Transition& t : view.history) {
        json row = {{"from", t.from ? json(toString(*t.from)) : json(nullptr)},
                    {"to", toString(t.to)},
                    {"at", t.at},
                    {"reason", t.reason}};
        if (staff) {
            row["actor"] = t.actor;
            row["event_id"] = orNull(t.eventId);
        }
        history.push_back(std::move(row));
    }
    out["history"] = std::move(history);
    json decisions = json::array();
    for (const DecisionRecord& d : view.decisions) {
        decisions.push_back(decisionJson(d));
    }
    out["decisions"] = std::move(decisions);
    if (!staff) {
        // The customer sees the outcome and its reason, not the rule book.
        for (json& d : out["decisions"]) {
            d.erase("rule_source");
            d.erase("decided_by");
        }
    }
    return out;
}

json createdJson(const Created& created, std::string_view site)
{
    json out = returnJson(created.ret, site);
    out["decision"] = decisionJson(created.decision);
    return out;
}

// Typed reads from a JSON object; the first problem is kept with the field's path.
class Body
{
public:
    explicit Body(const std::string& text)
    {
        doc_ = json::parse(text, nullptr, false);
        if (doc_.is_discarded()) {
            problem_ = "body: not valid JSON";
        } else if (!doc_.is_object()) {
            problem_ = "body: must be a JSON object";
        }
    }
    Body(json doc, std::string prefix) : doc_(std::move(doc)), prefix_(std::move(prefix))
    {
        if (!doc_.is_object()) {
            problem_ = prefix_ + ": must be an object";
        }
    }

    std::optional<std::string> optString(const std::string& key)
    {
        const json* value = find(key);
        if (value == nullptr) {
            return std::nullopt;
        }
        if (!value->is_string()) {
            bad(key, "must be a string");
            return std::nullopt;
        }
        return value->get<std::string>();
    }
    std::string string(const std::string& key)
    {
        auto value = optString(key);
        if (!problem_ && (!value || value->empty())) {
            bad(key, "missing");
        }
        return value.value_or("");
    }
    std::optional<double> optNumber(const std::string& key)
    {
        const json* value = find(key);
        if (value == nullptr) {
            return std::nullopt;
        }
        if (!value->is_number()) {
            bad(key, "must be a number");
            return std::nullopt;
        }
        return value->get<double>();
    }
    std::optional<bool> optBool(const std::string& key)
    {
        const json* value = find(key);
        if (value == nullptr) {
            return std::nullopt;
        }
        if (!value->is_boolean()) {
            bad(key, "must be true or false");
            return std::nullopt;
        }
        return value->get<bool>();
    }
    std::optional<std::int64_t> optInteger(const std::string& key)
    {
        const json* value = find(key);
        if (value == nullptr) {
            return std::nullopt;
        }
        if (!value->is_number_integer()) {
            bad(key, "must be a whole number");
            return std::nullopt;
        }
        return value->get<std::int64_t>();
    }
    std::vector<json> array(const std::string& key)
    {
        const json* value = find(key);
        if (value == nullptr || !value->is_array()) {
            bad(key, value == nullptr ? "missing" : "must be an array");
            return {};
        }
        return value->get<std::vector<json>>();
    }
    const json* object(const std::string& key)
    {
        const json* value = find(key);
        if (value != nullptr && !value->is_object()) {
            bad(key, "must be an object");
            return nullptr;
        }
        return value;
    }
    std::string path(const std::string& key) const { return prefix_.empty() ? key : prefix_ + "." + key; }

    void bad(const std::string& key, const std::string& what)
    {
        if (!problem_) {
            problem_ = path(key) + ": " + what;
        }
    }
    void adopt(const std::optional<std::string>& problem)
    {
        if (!problem_ && problem) {
            problem_ = problem;
        }
    }
    const std::optional<std::string>& problem() const { return problem_; }

private:
    const json* find(const std::string& key) const
    {
        if (problem_ || !doc_.is_object()) {
            return nullptr;
        }
        const auto it = doc_.find(key);
        return it == doc_.end() || it->is_null() ? nullptr : &*it;
    }

    json doc_;
    std::string prefix_;
    std::optional<std::string> problem_;
};

std::vector<ItemRequest> readItems(Body& body)
{
    std::vector<ItemRequest> items;
    const std::vector<json> array = body.array("items");
    for (std::size_t i = 0; i < array.size(); ++i) {
        Body item(array[i], body.path("items[" + std::to_string(i) + "]"));
        ItemRequest request;
        request.lineId = item.optString("line_id").value_or("");
        request.quantity = item.optInteger("quantity").value_or(1);
        request.reason = item.optString("reason").value_or("");
        request.sku = item.optString("sku");
        request.description = item.optString("description");
        request.category = item.optString("category");
        request.serial = item.optString("serial");
        body.adopt(item.problem());
        items.push_back(std::move(request));
    }
    return items;
}

std::vector<std::string> split(const std::string& path)
{
    std::vector<std::string> parts;
    std::size_t start = 1;
    while (start <= path.size()) {
        const auto end = path.find('/', start);
        const std::string part =
            path.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!part.empty()) {
            parts.push_back(part);
        }
        if (end == std::string::npos) {
            break;
        }
        start = end + 1;
    }
    return parts;
}

bool sameSecret(const std::string& a, const std::string& b)
{
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<RuleOutcome> parseDecision(const std::string& text)
{
    if (text == "approve") {
        return RuleOutcome::Approve;
    }
    if (text == "reject") {
        return RuleOutcome::Reject;
    }
    return std::nullopt;
}

ApiResponse listResponse(const Result<std::vector<Return>>& returns, std::string_view site)
{
    if (!returns) {
        return fromError(returns.error());
    }
    json out = json::array();
    for (const Return& ret : *returns) {
        out.push_back(returnJson(ret, site));
    }
    return jsonResponse(200, json{{"returns", std::move(out)}});
}

Order readOrder(Body& body)
{
    Order order;
    order.orderId = body.string("order_id");
    order.email = body.string("email");
    order.customer = body.optString("customer");
    order.orderedAt = body.string("ordered_at");
    order.deliveredAt = body.optString("delivered_at");
    const std::vector<json> lines = body.array("lines");
    for (std::size_t i = 0; i < lines.size(); ++i) {
        Body line(lines[i], body.path("lines[" + std::to_string(i) + "]"));
        OrderLine out;
        out.lineId = line.string("line_id");
        out.sku = line.string("sku");
        out.quantity = line.optInteger("quantity").value_or(1);
        out.unitPrice = line.optNumber("unit_price").value_or(-1);
        const json* serials = nullptr;
        if (lines[i].is_object() && lines[i].contains("serials")) {
            serials = &lines[i]["serials"];
        }
        if (serials != nullptr && !serials->is_null()) {
            if (!serials->is_array() ||
                !std::all_of(serials->begin(), serials->end(), [](const json& s) { return s.is_string(); })) {
                line.bad("serials", "must be an array of strings");
            } else {
                out.serials = serials->get<std::vector<std::string>>();
            }
        }
        body.adopt(line.problem());
        order.lines.push_back(std::move(out));
    }
    if (!body.problem()) {
        if (auto wrong = checkOrder(order)) {
            body.adopt(body.path(*wrong));
        }
    }
    return order;
}

CatalogueItem readItem(Body& body)
{
    CatalogueItem item;
    item.sku = body.string("sku");
    item.gtin = body.optString("gtin");
    item.description = body.string("description");
    item.category = body.optString("category").value_or("generic");
    item.price = body.optNumber("price");
    item.expectedWeightG = body.optNumber("expected_weight_g");
    item.returnable = body.optBool("returnable").value_or(true);
    if (!body.problem()) {
        if (auto wrong = checkCatalogueItem(item)) {
            body.adopt(body.path(*wrong));
        }
    }
    return item;
}

} // namespace

ApiResponse Api::handle(const ApiRequest& request)
{
    const std::vector<std::string> parts = split(request.path);
    if (parts.size() < 2 || parts[0] != "api" || parts[1] != "v1") {
        return problem(404, "no such endpoint: " + request.path);
    }
    if (parts.size() == 3 && parts[2] == "health" && request.method == "GET") {
        return jsonResponse(200, json{{"status", "ok"}, {"site", site_}});
    }
    if (parts.size() >= 3 && parts[2] == "portal") {
        return portal(request, parts);
    }
    const std::string expected = "Bearer " + token_;
    if (token_.empty() || !sameSecret(request.authorization, expected)) {
        return problem(401, "Authorization: a staff endpoint needs \"Authorization: Bearer <token>\"");
    }
    return staff(request, parts);
}

ApiResponse Api::portal(const ApiRequest& request, const std::vector<std::string>& parts)
{
    const std::string& method = request.method;
    // POST /api/v1/portal/lookup {order_id, email}
    if (parts.size() == 4 && parts[3] == "lookup" && method == "POST") {
        Body body(request.body);
        const std::string orderId = body.string("order_id");
        const std::string email = body.string("email");
        if (body.problem()) {
            return problem(400, *body.problem());
        }
        auto offer = desk_.returnable(orderId, email);
        if (!offer) {
            return fromError(offer.error());
        }
        json items = json::array();
        for (const ReturnableLine& line : *offer) {
            items.push_back({{"line_id", line.line.lineId},
                             {"sku", line.line.sku},
                             {"description", line.description},
                             {"category", line.category},
                             {"quantity", line.line.quantity},
                             {"unit_price", line.line.unitPrice},
                             {"already_returned", line.alreadyReturned},
                             {"returnable", line.returnable}});
        }
        return jsonResponse(200, json{{"order_id", orderId}, {"items", std::move(items)}});
    }
    // POST /api/v1/portal/returns {order_id, email, items}
    if (parts.size() == 4 && parts[3] == "returns" && method == "POST") {
        Body body(request.body);
        ReturnRequest create;
        create.channel = "portal";
        create.orderId = body.string("order_id");
        create.email = body.string("email");
        create.items = readItems(body);
        if (body.problem()) {
            return problem(400, *body.problem());
        }
        create.actor = "customer:" + *create.email;
        auto created = desk_.create(create);
        return created ? jsonResponse(201, createdJson(*created, site_)) : fromError(created.error());
    }
    // GET /api/v1/portal/returns/{rma}?email=…  and  …/label.png?email=…
    if (parts.size() >= 5 && parts[3] == "returns") {
        const auto email = request.query.find("email");
        std::string address = email != request.query.end() ? email->second : "";
        std::optional<Body> body;
        if (method == "POST") {
            body.emplace(request.body);
            address = body->string("email");
            if (body->problem()) {
                return problem(400, *body->problem());
            }
        }
        if (address.empty()) {
            return problem(400, "email: missing (the e-mail address the return was asked with)");
        }
        auto view = desk_.viewAsCustomer(parts[4], address);
        if (!view) {
            return fromError(view.error());
        }
        if (parts.size() == 5 && method == "GET") {
            return jsonResponse(200, viewJson(*view, false, site_));
        }
        if (parts.size() == 6 && parts[5] == "label.png" && method == "GET") {
            if (view->ret.state != ReturnState::Authorised && view->ret.state != ReturnState::InTransit) {
                return problem(409, "return " + view->ret.rmaId + " has no label to print (state " +
                                        std::string(toString(view->ret.state)) + ")");
            }
            auto png =
                label_ ? label_(view->ret) : Result<std::string>(fail(ErrorCode::Invalid, "no labels"));
            if (!png) {
                return fromError(png.error());
            }
            return ApiResponse{200, "image/png", std::move(*png)};
        }
        if (parts.size() == 6 && parts[5] == "cancel" && method == "POST") {
            const std::string reason = body->optString("reason").value_or("cancelled by the customer");
            auto cancelled = desk_.cancel(parts[4], "customer:" + address, reason);
            return cancelled ? jsonResponse(200, returnJson(*cancelled, site_))
                             : fromError(cancelled.error());
        }
    }
    return problem(404, "no such endpoint: " + method + " " + request.path);
}

ApiResponse Api::staff(const ApiRequest& request, const std::vector<std::string>& parts)
{
    const std::string& method = request.method;
    const auto n = parts.size();
    // POST /api/v1/returns: every channel that starts off the bench
    if (n == 3 && parts[2] == "returns" && method == "POST") {
        Body body(request.body);
        ReturnRequest create;
        create.channel = body.string("channel");
        create.orderId = body.optString("order_id");
        create.email = body.optString("email");
        create.items = readItems(body);
        create.tradeInValue = body.optNumber("trade_in_value");
        const auto agent = body.optString("agent");
        const auto store = body.optString("store");
        if (const json* override = body.object("override")) {
            Body forced(*override, "override");
            const std::string decision = forced.string("decision");
            create.forced = parseDecision(decision);
            if (!forced.problem() && !create.forced) {
                forced.bad("decision", "\"" + decision + "\" is not approve or reject");
            }
            create.forcedReason = forced.string("reason");
            body.adopt(forced.problem());
        }
        if (!body.problem()) {
            if (create.channel == "customer_service" && !agent) {
                body.bad("agent", "missing; customer service returns name the agent");
            } else if (create.channel == "store" && !store) {
                body.bad("store", "missing; in-store returns name the store");
            } else if (create.forced && !agent) {
                body.bad("agent", "missing; an override names the agent");
            }
        }
        if (body.problem()) {
            return problem(400, *body.problem());
        }
        create.actor = store ? "store:" + *store : agent ? "agent:" + *agent : "api:" + create.channel;
        auto created = desk_.create(create);
        return created ? jsonResponse(201, createdJson(*created, site_)) : fromError(created.error());
    }
    // GET /api/v1/returns?state=&channel=&order_id=&customer=
    if (n == 3 && parts[2] == "returns" && method == "GET") {
        ReturnFilter filter;
        for (const auto& [key, value] : request.query) {
            if (key == "state") {
                filter.state = parseReturnState(value);
                if (!filter.state) {
                    return problem(400, "state: \"" + value + "\" is not a return state");
                }
            } else if (key == "channel") {
                if (!isKnownChannel(value)) {
                    return problem(400, "channel: \"" + value + "\" is not a channel");
                }
                filter.channel = value;
            } else if (key == "order_id") {
                filter.orderId = value;
            } else if (key == "customer") {
                filter.customer = value;
            } else {
                return problem(400, key + ": unknown filter; use state, channel, order_id or customer");
            }
        }
        return listResponse(desk_.list(filter), site_);
    }
    // GET /api/v1/review: the manual review queue
    if (n == 3 && parts[2] == "review" && method == "GET") {
        ReturnFilter filter;
        filter.reviewOnly = true;
        return listResponse(desk_.list(filter), site_);
    }
    if (n == 4 && parts[2] == "returns" && method == "GET") {
        auto view = desk_.view(parts[3]);
        return view ? jsonResponse(200, viewJson(*view, true, site_)) : fromError(view.error());
    }
    if (n == 5 && parts[2] == "returns" && method == "POST") {
        Body body(request.body);
        const std::string& rmaId = parts[3];
        if (parts[4] == "cancel") {
            const std::string actor = body.string("actor");
            const std::string reason = body.string("reason");
            if (body.problem()) {
                return problem(400, *body.problem());
            }
            auto cancelled = desk_.cancel(rmaId, actor, reason);
            return cancelled ? jsonResponse(200, returnJson(*cancelled, site_))
                             : fromError(cancelled.error());
        }
        if (parts[4] == "decision") {
            const std::string decision = body.string("decision");
            const std::string reviewer = body.string("reviewer");
            const std::string reason = body.string("reason");
            const auto outcome = parseDecision(decision);
            if (!body.problem() && !outcome) {
                body.bad("decision", "\"" + decision + "\" is not approve or reject");
            }
            if (body.problem()) {
                return problem(400, *body.problem());
            }
            auto decided = desk_.decide(rmaId, *outcome, "reviewer:" + reviewer, reason);
            return decided ? jsonResponse(200, createdJson(*decided, site_)) : fromError(decided.error());
        }
        // POST /api/v1/returns/{rma}/events {kind, actor, at?, location?, tracking?}
        if (parts[4] == "events") {
            ParcelEvent event;
            event.kind = body.string("kind");
            event.actor = body.string("actor");
            event.at = body.optString("at");
            event.location = body.optString("location");
            event.tracking = body.optString("tracking");
            if (!body.problem() && !isParcelEventKind(event.kind)) {
                body.bad("kind", "\"" + event.kind + "\" is not carrier_scan, drop_off or store_receipt");
            }
            if (!body.problem() && event.at && !sync::parseTimestamp(*event.at)) {
                body.bad("at", "\"" + *event.at + "\" is not an RFC 3339 UTC time");
            }
            if (body.problem()) {
                return problem(400, *body.problem());
            }
            auto recorded = desk_.recordParcelEvent(rmaId, event);
            if (!recorded) {
                return recorded.error().code == ErrorCode::Invalid ? problem(409, recorded.error().message)
                                                                   : fromError(recorded.error());
            }
            json out = returnJson(recorded->ret, site_);
            out["moved"] = recorded->moved;
            return jsonResponse(200, out);
        }
        if (parts[4] == "activate") {
            const std::string actor = body.string("actor");
            if (body.problem()) {
                return problem(400, *body.problem());
            }
            auto activated = desk_.activate(rmaId, actor);
            return activated ? jsonResponse(200, createdJson(*activated, site_))
                             : fromError(activated.error());
        }
    }
    // POST /api/v1/orders/{order}/preprinted: a return number issued with the order
    if (n == 5 && parts[2] == "orders" && parts[4] == "preprinted" && method == "POST") {
        Body body(request.body);
        const std::string agent = body.string("agent");
        if (body.problem()) {
            return problem(400, *body.problem());
        }
        auto issued = desk_.issuePreprinted(parts[3], "agent:" + agent);
        return issued ? jsonResponse(201, returnJson(*issued, site_)) : fromError(issued.error());
    }
    // POST /api/v1/orders {orders: [...]}, POST /api/v1/catalogue {items: [...]}
    if (n == 3 && (parts[2] == "orders" || parts[2] == "catalogue") && method == "POST") {
        Body body(request.body);
        const bool orders = parts[2] == "orders";
        const std::vector<json> array = body.array(orders ? "orders" : "items");
        std::vector<Order> orderList;
        std::vector<CatalogueItem> itemList;
        for (std::size_t i = 0; i < array.size() && !body.problem(); ++i) {
            Body entry(array[i], (orders ? "orders[" : "items[") + std::to_string(i) + "]");
            if (orders) {
                orderList.push_back(readOrder(entry));
            } else {
                itemList.push_back(readItem(entry));
            }
            body.adopt(entry.problem());
        }
        if (body.problem()) {
            return problem(400, *body.problem());
        }
        auto imported = orders ? desk_.importOrders(orderList) : desk_.importCatalogue(itemList);
        return imported ? jsonResponse(200, json{{"imported", *imported}}) : fromError(imported.error());
    }
    // POST /api/v1/rules/reload
    if (n == 4 && parts[2] == "rules" && parts[3] == "reload" && method == "POST") {
        auto reloaded = desk_.rules().reload();
        if (!reloaded) {
            return problem(422, reloaded.error().format() + " (the rules in force stay)");
        }
        const RuleSet& rules = desk_.rules().current();
        return jsonResponse(
            200, json{{"file", rules.file}, {"version", rules.version}, {"rules", rules.rules.size()}});
    }
    if (extra_) {
        if (auto answered = extra_(request, parts)) {
            return *answered;
        }
    }
    return problem(404, "no such endpoint: " + method + " " + request.path);
}

} // namespace retour::central
