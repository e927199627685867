// The SQLite backend of RefundStore (table refunds of migrations/0003_outcomes.sql).
#include "ledger/try.h"
#include "storage/sqlite/stores.h"

namespace retour::central::sqlite {

namespace {

constexpr std::string_view kColumns = "refund_id, rma_id, trigger, trigger_rule, amount_cents, full_cents, "
                                      "currency, keep_item, lines, state, reason, decided_at, settled_at";

RefundRecord readRow(const Statement& stmt)
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

class SqliteRefundStore final : public RefundStore
{
public:
    explicit SqliteRefundStore(Database& db) : db_(db) {}

    Result<void> insert(const RefundRecord& refund) override;
    Result<std::optional<RefundRecord>> byRma(std::string_view rmaId) override;
    Result<std::optional<RefundRecord>> byId(std::string_view refundId) override;
    Result<void> settle(std::string_view refundId, std::string_view state,
                        const std::optional<std::string>& reason, std::string_view at) override;
    Result<std::vector<RefundRecord>> all() override;

private:
    Database& db_;
};

} // namespace

Result<void> SqliteRefundStore::insert(const RefundRecord& refund)
{
    CENTRAL_TRY_ASSIGN(stmt, db_.prepare("INSERT INTO refunds (" + std::string(kColumns) +
                                         ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    stmt.bind(1, refund.refundId)
        .bind(2, refund.rmaId)
        .bind(3, refund.trigger)
        .bind(4, refund.triggerRule)
        .bind(5, refund.amountCents)
        .bind(6, refund.fullCents)
        .bind(7, refund.currency)
        .bind(8, refund.keepItem ? 1 : 0)
        .bind(9, refund.lines.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
        .bind(10, refund.state)
        .bind(11, refund.reason)
        .bind(12, refund.decidedAt)
        .bind(13, refund.settledAt);
    return stmt.run();
}

Result<std::optional<RefundRecord>> SqliteRefundStore::byRma(std::string_view rmaId)
{
    CENTRAL_TRY_ASSIGN(stmt,
                       db_.prepare("SELECT " + std::string(kColumns) + " FROM refunds WHERE rma_id = ?"));
    stmt.bind(1, rmaId);
    return stmt.first(readRow);
}

Result<std::optional<RefundRecord>> SqliteRefundStore::byId(std::string_view refundId)
{
    CENTRAL_TRY_ASSIGN(stmt,
                       db_.prepare("SELECT " + std::string(kColumns) + " FROM refunds WHERE refund_id = ?"));
    stmt.bind(1, refundId);
    return stmt.first(readRow);
}

Result<void> SqliteRefundStore::settle(std::string_view refundId, std::string_view state,
                                       const std::optional<std::string>& reason, std::string_view at)
{
    CENTRAL_TRY_ASSIGN(stmt, db_.prepare("UPDATE refunds SET state = ?, reason = ?, settled_at = ? "
                                         "WHERE refund_id = ?"));
    stmt.bind(1, state).bind(2, reason).bind(3, at).bind(4, refundId);
    return stmt.run();
}

Result<std::vector<RefundRecord>> SqliteRefundStore::all()
{
    CENTRAL_TRY_ASSIGN(stmt,
                       db_.prepare("SELECT " + std::string(kColumns) + " FROM refunds ORDER BY decided_at"));
    return stmt.all(readRow);
}

std::unique_ptr<RefundStore> refundStore(Database& db)
{
    return std::make_unique<SqliteRefundStore>(db);
}

} // namespace retour::central::sqlite
