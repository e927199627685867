// The SQLite backend of MessageStore (table customer_messages of migrations/0003_outcomes.sql).
#include "ledger/try.h"
#include "storage/sqlite/columns.h"
#include "storage/sqlite/stores.h"

namespace retour::central::sqlite {

namespace {

const auto kMessages = columns<CustomerMessage>(
    "rma_id, stage, recipient, subject, created_at", &CustomerMessage::rmaId, &CustomerMessage::stage,
    &CustomerMessage::recipient, &CustomerMessage::subject, &CustomerMessage::createdAt);

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
    CENTRAL_TRY(kMessages.insert(db_, "INSERT OR IGNORE INTO customer_messages", message));
    return db_.changes() == 1;
}

std::unique_ptr<MessageStore> messageStore(Database& db)
{
    return std::make_unique<SqliteMessageStore>(db);
}

} // namespace retour::central::sqlite
