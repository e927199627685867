#pragma once

// Numbered schema migrations (NNNN_name.sql files embedded at build time by the CMake function
// retour_sql_migrations, cmake/RetourSqlMigrations.cmake), applied in order and recorded in a
// version table. Once released, a migration is never edited: a change is the next number.

#include "retour/base/error.h"
#include "retour/base/sqlite.h"

#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace retour::base {

struct Migration
{
    int version;
    std::string_view name; // "0001_ledger.sql"
    std::string_view sql;
};

struct MigrationOptions
{
    // The version table: (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL).
    // A table of the same name with only a version column (made by earlier code) is used as it is.
    std::string table = "schema_version";
    // For a database whose tables predate its version table: the version they are at (0: none).
    // Called only when the version table does not exist yet.
    std::function<Result<int>(sqlite::Database&)> adopt = {};
    // Named in the error when the database is newer than the migrations ("retour-central").
    std::string program = "this program";
};

// The highest version in `migrations` (0 when empty).
int latestVersion(std::span<const Migration> migrations);

// The version recorded in `table` (0 when it does not exist). Thread contract: the database's.
Result<int> schemaVersion(sqlite::Database& db, std::string_view table = "schema_version");

// Apply every migration above the recorded version, each recorded with its name and the time, and
// return the version reached. All in one IMMEDIATE durable transaction (two processes opening a new
// file at once apply each migration once), or in a savepoint inside the caller's open transaction.
// Refuses a database whose version is newer than the latest migration (nothing changed).
// Thread contract: the database's.
Result<int> migrate(sqlite::Database& db, std::span<const Migration> migrations,
                    const MigrationOptions& options = {});

} // namespace retour::base
