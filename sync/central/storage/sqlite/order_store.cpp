// The SQLite backend of OrderStore (tables of storage/sqlite/migrations/0002_orders.sql).
#include "ledger/try.h"
#include "storage/sqlite/columns.h"
#include "storage/sqlite/stores.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <utility>

namespace retour::central {

namespace {

using sqlite::Database;
using sqlite::Statement;

using sqlite::fromJsonArray;
using sqlite::toJsonArray;

const auto kCatalogue = sqlite::columns<CatalogueItem>(
    "sku, gtin, description, category, price, expected_weight_g, returnable", &CatalogueItem::sku,
    &CatalogueItem::gtin, &CatalogueItem::description, &CatalogueItem::category, &CatalogueItem::price,
    &CatalogueItem::expectedWeightG, &CatalogueItem::returnable);

const auto kOrders =
    sqlite::columns<Order>("order_id, email, customer, ordered_at, delivered_at", &Order::orderId,
                           &Order::email, &Order::customer, &Order::orderedAt, &Order::deliveredAt);

// The order and the line's position are the caller's to bind.
const auto kOrderLines = sqlite::columns<OrderLine>(
    "order_id, position, line_id, sku, quantity, unit_price, serials", sqlite::Unmapped{}, sqlite::Unmapped{},
    &OrderLine::lineId, &OrderLine::sku, &OrderLine::quantity, &OrderLine::unitPrice, &OrderLine::serials);

const auto kDecisions = sqlite::columns<DecisionRecord>(
    "rma_id, outcome, rule, rule_source, reason, decided_by, at", &DecisionRecord::rmaId,
    &DecisionRecord::outcome, &DecisionRecord::rule, &DecisionRecord::ruleSource, &DecisionRecord::reason,
    &DecisionRecord::decidedBy, &DecisionRecord::at);

// The forms a GTIN may be stored in (GTIN-8, -12, -13, -14: the same number padded with zeros);
// nothing when `gtin` is not all digits or longer than 14.
std::vector<std::string> gtinForms(std::string_view gtin)
{
    if (gtin.empty() || gtin.size() > 14 || gtin.find_first_not_of("0123456789") != std::string_view::npos) {
        return {};
    }
    const auto first = gtin.find_first_not_of('0');
    const std::string_view digits = first == std::string_view::npos ? std::string_view{} : gtin.substr(first);
    std::vector<std::string> forms;
    for (const std::size_t length : {8U, 12U, 13U, 14U}) {
        if (digits.size() <= length) {
            forms.push_back(std::string(length - digits.size(), '0') + std::string(digits));
        }
    }
    return forms;
}

class SqliteOrderStore final : public OrderStore
{
public:
    explicit SqliteOrderStore(Database& db) : db_(db) {}

    Result<void> transaction(const std::function<Result<void>()>& body) override
    {
        return db_.transaction(body);
    }

    Result<void> putCatalogueItem(const CatalogueItem& item) override
    {
        return kCatalogue.insert(db_, "INSERT OR REPLACE INTO catalogue", item);
    }

    Result<std::optional<CatalogueItem>> catalogueItem(std::string_view sku) override
    {
        return kCatalogue.first(db_, "FROM catalogue WHERE sku = ?", sku);
    }

    Result<std::optional<CatalogueItem>> catalogueItemByGtin(std::string_view gtin) override
    {
        const std::vector<std::string> forms = gtinForms(gtin);
        if (forms.empty()) {
            return std::optional<CatalogueItem>();
        }
        // Padded to 4 forms (a short number has all four) so that one statement is kept.
        CENTRAL_TRY_ASSIGN(stmt,
                           db_.prepare("SELECT " + kCatalogue.list() +
                                       " FROM catalogue WHERE gtin IN (?, ?, ?, ?) ORDER BY sku LIMIT 1"));
        for (int i = 0; i < 4; ++i) {
            stmt.bind(i + 1, forms[std::min<std::size_t>(static_cast<std::size_t>(i), forms.size() - 1)]);
        }
        return stmt.first(kCatalogue.reader());
    }

    Result<std::optional<ShippedSerial>> orderShippingSerial(std::string_view serial) override
    {
        if (serial.empty()) {
            return std::optional<ShippedSerial>();
        }
        CENTRAL_TRY_ASSIGN(stmt,
                           db_.prepare("SELECT l.order_id, l.line_id FROM order_lines l "
                                       "JOIN orders o ON o.order_id = l.order_id, json_each(l.serials) j "
                                       "WHERE j.value = ? ORDER BY o.ordered_at, l.order_id LIMIT 1"));
        stmt.bind(1, serial);
        CENTRAL_TRY_ASSIGN(found, stmt.first([](const Statement& row) {
            return std::pair<std::string, std::string>{row.text(0), row.text(1)};
        }));
        if (!found) {
            return std::optional<ShippedSerial>();
        }
        CENTRAL_TRY_ASSIGN(order, findOrder(found->first));
        if (!order) {
            return std::optional<ShippedSerial>();
        }
        return std::optional<ShippedSerial>(ShippedSerial{std::move(*order), found->second});
    }

    Result<std::int64_t> catalogueSize() override
    {
        return sqlite::scalar(db_, "SELECT count(*) FROM catalogue");
    }
    Result<std::int64_t> orderCount() override { return sqlite::scalar(db_, "SELECT count(*) FROM orders"); }

    Result<void> putOrder(const Order& order) override
    {
        {
            CENTRAL_TRY_ASSIGN(drop, db_.prepare("DELETE FROM order_lines WHERE order_id = ?"));
            drop.bind(1, order.orderId);
            CENTRAL_TRY(drop.run());
        }
        CENTRAL_TRY(kOrders.insert(db_, "INSERT OR REPLACE INTO orders", order));
        for (std::size_t i = 0; i < order.lines.size(); ++i) {
            const OrderLine& line = order.lines[i];
            CENTRAL_TRY_ASSIGN(insert, db_.prepare("INSERT INTO order_lines (" + kOrderLines.list() +
                                                   ") VALUES (" + kOrderLines.placeholders() + ")"));
            kOrderLines.bind(insert, line);
            insert.bind(1, order.orderId).bind(2, static_cast<std::int64_t>(i));
            CENTRAL_TRY(insert.run());
        }
        return {};
    }

    Result<std::optional<Order>> findOrder(std::string_view orderId) override
    {
        CENTRAL_TRY_ASSIGN(found, kOrders.first(db_, "FROM orders WHERE order_id = ?", orderId));
        if (!found) {
            return found;
        }
        CENTRAL_TRY_ASSIGN(
            orderLines,
            kOrderLines.all(db_, "FROM order_lines WHERE order_id = ? ORDER BY position", orderId));
        found->lines = std::move(orderLines);
        return found;
    }

    Result<std::string> nextRmaNumber(std::string_view prefix) override
    {
        std::int64_t number = 0;
        CENTRAL_TRY(transaction([&]() -> Result<void> {
            CENTRAL_TRY_ASSIGN(stmt, db_.prepare("INSERT INTO rma_sequences (prefix, next) VALUES (?, 2) "
                                                 "ON CONFLICT (prefix) DO UPDATE SET next = next + 1 "
                                                 "RETURNING next - 1"));
            stmt.bind(1, prefix);
            CENTRAL_TRY_ASSIGN(row, stmt.step());
            if (!row) {
                return fail(ErrorCode::Database, "no RMA number for prefix " + std::string(prefix));
            }
            number = stmt.integer(0);
            return {};
        }));
        char digits[24];
        std::snprintf(digits, sizeof digits, "%06lld", static_cast<long long>(number));
        return std::string(prefix) + "-" + digits;
    }

    Result<void> recordDecision(const DecisionRecord& d) override
    {
        return kDecisions.insert(db_, "INSERT INTO return_decisions", d);
    }

    Result<std::vector<DecisionRecord>> decisions(std::string_view rmaId) override
    {
        return kDecisions.all(db_, "FROM return_decisions WHERE rma_id = ? ORDER BY id", rmaId);
    }

    Result<void> setContact(std::string_view rmaId, std::string_view email) override
    {
        CENTRAL_TRY_ASSIGN(
            stmt, db_.prepare("INSERT OR REPLACE INTO return_contacts (rma_id, email) VALUES (?, ?)"));
        stmt.bind(1, rmaId).bind(2, email);
        return stmt.run();
    }

    Result<std::optional<std::string>> contact(std::string_view rmaId) override
    {
        CENTRAL_TRY_ASSIGN(stmt, db_.prepare("SELECT email FROM return_contacts WHERE rma_id = ?"));
        stmt.bind(1, rmaId);
        return stmt.first([](const Statement& row) { return row.text(0); });
    }

private:
    Database& db_;
};

} // namespace

namespace sqlite {

std::unique_ptr<OrderStore> orderStore(Database& db)
{
    return std::make_unique<SqliteOrderStore>(db);
}

} // namespace sqlite

} // namespace retour::central
