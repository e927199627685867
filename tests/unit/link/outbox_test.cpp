// The durable outbox on a real SQLite file (outbox.h).
#include "retour/link/outbox.h"
#include "tests/support/temp_dir.h"

#include <gtest/gtest.h>
#include <set>
#include <sqlite3.h>
#include <string>

namespace retour::sync {
namespace {

using nlohmann::json;

class OutboxTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        path_ = (dir_ / "station.db").string();
        db_ = open();
        outbox_ = std::make_unique<Outbox>(db_, 1000);
        const auto schema = outbox_->ensureSchema();
        ASSERT_TRUE(schema.has_value()) << schema.error().message;
    }
    void TearDown() override
    {
        outbox_.reset();
        sqlite3_close(db_);
    }

    sqlite3* open()
    {
        sqlite3* db = nullptr;
        EXPECT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
        EXPECT_EQ(sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr), SQLITE_OK);
        return db;
    }
    void exec(const char* sql, sqlite3* db = nullptr)
    {
        char* error = nullptr;
        ASSERT_EQ(sqlite3_exec(db != nullptr ? db : db_, sql, nullptr, nullptr, &error), SQLITE_OK)
            << sql << ": " << (error != nullptr ? error : "");
        sqlite3_free(error);
    }
    Envelope enqueueCommitted(std::string_view type = event_type::InspectionCompleted, json data = {{"n", 1}})
    {
        exec("BEGIN");
        auto e = outbox_->enqueue("site-a", "bench-01", type, data);
        EXPECT_TRUE(e.has_value()) << e.error().message;
        exec("COMMIT");
        return e.value_or(Envelope{});
    }
    std::int64_t rowCount()
    {
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(db_, "SELECT count(*) FROM outbox", -1, &stmt, nullptr);
        sqlite3_step(stmt);
        const std::int64_t n = sqlite3_column_int64(stmt, 0);
        sqlite3_finalize(stmt);
        return n;
    }

    test::TempDir dir_{"retour-outbox"};
    std::string path_;
    sqlite3* db_ = nullptr;
    std::unique_ptr<Outbox> outbox_;
};

TEST_F(OutboxTest, EnsureSchemaIsIdempotent)
{
    enqueueCommitted();
    const auto again = outbox_->ensureSchema();
    ASSERT_TRUE(again.has_value()) << again.error().message;
    EXPECT_EQ(rowCount(), 1);
    EXPECT_EQ(enqueueCommitted().stationSeq, 2);
}

TEST_F(OutboxTest, EnsureSchemaWorksInsideTheCallersTransaction)
{
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "other.db").c_str(), &other), SQLITE_OK);
    Outbox outbox(other);
    exec("BEGIN", other);
    ASSERT_TRUE(outbox.ensureSchema().has_value());
    exec("COMMIT", other);
    exec("BEGIN", other);
    EXPECT_TRUE(outbox.enqueue("s", "b", event_type::LabelPrinted, json::object()).has_value());
    exec("COMMIT", other);
    sqlite3_close(other);
}

TEST_F(OutboxTest, EnqueueRequiresAnOpenTransaction)
{
    const auto e = outbox_->enqueue("site-a", "bench-01", event_type::ParcelReceived, json::object());
    ASSERT_FALSE(e.has_value());
    EXPECT_EQ(e.error().code, ErrorCode::Database);
    EXPECT_NE(e.error().message.find("no transaction"), std::string::npos) << e.error().message;
    EXPECT_EQ(rowCount(), 0);
}

TEST_F(OutboxTest, RollbackLeavesNothingAndNoGapInTheSequence)
{
    exec("BEGIN");
    ASSERT_TRUE(
        outbox_->enqueue("site-a", "bench-01", event_type::ParcelReceived, json::object()).has_value());
    ASSERT_TRUE(outbox_->enqueue("site-a", "bench-01", event_type::LabelPrinted, json::object()).has_value());
    exec("ROLLBACK");
    EXPECT_EQ(rowCount(), 0);
    const auto stats = outbox_->stats();
    ASSERT_TRUE(stats.has_value());
    EXPECT_EQ(stats->pending, 0);
    EXPECT_EQ(enqueueCommitted().stationSeq, 1);
}

TEST_F(OutboxTest, CommitsWithTheDomainWrite)
{
    exec("CREATE TABLE inspections (id TEXT PRIMARY KEY)");
    exec("BEGIN");
    exec("INSERT INTO inspections VALUES ('insp-1')");
    ASSERT_TRUE(
        outbox_->enqueue("site-a", "bench-01", event_type::InspectionCompleted, {{"inspection_id", "insp-1"}})
            .has_value());
    exec("COMMIT");
    // Seen from a second connection: both or neither.
    sqlite3* reader = open();
    Outbox view(reader);
    const auto rows = view.after(0, 10);
    ASSERT_TRUE(rows.has_value()) << rows.error().message;
    ASSERT_EQ(rows->size(), 1u);
    const auto decoded = decodeEnvelope(rows->front().payload);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->data.at("inspection_id"), "insp-1");
    sqlite3_close(reader);
}

TEST_F(OutboxTest, AssignsSequenceIdsTopicAndAValidBody)
{
    std::set<std::string> ids;
    for (int i = 1; i <= 3; ++i) {
        const Envelope e = enqueueCommitted(event_type::LabelPrinted, {{"n", i}});
        EXPECT_EQ(e.stationSeq, i);
        EXPECT_TRUE(isUuid(e.eventId)) << e.eventId;
        EXPECT_EQ(e.eventId[14], '7');
        EXPECT_TRUE(parseTimestamp(e.occurredAt).has_value()) << e.occurredAt;
        ids.insert(e.eventId);
    }
    EXPECT_EQ(ids.size(), 3u);

    const auto rows = outbox_->after(0, 10);
    ASSERT_TRUE(rows.has_value()) << rows.error().message;
    ASSERT_EQ(rows->size(), 3u);
    for (std::size_t i = 0; i < rows->size(); ++i) {
        const auto& row = (*rows)[i];
        EXPECT_EQ(row.stationSeq, static_cast<std::int64_t>(i + 1));
        EXPECT_EQ(row.topic, "returns/v1/site-a/bench-01/evt/label.printed");
        const auto decoded = decodeEnvelope(row.payload);
        ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
        EXPECT_EQ(decoded->eventId, row.eventId);
        EXPECT_EQ(decoded->stationSeq, row.stationSeq);
        EXPECT_EQ(decoded->data.at("n"), static_cast<int>(i + 1));
        EXPECT_TRUE(checkEventTopic(*decoded, row.topic).has_value());
    }
}

TEST_F(OutboxTest, UsesTheGivenOccurrenceTime)
{
    using namespace std::chrono;
    const auto t =
        time_point_cast<system_clock::duration>(sys_days{2026y / November / 26} + 11h + 29min + 56s + 123ms);
    exec("BEGIN");
    const auto e = outbox_->enqueue("site-a", "bench-01", event_type::RestockCompleted, json::object(), t);
    exec("COMMIT");
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->occurredAt, "2026-11-26T11:29:56.123Z");
    const auto stats = outbox_->stats();
    ASSERT_TRUE(stats.has_value());
    EXPECT_EQ(stats->oldestPendingAt, "2026-11-26T11:29:56.123Z");
}

TEST_F(OutboxTest, AfterIsAKeysetCursor)
{
    for (int i = 0; i < 5; ++i) {
        enqueueCommitted();
    }
    auto page = outbox_->after(0, 2);
    ASSERT_TRUE(page.has_value());
    ASSERT_EQ(page->size(), 2u);
    EXPECT_EQ((*page)[0].stationSeq, 1);
    EXPECT_EQ((*page)[1].stationSeq, 2);
    page = outbox_->after(2, 2);
    ASSERT_EQ(page->size(), 2u);
    EXPECT_EQ((*page)[0].stationSeq, 3);
    EXPECT_EQ((*page)[1].stationSeq, 4);
    page = outbox_->after(4, 10);
    ASSERT_EQ(page->size(), 1u);
    EXPECT_EQ((*page)[0].stationSeq, 5);
    page = outbox_->after(5, 10);
    EXPECT_TRUE(page->empty());
    page = outbox_->after(0, 0);
    EXPECT_TRUE(page->empty());
}

TEST_F(OutboxTest, AcknowledgeDeletesOnlyTheAcknowledgedIds)
{
    const Envelope a = enqueueCommitted();
    const Envelope b = enqueueCommitted();
    const Envelope c = enqueueCommitted();
    const auto removed = outbox_->acknowledge({a.eventId, c.eventId, newUuidV7()});
    ASSERT_TRUE(removed.has_value()) << removed.error().message;
    EXPECT_EQ(*removed, 2u);
    const auto rows = outbox_->after(0, 10);
    ASSERT_TRUE(rows.has_value());
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->front().eventId, b.eventId);

    // A repeated acknowledgement (central acks duplicates again) removes nothing more.
    const auto again = outbox_->acknowledge({a.eventId});
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(*again, 0u);
    const auto stats = outbox_->stats();
    ASSERT_TRUE(stats.has_value());
    EXPECT_EQ(stats->pending, 1);
    EXPECT_EQ(stats->acknowledged, 2);
}

TEST_F(OutboxTest, AcknowledgeOfNothingIsANoOp)
{
    enqueueCommitted();
    const auto removed = outbox_->acknowledge({});
    ASSERT_TRUE(removed.has_value());
    EXPECT_EQ(*removed, 0u);
    EXPECT_EQ(rowCount(), 1);
}

TEST_F(OutboxTest, AcknowledgeInsideARolledBackTransactionIsUndone)
{
    const Envelope a = enqueueCommitted();
    exec("BEGIN");
    ASSERT_EQ(outbox_->acknowledge({a.eventId}).value_or(0), 1u);
    exec("ROLLBACK");
    EXPECT_EQ(rowCount(), 1);
    EXPECT_EQ(outbox_->stats()->acknowledged, 0);
}

TEST_F(OutboxTest, SequenceIsNeverReusedAfterAcknowledgement)
{
    const Envelope a = enqueueCommitted();
    const Envelope b = enqueueCommitted();
    ASSERT_TRUE(outbox_->acknowledge({a.eventId, b.eventId}).has_value());
    EXPECT_EQ(enqueueCommitted().stationSeq, 3);
}

TEST_F(OutboxTest, StateSurvivesReopening)
{
    enqueueCommitted();
    const Envelope b = enqueueCommitted();
    outbox_.reset();
    sqlite3_close(db_);
    db_ = open();
    outbox_ = std::make_unique<Outbox>(db_);
    ASSERT_TRUE(outbox_->ensureSchema().has_value());
    const auto rows = outbox_->after(1, 10);
    ASSERT_TRUE(rows.has_value());
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->front().eventId, b.eventId);
    EXPECT_EQ(enqueueCommitted().stationSeq, 3);
}

TEST_F(OutboxTest, RefusesNewEventsAtCapacityWithoutDroppingAny)
{
    Outbox small(db_, 2);
    exec("BEGIN");
    const auto first = small.enqueue("site-a", "bench-01", event_type::ParcelReceived, json::object());
    ASSERT_TRUE(small.enqueue("site-a", "bench-01", event_type::ParcelReceived, json::object()).has_value());
    const auto third = small.enqueue("site-a", "bench-01", event_type::ParcelReceived, json::object());
    ASSERT_FALSE(third.has_value());
    EXPECT_EQ(third.error().code, ErrorCode::Full);
    exec("COMMIT"); // the caller's transaction is still usable
    EXPECT_EQ(rowCount(), 2);

    ASSERT_TRUE(first.has_value());
    ASSERT_TRUE(small.acknowledge({first->eventId}).has_value());
    exec("BEGIN");
    const auto after = small.enqueue("site-a", "bench-01", event_type::ParcelReceived, json::object());
    exec("COMMIT");
    ASSERT_TRUE(after.has_value()) << after.error().message;
    EXPECT_EQ(after->stationSeq, 3);
}

TEST_F(OutboxTest, RefusesUnknownTypesBadNamesAndNonObjectData)
{
    exec("BEGIN");
    auto e = outbox_->enqueue("site-a", "bench-01", "parcel.exploded", json::object());
    ASSERT_FALSE(e.has_value());
    EXPECT_EQ(e.error().code, ErrorCode::Unsupported);
    e = outbox_->enqueue("site-a", "bench/01", event_type::ParcelReceived, json::object());
    ASSERT_FALSE(e.has_value());
    EXPECT_EQ(e.error().code, ErrorCode::Malformed);
    e = outbox_->enqueue("", "bench-01", event_type::ParcelReceived, json::object());
    ASSERT_FALSE(e.has_value());
    EXPECT_EQ(e.error().code, ErrorCode::Malformed);
    e = outbox_->enqueue("site-a", "bench-01", event_type::ParcelReceived, json::array());
    ASSERT_FALSE(e.has_value());
    EXPECT_EQ(e.error().code, ErrorCode::Malformed);
    exec("COMMIT");
    EXPECT_EQ(rowCount(), 0);
}

TEST_F(OutboxTest, RefusesABodyOverThePayloadLimit)
{
    exec("BEGIN");
    const auto e = outbox_->enqueue("site-a", "bench-01", event_type::InspectionCompleted,
                                    {{"blob", std::string(kMaxPayloadBytes, 'x')}});
    exec("COMMIT");
    ASSERT_FALSE(e.has_value());
    EXPECT_EQ(e.error().code, ErrorCode::Malformed);
    EXPECT_EQ(rowCount(), 0);
    EXPECT_EQ(enqueueCommitted().stationSeq, 1);
}

TEST_F(OutboxTest, StatsCountPendingAcknowledgedAndTheOldest)
{
    auto stats = outbox_->stats();
    ASSERT_TRUE(stats.has_value());
    EXPECT_EQ(stats->pending, 0);
    EXPECT_EQ(stats->acknowledged, 0);
    EXPECT_FALSE(stats->oldestPendingAt.has_value());

    const Envelope a = enqueueCommitted();
    const Envelope b = enqueueCommitted();
    stats = outbox_->stats();
    EXPECT_EQ(stats->pending, 2);
    EXPECT_EQ(stats->oldestPendingAt, a.occurredAt);

    ASSERT_TRUE(outbox_->acknowledge({a.eventId}).has_value());
    stats = outbox_->stats();
    EXPECT_EQ(stats->pending, 1);
    EXPECT_EQ(stats->acknowledged, 1);
    EXPECT_EQ(stats->oldestPendingAt, b.occurredAt);

    ASSERT_TRUE(outbox_->acknowledge({b.eventId}).has_value());
    stats = outbox_->stats();
    EXPECT_EQ(stats->pending, 0);
    EXPECT_EQ(stats->acknowledged, 2);
    EXPECT_FALSE(stats->oldestPendingAt.has_value());
}

TEST_F(OutboxTest, DatabaseErrorsNameTheOperationAndSqlitesMessage)
{
    exec("DROP TABLE outbox");
    exec("BEGIN");
    const auto e = outbox_->enqueue("site-a", "bench-01", event_type::ParcelReceived, json::object());
    exec("ROLLBACK");
    ASSERT_FALSE(e.has_value());
    EXPECT_EQ(e.error().code, ErrorCode::Database);
    EXPECT_NE(e.error().message.find("outbox enqueue"), std::string::npos) << e.error().message;
    EXPECT_NE(e.error().message.find("no such table"), std::string::npos) << e.error().message;
    const auto rows = outbox_->after(0, 1);
    ASSERT_FALSE(rows.has_value());
    EXPECT_NE(rows.error().message.find("no such table"), std::string::npos);
}

TEST_F(OutboxTest, EnqueueWithoutSchemaSaysSo)
{
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "empty.db").c_str(), &other), SQLITE_OK);
    Outbox outbox(other);
    exec("BEGIN", other);
    const auto e = outbox.enqueue("s", "b", event_type::ParcelReceived, json::object());
    exec("ROLLBACK", other);
    ASSERT_FALSE(e.has_value());
    EXPECT_EQ(e.error().code, ErrorCode::Database);
    sqlite3_close(other);
}

} // namespace
} // namespace retour::sync

namespace retour::sync {
namespace {

class OutboxReportTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_EQ(sqlite3_open((dir_ / "station.db").c_str(), &db_), SQLITE_OK);
        outbox_ = std::make_unique<Outbox>(db_, 10);
        ASSERT_TRUE(outbox_->ensureSchema());
    }
    void TearDown() override
    {
        outbox_.reset();
        sqlite3_close(db_);
    }
    Envelope add()
    {
        EXPECT_EQ(sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr), SQLITE_OK);
        auto e =
            outbox_->enqueue("site-a", "bench-01", event_type::LabelPrinted, nlohmann::json{{"lpn", "L"}});
        EXPECT_EQ(sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
        return e.value_or(Envelope{});
    }

    test::TempDir dir_{"retour-outbox-report"};
    sqlite3* db_ = nullptr;
    std::unique_ptr<Outbox> outbox_;
};

TEST_F(OutboxReportTest, InFlightCountsTheUnacknowledgedEventsTheBrokerAccepted)
{
    const Envelope a = add();
    add();
    add();
    EXPECT_EQ(outbox_->stats()->inFlight, 0);
    ASSERT_TRUE(outbox_->markSent(2));
    EXPECT_EQ(outbox_->stats()->pending, 3);
    EXPECT_EQ(outbox_->stats()->inFlight, 2);
    ASSERT_TRUE(outbox_->markSent(1)) << "never moves back";
    EXPECT_EQ(outbox_->stats()->inFlight, 2);
    ASSERT_TRUE(outbox_->acknowledge({a.eventId}));
    EXPECT_EQ(outbox_->stats()->pending, 2);
    EXPECT_EQ(outbox_->stats()->inFlight, 1);
    EXPECT_EQ(outbox_->stats()->acknowledged, 1);
}

TEST_F(OutboxReportTest, CapacityCountsUnacknowledgedEventsAcrossReopening)
{
    std::vector<Envelope> all;
    for (int i = 0; i < 10; ++i) {
        all.push_back(add());
    }
    ASSERT_TRUE(outbox_->acknowledge({all[0].eventId, all[1].eventId}));
    add();
    add();
    // Reopened: the count of pending events comes from the table, not from memory.
    outbox_ = std::make_unique<Outbox>(db_, 10);
    ASSERT_TRUE(outbox_->ensureSchema());
    ASSERT_EQ(sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr), SQLITE_OK);
    auto refused = outbox_->enqueue("site-a", "bench-01", event_type::LabelPrinted, nlohmann::json::object());
    ASSERT_EQ(sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::Full);
    EXPECT_NE(refused.error().message.find("10 unacknowledged"), std::string::npos)
        << refused.error().message;
    EXPECT_EQ(outbox_->stats()->pending, 10);
}

TEST_F(OutboxReportTest, AnOlderDatabaseGainsTheSentColumn)
{
    outbox_.reset();
    sqlite3_close(db_);
    ASSERT_EQ(sqlite3_open((dir_ / "old.db").c_str(), &db_), SQLITE_OK);
    ASSERT_EQ(
        sqlite3_exec(db_,
                     "CREATE TABLE outbox_meta (id INTEGER PRIMARY KEY CHECK (id = 1), next_seq INTEGER NOT "
                     "NULL, acknowledged INTEGER NOT NULL);"
                     "INSERT INTO outbox_meta VALUES (1, 5, 4);",
                     nullptr, nullptr, nullptr),
        SQLITE_OK);
    outbox_ = std::make_unique<Outbox>(db_, 10);
    ASSERT_TRUE(outbox_->ensureSchema());
    ASSERT_TRUE(outbox_->ensureSchema()) << "idempotent";
    EXPECT_EQ(add().stationSeq, 5);
    ASSERT_TRUE(outbox_->markSent(5));
    EXPECT_EQ(outbox_->stats()->inFlight, 1);
}

} // namespace
} // namespace retour::sync
