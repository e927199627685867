#include "next_migrations.h"
#include "retour/base/migrations.h"
#include "test_migrations.h"
#include "tests/support/temp_dir.h"

#include <gtest/gtest.h>

namespace retour::base {
namespace {

using sqlite::Database;
using sqlite::Statement;
using test::nextMigrations;
using test::testMigrations;

class MigrationsTest : public ::testing::Test
{
protected:
    Database open()
    {
        auto db = Database::open(dir_ / "schema.db", false);
        EXPECT_TRUE(db) << db.error().message;
        return std::move(*db);
    }

    static std::string text(Database& db, const std::string& sql)
    {
        auto stmt = db.prepare(sql);
        EXPECT_TRUE(stmt) << stmt.error().message;
        auto row = stmt->first([](const Statement& r) { return r.text(0); });
        EXPECT_TRUE(row) << row.error().message;
        return row->value_or("<no row>");
    }

    retour::test::TempDir dir_{"retour-base-migrations"};
};

TEST_F(MigrationsTest, TheEmbeddedFilesAreInVersionOrderWithTheirNames)
{
    const auto migrations = nextMigrations();
    ASSERT_EQ(migrations.size(), 3U);
    EXPECT_EQ(migrations[0].version, 1);
    EXPECT_EQ(migrations[0].name, "0001_items.sql");
    EXPECT_EQ(migrations[2].name, "0003_item_tag.sql");
    EXPECT_NE(migrations[2].sql.find("DEFAULT 'none'"), std::string_view::npos);
    EXPECT_EQ(latestVersion(migrations), 3);
    EXPECT_EQ(latestVersion({}), 0);
}

TEST_F(MigrationsTest, ANewFileGetsEveryMigrationRecordedOnce)
{
    Database db = open();
    EXPECT_EQ(schemaVersion(db), Result<int>(0));
    EXPECT_EQ(migrate(db, testMigrations()), Result<int>(2));
    EXPECT_EQ(text(db, "SELECT group_concat(version || ':' || name) FROM schema_version"),
              "1:0001_items.sql,2:0002_item_price.sql");
    EXPECT_EQ(text(db, "SELECT name FROM item"), "first; with a semicolon");
    EXPECT_EQ(text(db, "SELECT count(*) FROM pragma_table_info('item') WHERE name = 'price'"), "1");
    EXPECT_EQ(text(db, "SELECT length(applied_at) FROM schema_version WHERE version = 1"), "24");

    // Idempotent: opening again applies nothing.
    EXPECT_EQ(migrate(db, testMigrations()), Result<int>(2));
    EXPECT_EQ(text(db, "SELECT count(*) FROM schema_version"), "2");
    EXPECT_EQ(text(db, "SELECT count(*) FROM item"), "1");
}

TEST_F(MigrationsTest, AnOlderFileIsUpgradedWithTheNewMigrationsOnly)
{
    {
        Database db = open();
        ASSERT_EQ(migrate(db, testMigrations()), Result<int>(2));
        ASSERT_TRUE(db.exec("INSERT INTO item (name, price) VALUES ('kept', 9.5)"));
    }
    Database db = open();
    EXPECT_EQ(migrate(db, nextMigrations()), Result<int>(3));
    EXPECT_EQ(text(db, "SELECT group_concat(name || '/' || tag) FROM item WHERE price = 9.5"), "kept/none");
    EXPECT_EQ(text(db, "SELECT max(version) FROM schema_version"), "3");
}

TEST_F(MigrationsTest, ANewerFileIsRefusedAndLeftAsItWas)
{
    {
        Database db = open();
        ASSERT_EQ(migrate(db, nextMigrations()), Result<int>(3));
    }
    Database db = open();
    auto refused = migrate(db, testMigrations(), {.program = "retour-test"});
    ASSERT_FALSE(refused);
    EXPECT_NE(
        refused.error().message.find("has schema version 3, newer than retour-test's 2; upgrade retour-test"),
        std::string::npos)
        << refused.error().message;
    EXPECT_EQ(schemaVersion(db), Result<int>(3));
}

TEST_F(MigrationsTest, AFailingMigrationLeavesNothingBehind)
{
    Database db = open();
    ASSERT_TRUE(db.exec("CREATE TABLE item (id INTEGER PRIMARY KEY)")); // 0001 cannot create it
    auto failed = migrate(db, testMigrations());
    ASSERT_FALSE(failed);
    EXPECT_NE(failed.error().message.find("migration 0001_items.sql failed"), std::string::npos)
        << failed.error().message;
    EXPECT_EQ(schemaVersion(db), Result<int>(0)) << "the version table was rolled back with it";
    EXPECT_FALSE(db.inTransaction());
}

TEST_F(MigrationsTest, AVersionTableOfOnlyVersionsFromEarlierCodeIsKeptAsItIs)
{
    Database db = open();
    // How the station recorded its versions before: one column.
    ASSERT_TRUE(db.exec("CREATE TABLE schema_version (version INTEGER NOT NULL);"
                        "INSERT INTO schema_version (version) VALUES (1);"
                        "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"));
    EXPECT_EQ(migrate(db, nextMigrations()), Result<int>(3));
    EXPECT_EQ(text(db, "SELECT group_concat(version) FROM schema_version"), "1,2,3");
    EXPECT_EQ(text(db, "SELECT count(*) FROM pragma_table_info('schema_version')"), "1");
    EXPECT_EQ(text(db, "SELECT count(*) FROM pragma_table_info('item') WHERE name IN ('price', 'tag')"), "2");
}

TEST_F(MigrationsTest, TablesMadeBeforeTheirVersionTableAreAdopted)
{
    Database db = open();
    // Version 2's tables, made by code that had no version table of its own.
    ASSERT_TRUE(db.exec("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL);"));
    MigrationOptions options;
    options.table = "item_schema_version";
    options.adopt = [](Database& conn) -> Result<int> {
        auto stmt = conn.prepare("SELECT count(*) FROM pragma_table_info('item') WHERE name = 'price'");
        if (!stmt) {
            return std::unexpected(stmt.error());
        }
        auto row = stmt->first([](const Statement& r) { return r.integer(0); });
        if (!row) {
            return std::unexpected(row.error());
        }
        return row->value_or(0) == 1 ? 2 : 0;
    };
    EXPECT_EQ(migrate(db, nextMigrations(), options), Result<int>(3));
    EXPECT_EQ(text(db, "SELECT group_concat(version) FROM item_schema_version"), "1,2,3");
    EXPECT_EQ(text(db, "SELECT count(*) FROM item"), "0") << "0001's insert did not run again";
    EXPECT_EQ(schemaVersion(db, "item_schema_version"), Result<int>(3));
    EXPECT_EQ(schemaVersion(db), Result<int>(0)) << "another table's history is separate";
}

TEST_F(MigrationsTest, InsideTheCallersTransactionItUsesASavepoint)
{
    Database db = open();
    {
        auto tx = sqlite::Transaction::begin(db);
        ASSERT_TRUE(tx);
        EXPECT_EQ(migrate(db, testMigrations()), Result<int>(2));
        EXPECT_TRUE(db.inTransaction());
    }
    // The caller decides: rolled back with its transaction.
    EXPECT_EQ(schemaVersion(db), Result<int>(0));
}

} // namespace
} // namespace retour::base
