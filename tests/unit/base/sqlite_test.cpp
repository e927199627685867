#include "retour/base/sqlite.h"
#include "tests/support/temp_dir.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <thread>

namespace retour::base::sqlite {
namespace {

class SqliteTest : public ::testing::Test
{
protected:
    Database open(OpenOptions options = {})
    {
        auto db = Database::open(dir_ / "test.db", options);
        EXPECT_TRUE(db) << db.error().message;
        return std::move(*db);
    }

    test::TempDir dir_{"retour-base-sqlite"};
};

TEST_F(SqliteTest, BindsAndReadsEveryColumnType)
{
    Database db = open();
    ASSERT_TRUE(db.exec("CREATE TABLE t (s TEXT, i INTEGER, r REAL, b BLOB, n TEXT)"));
    auto insert = db.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)");
    ASSERT_TRUE(insert);
    insert->bind(1, "héllo").bind(2, std::int64_t{1} << 40).bind(3, 2.5).bindBlob(4, std::string("a\0b", 3));
    insert->bind(5, std::optional<std::string>{});
    ASSERT_TRUE(insert->run());
    EXPECT_EQ(db.changes(), 1);
    EXPECT_EQ(db.lastInsertRowid(), 1);

    auto select = db.prepare("SELECT s, i, r, b, n FROM t");
    ASSERT_TRUE(select);
    ASSERT_EQ(select->step(), Result<bool>(true));
    EXPECT_EQ(select->text(0), "héllo");
    EXPECT_EQ(select->integer(1), std::int64_t{1} << 40);
    EXPECT_EQ(select->optInteger(1), std::int64_t{1} << 40);
    EXPECT_DOUBLE_EQ(select->real(2), 2.5);
    EXPECT_EQ(select->optReal(2), 2.5);
    EXPECT_EQ(select->text(3), std::string("a\0b", 3));
    EXPECT_TRUE(select->isNull(4));
    EXPECT_EQ(select->text(4), "");
    EXPECT_EQ(select->optText(4), std::nullopt);
    EXPECT_EQ(select->optInteger(4), std::nullopt);
    EXPECT_EQ(select->optReal(4), std::nullopt);
    EXPECT_EQ(select->step(), Result<bool>(false));
}

TEST_F(SqliteTest, RowReadersReturnAllFirstAndEachRow)
{
    Database db = open();
    ASSERT_TRUE(db.exec("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (3), (1), (2);"));
    auto read = [](const Statement& row) { return row.integer(0); };

    auto all = db.prepare("SELECT v FROM t ORDER BY v");
    ASSERT_TRUE(all);
    EXPECT_EQ(all->all(read), Result<std::vector<std::int64_t>>(std::vector<std::int64_t>{1, 2, 3}));

    auto first = db.prepare("SELECT v FROM t ORDER BY v DESC");
    ASSERT_TRUE(first);
    EXPECT_EQ(first->first(read), Result<std::optional<std::int64_t>>(3));

    auto none = db.prepare("SELECT v FROM t WHERE v > 10");
    ASSERT_TRUE(none);
    EXPECT_EQ(none->first(read), Result<std::optional<std::int64_t>>(std::nullopt));

    std::int64_t sum = 0;
    auto each = db.prepare("SELECT v FROM t");
    ASSERT_TRUE(each);
    ASSERT_TRUE(each->each([&](const Statement& row) { sum += row.integer(0); }));
    EXPECT_EQ(sum, 6);
}

TEST_F(SqliteTest, KeptStatementsAreResetAndNestedUseGetsItsOwn)
{
    Database db = open();
    ASSERT_TRUE(db.exec("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2);"));
    const std::string sql = "SELECT v FROM t WHERE v >= ? ORDER BY v";
    {
        auto outer = db.prepare(sql);
        ASSERT_TRUE(outer);
        outer->bind(1, 1);
        ASSERT_EQ(outer->step(), Result<bool>(true));
        // The same SQL while the kept statement is lent out: prepared afresh, both usable.
        auto inner = db.prepare(sql);
        ASSERT_TRUE(inner);
        inner->bind(1, 2);
        ASSERT_EQ(inner->step(), Result<bool>(true));
        EXPECT_EQ(inner->integer(0), 2);
        EXPECT_EQ(outer->integer(0), 1);
    }
    // Returned half-read: reset, its bindings cleared, so no read transaction stays open.
    EXPECT_FALSE(db.inTransaction());
    auto again = db.prepare(sql);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->first([](const Statement& row) { return row.isNull(0); }),
              Result<std::optional<bool>>(std::nullopt))
        << "v >= NULL matches nothing: the earlier binding was cleared";
}

TEST_F(SqliteTest, ErrorsNameTheStatementAndCarrySqlitesCode)
{
    Database db = open();
    auto bad = db.prepare("SELEKT 1");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("SELEKT 1"), std::string::npos) << bad.error().message;
    EXPECT_NE(bad.error().message.find((dir_ / "test.db").string()), std::string::npos)
        << bad.error().message;
    EXPECT_EQ(bad.error().code, SQLITE_ERROR);

    ASSERT_TRUE(db.exec("CREATE TABLE t (v INTEGER NOT NULL UNIQUE); INSERT INTO t VALUES (1);"));
    auto duplicate = db.prepare("INSERT INTO t VALUES (?)");
    ASSERT_TRUE(duplicate);
    duplicate->bind(1, 1);
    auto ran = duplicate->run();
    ASSERT_FALSE(ran);
    EXPECT_EQ(ran.error().code, SQLITE_CONSTRAINT_UNIQUE);
    EXPECT_NE(ran.error().message.find("UNIQUE"), std::string::npos) << ran.error().message;

    // A bind to a parameter that does not exist is reported by the next step, not lost.
    auto select = db.prepare("SELECT ?");
    ASSERT_TRUE(select);
    select->bind(2, 5);
    auto stepped = select->step();
    ASSERT_FALSE(stepped);
    EXPECT_EQ(stepped.error().code, SQLITE_RANGE);
    EXPECT_NE(stepped.error().message.find("bind"), std::string::npos) << stepped.error().message;

    auto exec = db.exec("DROP TABLE nothing_here");
    ASSERT_FALSE(exec);
    EXPECT_NE(exec.error().message.find("no such table: nothing_here"), std::string::npos)
        << exec.error().message;
}

TEST_F(SqliteTest, TransactionCommitsOnSuccessAndRollsBackOnError)
{
    Database db = open();
    ASSERT_TRUE(db.exec("CREATE TABLE t (v INTEGER)"));
    ASSERT_TRUE(db.transaction([&]() -> Result<void> { return db.exec("INSERT INTO t VALUES (1)"); }));
    auto failed = db.transaction([&]() -> Result<void> {
        if (auto ok = db.exec("INSERT INTO t VALUES (2)"); !ok) {
            return ok;
        }
        return fail(ErrorKind::Database, "the body failed");
    });
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().message, "the body failed");
    EXPECT_FALSE(db.inTransaction());

    auto nested =
        db.transaction([&]() -> Result<void> { return db.transaction([]() -> Result<void> { return {}; }); });
    ASSERT_FALSE(nested);
    EXPECT_NE(nested.error().message.find("nested transaction"), std::string::npos) << nested.error().message;

    auto count = db.prepare("SELECT group_concat(v) FROM t");
    ASSERT_TRUE(count);
    EXPECT_EQ(count->first([](const Statement& row) { return row.text(0); }),
              Result<std::optional<std::string>>("1"));
}

TEST_F(SqliteTest, TransactionObjectRollsBackUnlessCommittedAndRestoresSynchronous)
{
    Database db = open();
    ASSERT_TRUE(db.enableWal());
    ASSERT_TRUE(db.exec("PRAGMA synchronous=NORMAL; CREATE TABLE t (v INTEGER)"));
    {
        auto tx = Transaction::begin(db, {.mode = Transaction::Mode::Immediate, .durable = true});
        ASSERT_TRUE(tx) << tx.error().message;
        EXPECT_EQ(db.pragma("synchronous"), Result<std::string>("2")) << "FULL while the durable commit runs";
        ASSERT_TRUE(db.exec("INSERT INTO t VALUES (1)"));
    } // not committed
    EXPECT_EQ(db.pragma("synchronous"), Result<std::string>("1")) << "NORMAL again";
    {
        auto tx = Transaction::begin(db, {.mode = Transaction::Mode::Deferred, .durable = true});
        ASSERT_TRUE(tx);
        ASSERT_TRUE(db.exec("INSERT INTO t VALUES (2)"));
        ASSERT_TRUE(tx->commit());
        EXPECT_FALSE(tx->active());
        EXPECT_FALSE(tx->commit()) << "a second commit has no transaction";
    }
    EXPECT_EQ(db.pragma("synchronous"), Result<std::string>("1"));
    auto rows = db.prepare("SELECT group_concat(v) FROM t");
    ASSERT_TRUE(rows);
    EXPECT_EQ(rows->first([](const Statement& row) { return row.text(0); }),
              Result<std::optional<std::string>>("2"));
}

TEST_F(SqliteTest, SavepointNestsInsideTheCallersTransaction)
{
    Database db = open();
    ASSERT_TRUE(db.exec("CREATE TABLE t (v INTEGER)"));
    auto tx = Transaction::begin(db);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(db.exec("INSERT INTO t VALUES (1)"));
    {
        auto inner = Savepoint::begin(db, "inner");
        ASSERT_TRUE(inner);
        ASSERT_TRUE(db.exec("INSERT INTO t VALUES (2)"));
    } // rolled back to the savepoint: 2 is gone, 1 stays
    {
        auto kept = Savepoint::begin(db, "kept");
        ASSERT_TRUE(kept);
        ASSERT_TRUE(db.exec("INSERT INTO t VALUES (3)"));
        ASSERT_TRUE(kept->release());
    }
    EXPECT_TRUE(db.inTransaction());
    ASSERT_TRUE(tx->commit());
    auto rows = db.prepare("SELECT group_concat(v) FROM t");
    ASSERT_TRUE(rows);
    EXPECT_EQ(rows->first([](const Statement& row) { return row.text(0); }),
              Result<std::optional<std::string>>("1,3"));
}

TEST_F(SqliteTest, AWriterWaitsForAnotherConnectionsLockUpToItsBusyTimeout)
{
    Database first = open();
    ASSERT_TRUE(first.enableWal());
    ASSERT_TRUE(first.exec("CREATE TABLE t (v INTEGER)"));
    Database patient = open({.busyTimeout = std::chrono::seconds(5)});
    Database hasty = open({.busyTimeout = std::chrono::milliseconds(20)});

    auto held = Transaction::begin(first);
    ASSERT_TRUE(held);
    auto refused = Transaction::begin(hasty);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code & 0xff, SQLITE_BUSY) << refused.error().message;

    std::thread release([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        ASSERT_TRUE(first.exec("INSERT INTO t VALUES (1)"));
        ASSERT_TRUE(held->commit());
    });
    const auto start = std::chrono::steady_clock::now();
    auto waited = Transaction::begin(patient);
    const auto took = std::chrono::steady_clock::now() - start;
    release.join();
    ASSERT_TRUE(waited) << waited.error().message;
    EXPECT_GE(took, std::chrono::milliseconds(50)) << "it waited for the lock";
    ASSERT_TRUE(patient.exec("INSERT INTO t VALUES (2)"));
    ASSERT_TRUE(waited->commit());
}

TEST_F(SqliteTest, ReadOnlyRefusesWritesAndAMissingFile)
{
    {
        Database db = open();
        ASSERT_TRUE(db.exec("CREATE TABLE t (v INTEGER)"));
    }
    auto reader = Database::open(dir_ / "test.db", true);
    ASSERT_TRUE(reader);
    auto write = reader->exec("INSERT INTO t VALUES (1)");
    ASSERT_FALSE(write);
    EXPECT_EQ(write.error().code & 0xff, SQLITE_READONLY);

    auto missing = Database::open(dir_ / "absent.db", true);
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("absent.db"), std::string::npos) << missing.error().message;
}

TEST_F(SqliteTest, ABorrowedConnectionStaysOpenForItsOwner)
{
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "raw.db").c_str(), &raw), SQLITE_OK);
    {
        Database borrowed = Database::borrow(raw);
        EXPECT_EQ(borrowed.path(), dir_ / "raw.db");
        ASSERT_TRUE(borrowed.exec("CREATE TABLE t (v INTEGER)"));
        auto insert = borrowed.prepare("INSERT INTO t VALUES (7)");
        ASSERT_TRUE(insert);
        ASSERT_TRUE(insert->run());
    }
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(raw, "SELECT v FROM t", -1, &stmt, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(stmt, 0), 7);
    sqlite3_finalize(stmt);
    EXPECT_EQ(sqlite3_close(raw), SQLITE_OK) << "the borrowed view finalised its kept statements";
}

} // namespace
} // namespace retour::base::sqlite
