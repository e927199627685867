#include "retour/base/migrations.h"

#include "retour/base/time.h"

#include <algorithm>
#include <chrono>
#include <optional>

namespace retour::base {

using sqlite::Database;
using sqlite::Savepoint;
using sqlite::Statement;
using sqlite::Transaction;

int latestVersion(std::span<const Migration> migrations)
{
    int latest = 0;
    for (const Migration& migration : migrations) {
        latest = std::max(latest, migration.version);
    }
    return latest;
}

namespace {

Result<bool> tableExists(Database& db, std::string_view table)
{
    auto stmt = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    if (!stmt) {
        return std::unexpected(std::move(stmt.error()));
    }
    stmt->bind(1, table);
    return stmt->step();
}

// Whether the version table has the name and applied_at columns (earlier station databases kept
// only the version).
Result<bool> recordsNames(Database& db, std::string_view table)
{
    auto stmt = db.prepare("SELECT count(*) FROM pragma_table_info(?) WHERE name IN ('name', 'applied_at')");
    if (!stmt) {
        return std::unexpected(std::move(stmt.error()));
    }
    stmt->bind(1, table);
    auto count = stmt->first([](const Statement& row) { return row.integer(0); });
    if (!count) {
        return std::unexpected(std::move(count.error()));
    }
    return count->value_or(0) == 2;
}

Result<void> applyAll(Database& db, std::span<const Migration> migrations, const MigrationOptions& options,
                      int& version)
{
    auto exists = tableExists(db, options.table);
    if (!exists) {
        return std::unexpected(std::move(exists.error()));
    }
    if (*exists) {
        auto recorded = schemaVersion(db, options.table);
        if (!recorded) {
            return std::unexpected(std::move(recorded.error()));
        }
        version = *recorded;
    } else {
        if (options.adopt) {
            auto adopted = options.adopt(db);
            if (!adopted) {
                return std::unexpected(std::move(adopted.error()));
            }
            version = *adopted;
        }
        if (auto made =
                db.exec("CREATE TABLE " + options.table +
                        " (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
            !made) {
            return made;
        }
        // What was adopted is recorded as if applied now, so the table says where the file stands.
        for (const Migration& migration : migrations) {
            if (migration.version > version) {
                continue;
            }
            auto record =
                db.prepare("INSERT INTO " + options.table + " (version, name, applied_at) VALUES (?, ?, ?)");
            if (!record) {
                return std::unexpected(std::move(record.error()));
            }
            record->bind(1, migration.version)
                .bind(2, migration.name)
                .bind(3, formatTimestamp(std::chrono::system_clock::now()));
            if (auto done = record->run(); !done) {
                return done;
            }
        }
    }
    const int latest = latestVersion(migrations);
    if (version > latest) {
        return fail(ErrorKind::Database, "database " + db.path().string() + " has schema version " +
                                             std::to_string(version) + ", newer than " + options.program +
                                             "'s " + std::to_string(latest) + "; upgrade " + options.program);
    }
    auto named = recordsNames(db, options.table);
    if (!named) {
        return std::unexpected(std::move(named.error()));
    }
    for (const Migration& migration : migrations) {
        if (migration.version <= version) {
            continue;
        }
        if (auto applied = db.exec(migration.sql); !applied) {
            return fail(ErrorKind::Database,
                        "migration " + std::string(migration.name) + " failed: " + applied.error().message,
                        applied.error().code);
        }
        auto record = db.prepare(*named ? "INSERT INTO " + options.table +
                                              " (version, name, applied_at) VALUES (?, ?, ?)"
                                        : "INSERT INTO " + options.table + " (version) VALUES (?)");
        if (!record) {
            return std::unexpected(std::move(record.error()));
        }
        record->bind(1, migration.version);
        if (*named) {
            record->bind(2, migration.name).bind(3, formatTimestamp(std::chrono::system_clock::now()));
        }
        if (auto done = record->run(); !done) {
            return done;
        }
        version = migration.version;
    }
    return {};
}

} // namespace

Result<int> schemaVersion(Database& db, std::string_view table)
{
    auto exists = tableExists(db, table);
    if (!exists) {
        return std::unexpected(std::move(exists.error()));
    }
    if (!*exists) {
        return 0;
    }
    auto stmt = db.prepare("SELECT coalesce(max(version), 0) FROM " + std::string(table));
    if (!stmt) {
        return std::unexpected(std::move(stmt.error()));
    }
    auto version = stmt->first([](const Statement& row) { return static_cast<int>(row.integer(0)); });
    if (!version) {
        return std::unexpected(std::move(version.error()));
    }
    return version->value_or(0);
}

Result<int> migrate(Database& db, std::span<const Migration> migrations, const MigrationOptions& options)
{
    int version = 0;
    if (db.inTransaction()) {
        auto savepoint = Savepoint::begin(db, "retour_migrate");
        if (!savepoint) {
            return std::unexpected(std::move(savepoint.error()));
        }
        if (auto done = applyAll(db, migrations, options, version); !done) {
            return std::unexpected(std::move(done.error()));
        }
        if (auto released = savepoint->release(); !released) {
            return std::unexpected(std::move(released.error()));
        }
        return version;
    }
    auto tx = Transaction::begin(db, {.mode = Transaction::Mode::Immediate, .durable = true});
    if (!tx) {
        return std::unexpected(std::move(tx.error()));
    }
    if (auto done = applyAll(db, migrations, options, version); !done) {
        return std::unexpected(std::move(done.error()));
    }
    if (auto committed = tx->commit(); !committed) {
        return std::unexpected(std::move(committed.error()));
    }
    return version;
}

} // namespace retour::base
