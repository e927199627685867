#include "storage/storage.h"
#include "tests/support/sqlite_query.h"
#include "tests/unit/central/fixtures.h"

#include <gtest/gtest.h>

namespace retour::central {
namespace {

class StoreTest : public ::testing::Test
{
protected:
    std::filesystem::path db() const { return dir_ / "central.db"; }

    // A query on a separate raw connection, to see what is really in the file.
    std::string scalar(const std::string& sql) const { return retour::test::queryValue(db(), sql); }

    static Return sample(const std::string& id)
    {
        Return ret;
        ret.rmaId = id;
        ret.channel = "portal";
        ret.labelBarcode = id;
        ret.createdAt = ret.updatedAt = "2026-11-26T10:00:00.000Z";
        ret.lines.push_back(
            ReturnLine{"1", "SKU", std::nullopt, "Thing", "generic", 2, 9.5, std::nullopt, {}, "r"});
        return ret;
    }

    retour::test::TempDir dir_{"central-store"};
};

TEST_F(StoreTest, MigrationsAreAppliedAndRecorded)
{
    auto store = test::openSqliteStorage(db(), OpenMode::ReadWrite);
    ASSERT_TRUE(store) << store.error().message;
    EXPECT_GE(latestSchemaVersion(StorageBackend::Sqlite), 1);
    EXPECT_EQ(scalar("SELECT max(version) FROM schema_version"),
              std::to_string(latestSchemaVersion(StorageBackend::Sqlite)));
    EXPECT_EQ(scalar("SELECT name FROM schema_version WHERE version = 1"), "0001_ledger.sql");
    EXPECT_EQ(scalar("PRAGMA journal_mode"), "wal");
}

TEST_F(StoreTest, ReopeningAppliesNothingTwice)
{
    {
        auto store = test::openSqliteStorage(db(), OpenMode::ReadWrite);
        ASSERT_TRUE(store) << store.error().message;
        ASSERT_TRUE(
            (*store)->ledger().transaction([&] { return (*store)->ledger().insertReturn(sample("R1")); }));
    }
    auto store = test::openSqliteStorage(db(), OpenMode::ReadWrite);
    ASSERT_TRUE(store) << store.error().message;
    EXPECT_EQ(scalar("SELECT count(*) FROM schema_version"),
              std::to_string(latestSchemaVersion(StorageBackend::Sqlite)));
    const auto found = (*store)->ledger().findReturn("R1");
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->lines.size(), 1u);
    EXPECT_EQ((*found)->lines[0].quantity, 2);
}

TEST_F(StoreTest, ReadOnlyRefusesAMissingDatabase)
{
    const auto store = test::openSqliteStorage(db(), OpenMode::ReadOnly);
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().code, ErrorCode::NotFound);
    EXPECT_NE(store.error().message.find(db().string()), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(db()));
}

TEST_F(StoreTest, ReadOnlyReaderSeesCommitsWhileTheWriterIsOpen)
{
    auto writer = test::openSqliteStorage(db(), OpenMode::ReadWrite);
    ASSERT_TRUE(writer) << writer.error().message;
    ASSERT_TRUE(
        (*writer)->ledger().transaction([&] { return (*writer)->ledger().insertReturn(sample("R1")); }));

    auto reader = test::openSqliteStorage(db(), OpenMode::ReadOnly);
    ASSERT_TRUE(reader) << reader.error().message;
    auto seen = (*reader)->ledger().returns();
    ASSERT_TRUE(seen) << seen.error().message;
    EXPECT_EQ(seen->size(), 1u);

    ASSERT_TRUE(
        (*writer)->ledger().transaction([&] { return (*writer)->ledger().insertReturn(sample("R2")); }));
    seen = (*reader)->ledger().returns();
    ASSERT_TRUE(seen);
    EXPECT_EQ(seen->size(), 2u);
    // The reader cannot write.
    EXPECT_FALSE(
        (*reader)->ledger().transaction([&] { return (*reader)->ledger().insertReturn(sample("R3")); }));
}

TEST_F(StoreTest, FailedTransactionLeavesNothing)
{
    auto store = test::openSqliteStorage(db(), OpenMode::ReadWrite);
    ASSERT_TRUE(store);
    const auto result = (*store)->ledger().transaction([&]() -> Result<void> {
        if (auto ok = (*store)->ledger().insertReturn(sample("R1")); !ok) {
            return ok;
        }
        return fail(ErrorCode::Invalid, "changed my mind");
    });
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().message, "changed my mind");
    const auto found = (*store)->ledger().findReturn("R1");
    ASSERT_TRUE(found);
    EXPECT_FALSE(*found);
}

TEST_F(StoreTest, TransitionOfAnUnknownReturnFails)
{
    auto store = test::openSqliteStorage(db(), OpenMode::ReadWrite);
    ASSERT_TRUE(store);
    const auto result = (*store)->ledger().transaction([&] {
        return (*store)->ledger().recordTransition(
            Transition{"nope", ReturnState::Authorised, ReturnState::Received, "a", "b", "c", std::nullopt});
    });
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::NotFound);
}

TEST_F(StoreTest, DeadLettersAreCountedOncePerDistinctMessage)
{
    auto store = test::openSqliteStorage(db(), OpenMode::ReadWrite);
    ASSERT_TRUE(store);
    const DeadLetter letter{"t", std::string("\xff\x00garbage", 9), "bad", "2026-11-26T10:00:00.000Z", 1};
    ASSERT_TRUE((*store)->ledger().transaction([&] { return (*store)->ledger().recordDeadLetter(letter); }));
    ASSERT_TRUE((*store)->ledger().transaction([&] { return (*store)->ledger().recordDeadLetter(letter); }));
    const auto letters = (*store)->ledger().deadLetters();
    ASSERT_TRUE(letters);
    ASSERT_EQ(letters->size(), 1u);
    EXPECT_EQ((*letters)[0].count, 2);
    EXPECT_EQ((*letters)[0].payload, letter.payload); // bytes kept as they came
    EXPECT_EQ((*store)->ledger().deadLetterCount().value_or(-1), 1);
}

} // namespace
} // namespace retour::central
