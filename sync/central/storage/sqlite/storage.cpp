// The SQLite backend of Storage: one connection, its stores, and the schema they need.
#include "ledger/try.h"
#include "retour/contract/message.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/stores.h"

#include <algorithm>
#include <chrono>

namespace retour::central::sqlite {

namespace {

class SqliteStorage final : public Storage
{
public:
    explicit SqliteStorage(Database db)
        : db_(std::move(db)), ledger_(ledgerStore(db_)), orders_(orderStore(db_)),
          deliveries_(deliveryStore(db_)), refunds_(refundStore(db_)), stock_(stockStore(db_)),
          messages_(messageStore(db_)), reports_(reportStore(db_))
    {}

    Result<void> transaction(const std::function<Result<void>()>& body) override
    {
        return db_.transaction(body);
    }
    Store& ledger() override { return *ledger_; }
    OrderStore& orders() override { return *orders_; }
    DeliveryStore& deliveries() override { return *deliveries_; }
    RefundStore& refunds() override { return *refunds_; }
    StockStore& stock() override { return *stock_; }
    MessageStore& messages() override { return *messages_; }
    ReportStore& reports() override { return *reports_; }

private:
    Database db_; // first: the stores borrow it
    std::unique_ptr<Store> ledger_;
    std::unique_ptr<OrderStore> orders_;
    std::unique_ptr<DeliveryStore> deliveries_;
    std::unique_ptr<RefundStore> refunds_;
    std::unique_ptr<StockStore> stock_;
    std::unique_ptr<MessageStore> messages_;
    std::unique_ptr<ReportStore> reports_;
};

Result<void> checkSchema(Database& db)
{
    CENTRAL_TRY_ASSIGN(version, schemaVersion(db));
    if (version != latestSchemaVersion()) {
        return fail(ErrorCode::Database, "database " + db.path().string() + " has schema version " +
                                             std::to_string(version) + ", this program expects " +
                                             std::to_string(latestSchemaVersion()) +
                                             "; start `retour-central run` once to migrate it");
    }
    return {};
}

} // namespace

int latestSchemaVersion()
{
    int latest = 0;
    for (const Migration& migration : sqliteMigrations()) {
        latest = std::max(latest, migration.version);
    }
    return latest;
}

Result<int> schemaVersion(Database& db)
{
    CENTRAL_TRY_ASSIGN(exists, db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                          "name = 'schema_version'"));
    CENTRAL_TRY_ASSIGN(hasTable, exists.step());
    if (!hasTable) {
        return 0;
    }
    CENTRAL_TRY_ASSIGN(stmt, db.prepare("SELECT coalesce(max(version), 0) FROM schema_version"));
    CENTRAL_TRY(stmt.step());
    return static_cast<int>(stmt.integer(0));
}

Result<void> migrate(Database& db)
{
    // One IMMEDIATE transaction: two processes opening a new file at once apply each migration once.
    return db.transaction<Error>([&]() -> Result<void> {
        CENTRAL_TRY(db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                            "name TEXT NOT NULL, applied_at TEXT NOT NULL)"));
        CENTRAL_TRY_ASSIGN(version, schemaVersion(db));
        if (version > latestSchemaVersion()) {
            return fail(ErrorCode::Database, "database " + db.path().string() + " has schema version " +
                                                 std::to_string(version) + ", newer than this program's " +
                                                 std::to_string(latestSchemaVersion()) +
                                                 "; upgrade retour-central");
        }
        for (const Migration& migration : sqliteMigrations()) {
            if (migration.version <= version) {
                continue;
            }
            if (auto applied = db.exec(migration.sql); !applied) {
                return fail(ErrorCode::Database, "migration " + std::string(migration.name) +
                                                     " failed: " + applied.error().message);
            }
            CENTRAL_TRY_ASSIGN(
                record,
                db.prepare("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)"));
            record.bind(1, migration.version)
                .bind(2, migration.name)
                .bind(3, sync::formatTimestamp(std::chrono::system_clock::now()));
            CENTRAL_TRY(record.run());
        }
        return {};
    });
}

Result<std::unique_ptr<Storage>> openStorage(const std::filesystem::path& path, OpenMode mode)
{
    const bool readOnly = mode == OpenMode::ReadOnly;
    std::error_code ec;
    if (readOnly && !std::filesystem::exists(path, ec)) {
        return fail(ErrorCode::NotFound,
                    "database " + path.string() + " does not exist; start `retour-central run` to create it");
    }
    CENTRAL_TRY_ASSIGN(db, Database::open(path, readOnly));
    if (readOnly) {
        CENTRAL_TRY(db.exec("PRAGMA query_only = ON"));
        CENTRAL_TRY(checkSchema(db));
        return std::unique_ptr<Storage>(std::make_unique<SqliteStorage>(std::move(db)));
    }
    if (mode == OpenMode::ReadWrite) {
        // WAL: the reporting commands read while `run` writes.
        CENTRAL_TRY_ASSIGN(journal, db.prepare("PRAGMA journal_mode = WAL"));
        CENTRAL_TRY_ASSIGN(row, journal.step());
        if (!row || journal.text(0) != "wal") {
            return fail(ErrorCode::Database, "cannot switch " + path.string() +
                                                 " to WAL mode (journal mode is " + journal.text(0) + ")");
        }
    }
    // FULL: a commit (and so an ack) is on disk before it returns, also in WAL mode.
    CENTRAL_TRY(db.exec("PRAGMA synchronous = FULL"));
    CENTRAL_TRY(db.exec("PRAGMA foreign_keys = ON"));
    CENTRAL_TRY(mode == OpenMode::ReadWrite ? migrate(db) : checkSchema(db));
    return std::unique_ptr<Storage>(std::make_unique<SqliteStorage>(std::move(db)));
}

} // namespace retour::central::sqlite
