#pragma once

#include "storage/sqlite/sqlite_db.h"
#include "storage/storage.h"

#include <memory>

namespace retour::central::sqlite {

// The SQLite stores, each on a connection its Storage owns (storage.cpp) and outlives.
std::unique_ptr<Store> ledgerStore(Database& db);
std::unique_ptr<OrderStore> orderStore(Database& db);
std::unique_ptr<DeliveryStore> deliveryStore(Database& db);
std::unique_ptr<RefundStore> refundStore(Database& db);
std::unique_ptr<StockStore> stockStore(Database& db);
std::unique_ptr<MessageStore> messageStore(Database& db);
std::unique_ptr<ReportStore> reportStore(Database& db);

// The schema version this program's migrations (storage/sqlite/migrations/NNNN_name.sql) reach;
// the database's, 0 when it has none; migrate() applies the pending ones in one transaction.
int latestSchemaVersion();
Result<int> schemaVersion(Database& db);
Result<void> migrate(Database& db);

// The SQLite backend: WAL, synchronous=FULL (an acknowledged event survives a power cut), foreign
// keys on. Migrations are applied at open in ReadWrite mode and recorded in schema_version;
// ReadOnly and Attached refuse a database that is missing or not migrated.
Result<std::unique_ptr<Storage>> openStorage(const std::filesystem::path& path, OpenMode mode);

} // namespace retour::central::sqlite
