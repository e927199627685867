// The SQLite backend of RefundStore (table refunds of migrations/0003_outcomes.sql).
#include "ledger/try.h"
#include "storage/sqlite/columns.h"
#include "storage/sqlite/stores.h"

namespace retour::central::sqlite {

namespace {

const auto kRefunds = sqlite::columns<RefundRecord>(
    "refund_id, rma_id, trigger, trigger_rule, amount_cents, full_cents, currency, keep_item, lines, state, "
    "reason, decided_at, settled_at",
    &RefundRecord::refundId, &RefundRecord::rmaId, &RefundRecord::trigger, &RefundRecord::triggerRule,
    &RefundRecord::amountCents, &RefundRecord::fullCents, &RefundRecord::currency, &RefundRecord::keepItem,
    &RefundRecord::lines, &RefundRecord::state, &RefundRecord::reason, &RefundRecord::decidedAt,
    &RefundRecord::settledAt);

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
    return kRefunds.insert(db_, "INSERT INTO refunds", refund);
}

Result<std::optional<RefundRecord>> SqliteRefundStore::byRma(std::string_view rmaId)
{
    return kRefunds.first(db_, "FROM refunds WHERE rma_id = ?", rmaId);
}

Result<std::optional<RefundRecord>> SqliteRefundStore::byId(std::string_view refundId)
{
    return kRefunds.first(db_, "FROM refunds WHERE refund_id = ?", refundId);
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
    return kRefunds.all(db_, "FROM refunds ORDER BY decided_at");
}

std::unique_ptr<RefundStore> refundStore(Database& db)
{
    return std::make_unique<SqliteRefundStore>(db);
}

} // namespace retour::central::sqlite
