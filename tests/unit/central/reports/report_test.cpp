#include "desk/seed.h"
#include "ledger/ingest.h"
#include "reports/listings.h"
#include "tests/unit/central/fixtures.h"

#include <gtest/gtest.h>

namespace retour::central {
namespace {

using nlohmann::json;

// A ledger with the two seeded RMAs, RMA-000101 received and fully inspected at bench-01, an
// event from bench-02 and one dead letter.
class ReportTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        test::writeFile(dir_ / "rmas.toml", test::kSeed);
        auto store = test::openSqliteStorage(dir_ / "central.db", OpenMode::ReadWrite);
        ASSERT_TRUE(store) << store.error().message;
        storage_ = std::move(*store);
        store_ = &storage_->ledger();
        Ledger ledger(*store_);
        ASSERT_TRUE(applySeed(*store_, ledger, loadSeed(dir_ / "rmas.toml").value(), "rmas.toml",
                              "2026-11-26T10:00:00.000Z"));
        Ingest ingest("demo-site", *store_, ledger);
        auto send = [&](std::string_view type, json data, std::string_view station = "bench-01") {
            const auto result =
                ingest.handle(sync::topics::event("demo-site", station, type),
                              test::eventBody(type, std::move(data), station), "2026-11-26T11:30:00.000Z");
            ASSERT_TRUE(result && result->outcome == IngestResult::Outcome::Stored);
        };
        send(sync::event_type::ParcelReceived, test::parcelReceived(parcel_, "RMA-000101"));
        send(sync::event_type::InspectionCompleted,
             test::inspectionCompleted(inspection_, parcel_, "RMA-000101", "1"));
        send(sync::event_type::InspectionCompleted,
             test::inspectionCompleted(sync::newUuidV7(), parcel_, "RMA-000101", "2"));
        send(sync::event_type::LabelPrinted, json{{"lpn", "L"}}, "bench-02");
        ASSERT_TRUE(ingest.handle("returns/v1/demo-site/bench-01/evt/parcel.received", "garbage", "t"));
    }

    retour::test::TempDir dir_{"central-report"};
    std::unique_ptr<Storage> storage_;
    Store* store_ = nullptr;
    const std::string parcel_ = sync::newUuidV7();
    const std::string inspection_ = sync::newUuidV7();
};

TEST_F(ReportTest, ReturnsJsonHasTheExpectedFields)
{
    const auto report = returnsReport(*store_);
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_TRUE(report->is_array());
    const json& returns = *report;
    ASSERT_EQ(returns.size(), 2u);

    const json& ret = returns[0];
    EXPECT_EQ(ret.at("rma_id"), "RMA-000101");
    EXPECT_EQ(ret.at("channel"), "portal");
    EXPECT_EQ(ret.at("state"), "inspected");
    EXPECT_EQ(ret.at("order_id"), "SO-10001");
    EXPECT_EQ(ret.at("customer"), "Ada Lovelace");
    EXPECT_EQ(ret.at("tracking"), "1Z999AA10123456784");
    EXPECT_EQ(ret.at("label_barcode"), "RMA-000101");
    EXPECT_EQ(ret.at("parcel_ids"), json::array({parcel_}));
    EXPECT_EQ(ret.at("created_at"), "2026-11-26T10:00:00.000Z");
    EXPECT_EQ(ret.at("updated_at"), "2026-11-26T11:30:00.000Z");
    EXPECT_EQ(ret.at("received_at"), "2026-11-26T11:30:00.000Z");
    EXPECT_EQ(ret.at("inspected_at"), "2026-11-26T11:30:00.000Z");

    ASSERT_EQ(ret.at("lines").size(), 2u);
    const json& line = ret.at("lines")[0];
    EXPECT_EQ(line.at("line_id"), "1");
    EXPECT_EQ(line.at("sku"), "HEAD-BT-200");
    EXPECT_EQ(line.at("quantity"), 1);
    EXPECT_EQ(line.at("expected_weight_g"), 512.0);
    EXPECT_EQ(line.at("inspected"), 1);
    EXPECT_EQ(line.at("inspection_ids"), json::array({inspection_}));

    ASSERT_EQ(ret.at("inspections").size(), 2u);
    const json& in = ret.at("inspections")[0];
    EXPECT_EQ(in.at("inspection_id"), inspection_);
    EXPECT_EQ(in.at("line_id"), "1");
    EXPECT_EQ(in.at("parcel_id"), parcel_);
    EXPECT_EQ(in.at("station"), "bench-01");
    EXPECT_EQ(in.at("grade").at("grade"), "A");
    EXPECT_EQ(in.at("disposition").at("code"), "restock_new");
    EXPECT_EQ(in.at("disposition").at("location"), "A-01");
    EXPECT_EQ(in.at("weight").at("result"), "ok");
    EXPECT_EQ(in.at("weight").at("measured_g"), 515.0);
    EXPECT_EQ(in.at("photos").size(), 2u);
    EXPECT_EQ(in.at("photos")[0].at("sha256"), std::string(64, 'a'));
    EXPECT_EQ(in.at("findings"), json::array({"weight_mismatch"}));

    const json& history = ret.at("history");
    ASSERT_EQ(history.size(), 3u);
    EXPECT_TRUE(history[0].at("from").is_null());
    EXPECT_EQ(history[0].at("to"), "authorised");
    EXPECT_EQ(history[0].at("actor"), "seed:rmas.toml");
    EXPECT_EQ(history[2].at("to"), "inspected");
    EXPECT_EQ(history[2].at("actor"), "station:bench-01");

    const json& other = returns[1];
    EXPECT_EQ(other.at("rma_id"), "RMA-000102");
    EXPECT_EQ(other.at("state"), "authorised");
    EXPECT_TRUE(other.at("received_at").is_null());
    EXPECT_EQ(other.at("trade_in_value"), 80.0);
}

TEST_F(ReportTest, ReturnsTableShowsEachReturnAndItsInspections)
{
    const auto report = returnsReport(*store_);
    ASSERT_TRUE(report);
    const std::string table = formatReturnsTable(*report);
    EXPECT_NE(table.find("RMA-000101"), std::string::npos) << table;
    EXPECT_NE(table.find("inspected"), std::string::npos) << table;
    EXPECT_NE(table.find("2/2"), std::string::npos) << table;
    EXPECT_NE(table.find("restock_new @ A-01"), std::string::npos) << table;
    EXPECT_NE(table.find("RMA-000102"), std::string::npos) << table;
}

TEST_F(ReportTest, EventsJsonListsEventsAndCountsDeadLetters)
{
    const auto all = eventsReport(*store_, "");
    ASSERT_TRUE(all) << all.error().message;
    EXPECT_EQ(all->at("events").size(), 4u);
    EXPECT_EQ(all->at("dead_letters"), 1);
    const json& first = all->at("events")[0];
    for (const char* field : {"event_id", "station", "station_seq", "type", "occurred_at", "received_at"}) {
        EXPECT_TRUE(first.contains(field)) << field;
    }
    EXPECT_EQ(first.at("type"), "parcel.received");
    EXPECT_EQ(first.at("received_at"), "2026-11-26T11:30:00.000Z");

    const auto bench2 = eventsReport(*store_, "bench-02");
    ASSERT_TRUE(bench2);
    ASSERT_EQ(bench2->at("events").size(), 1u);
    EXPECT_EQ(bench2->at("events")[0].at("type"), "label.printed");

    const std::string table = formatEventsTable(*all);
    EXPECT_NE(table.find("4 event(s), 1 dead letter(s)"), std::string::npos) << table;
}

} // namespace
} // namespace retour::central
