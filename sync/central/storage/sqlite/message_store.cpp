// The SQLite backend of MessageStore (table customer_messages of migrations/0003_outcomes.sql).
#include "ledger/try.h"
#include "storage/sqlite/stores.h"

namespace retour::central::sqlite {

namespace {

class SqliteMessageStore final : public MessageStore
{
public:
    explicit SqliteMessageStore(Database& db) : db_(db) {}

    Result<bool> record(const CustomerMessage& message) override;

private:
    Database& db_;
};

} // namespace

Result<bool> SqliteMessageStore::record(const CustomerMessage& message)
{
    CENTRAL_TRY_ASSIGN(stmt, db_.prepare("INSERT OR IGNORE INTO customer_messages (rma_id, stage, recipient, "
                                         "subject, created_at) VALUES (?, ?, ?, ?, ?)"));
    stmt.bind(1, message.rmaId)
        .bind(2, message.stage)
        .bind(3, message.recipient)
        .bind(4, message.subject)
        .bind(5, message.createdAt);
    CENTRAL_TRY(stmt.run());
    return db_.changes() == 1;
}

std::unique_ptr<MessageStore> messageStore(Database& db)
{
    return std::make_unique<SqliteMessageStore>(db);
}

} // namespace retour::central::sqlite
