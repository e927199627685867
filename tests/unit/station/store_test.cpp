#include "retour/link/outbox.h"
#include "store/store.h"
#include "tests/support/sqlite_query.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/station/fixtures.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace retour::station {
namespace {

using namespace retour::station::testing;
using retour::test::TempDir;

Parcel parcel(const std::string& id = "parcel-1")
{
    return Parcel{id, "RMA-000101", "portal", "rma_label", "RMA-000101", "op-17", "2026-11-26T11:00:00.000Z"};
}

Inspection inspection(const std::string& id = "insp-1", const std::string& lpn = "LPN-bench-01-000001")
{
    Inspection i;
    i.inspectionId = id;
    i.parcelId = "parcel-1";
    i.rmaId = "RMA-000101";
    i.lineId = "1";
    i.channel = "portal";
    i.identifiedBy = "rma_label";
    i.item = ItemInfo{"HEAD-BT-200", "4006381333931", "SN-1", "electronics", "Headphones"};
    i.weight = WeightCheck{515.0, 512.0, 25.6, "ok"};
    i.photos = {PhotoRef{"aa11", "front", 1234, 640, 480}, PhotoRef{"bb22", "back", 2345, 640, 480}};
    i.findings = {};
    i.grade = GradeResult{0, 'A', 'A'};
    i.disposition = Decision{Disposition::RestockNew, "A-01", "like-new-restock"};
    i.lpn = lpn;
    i.operatorId = "op-17";
    i.confirmedAt = "2026-11-26T11:29:56.123Z";
    return i;
}

LabelRecord label(const std::string& job = "job-1", const std::string& inspectionId = "insp-1",
                  const std::string& lpn = "LPN-bench-01-000001")
{
    return LabelRecord{job, inspectionId, lpn, "^XA^XZ"};
}

// A second connection: sees only committed data.
std::int64_t count(const std::filesystem::path& file, const std::string& sqlText)
{
    const std::string value = retour::test::queryValue(file, sqlText);
    return value.empty() ? -1 : std::stoll(value);
}

class StoreTest : public ::testing::Test
{
protected:
    void SetUp() override { open(); }

    void open(std::size_t capacity = 100000)
    {
        store_.reset();
        auto store = Store::open(file_, Store::Options{"demo-site", "bench-01", capacity, 5000});
        ASSERT_TRUE(store.has_value()) << store.error().message;
        store_ = std::move(*store);
    }

    TempDir dir_;
    std::filesystem::path file_ = dir_.path() / "data" / "station.db";
    std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, MigratesOnceAndUsesWal)
{
    EXPECT_EQ(store_->schemaVersion(), 3);
    open();
    EXPECT_EQ(store_->schemaVersion(), 3);
    EXPECT_EQ(count(file_, "SELECT count(*) FROM schema_version"), 3);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(store_->handle(), "PRAGMA journal_mode", -1, &stmt, nullptr);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
    sqlite3_finalize(stmt);
}

TEST_F(StoreTest, RmaCacheIsIndexedByEveryKey)
{
    ASSERT_TRUE(store_->putRma(portalRma()));
    ASSERT_TRUE(store_->putRma(multiLineRma()));
    EXPECT_EQ(*store_->rmaCount(), 2);
    EXPECT_EQ(store_->find(RmaKey::LabelBarcode, "RMA-000101").size(), 1u);
    EXPECT_EQ(store_->find(RmaKey::Tracking, "1Z999AA10123456784").front().rmaId, "RMA-000101");
    EXPECT_EQ(store_->find(RmaKey::OrderId, "SO-10003").front().rmaId, "RMA-000103");
    EXPECT_EQ(store_->find(RmaKey::Gtin, "04006381333931").front().lines.front().expectedWeightG, 512);
    EXPECT_EQ(store_->find(RmaKey::Serial, "SN-BT200-0001").size(), 1u);
    // An update replaces the keys; a close removes the RMA and its keys.
    Rma changed = portalRma();
    changed.tracking = "NEWTRACK";
    ASSERT_TRUE(store_->putRma(changed));
    EXPECT_TRUE(store_->find(RmaKey::Tracking, "1Z999AA10123456784").empty());
    EXPECT_EQ(store_->find(RmaKey::Tracking, "NEWTRACK").size(), 1u);
    ASSERT_TRUE(store_->removeRma("RMA-000101"));
    EXPECT_TRUE(store_->find(RmaKey::Gtin, "04006381333931").empty());
    EXPECT_EQ(*store_->rmaCount(), 1);
}

TEST_F(StoreTest, ParcelAndItsEventCommitTogether)
{
    ASSERT_TRUE(store_->createParcel(parcel()));
    EXPECT_EQ(count(file_, "SELECT count(*) FROM parcel"), 1);
    EXPECT_EQ(count(file_, "SELECT count(*) FROM outbox WHERE type = 'parcel.received'"), 1);
    EXPECT_EQ(count(file_, "SELECT count(*) FROM audit WHERE action = 'parcel.received'"), 1);
}

TEST_F(StoreTest, ConfirmItemWritesInspectionPhotosLabelAuditAndEventInOneTransaction)
{
    ASSERT_TRUE(store_->createParcel(parcel()));
    auto ok = store_->confirmItem(inspection(), label());
    ASSERT_TRUE(ok.has_value()) << ok.error().message;
    EXPECT_EQ(count(file_, "SELECT count(*) FROM inspection"), 1);
    EXPECT_EQ(count(file_, "SELECT count(*) FROM photo WHERE inspection_id = 'insp-1'"), 2);
    EXPECT_EQ(count(file_, "SELECT count(*) FROM label WHERE printed = 0"), 1);
    EXPECT_EQ(count(file_, "SELECT count(*) FROM audit WHERE action = 'inspection.confirmed'"), 1);
    EXPECT_EQ(count(file_, "SELECT count(*) FROM outbox WHERE type = 'inspection.completed'"), 1);
    EXPECT_EQ(count(file_, "SELECT count(*) FROM inspection i JOIN outbox o ON o.event_id = i.event_id"), 1);
    EXPECT_EQ(*store_->lastLpnSeq(), 1);
    EXPECT_EQ(store_->pendingLabels()->front().jobId, "job-1");
}

TEST_F(StoreTest, FailureInTheMiddleOfConfirmLeavesNothing)
{
    ASSERT_TRUE(store_->createParcel(parcel()));
    // Capacity 1 with the parcel event queued: the inspection rows are written, then the outbox
    // refuses the event, so the whole transaction must roll back.
    open(1);
    auto failed = store_->confirmItem(inspection(), label());
    ASSERT_FALSE(failed.has_value());
    EXPECT_NE(failed.error().message.find("capacity"), std::string::npos) << failed.error().message;
    EXPECT_EQ(count(file_, "SELECT count(*) FROM inspection"), 0);
    EXPECT_EQ(count(file_, "SELECT count(*) FROM photo"), 0);
    EXPECT_EQ(count(file_, "SELECT count(*) FROM label"), 0);
    EXPECT_EQ(count(file_, "SELECT count(*) FROM audit WHERE action = 'inspection.confirmed'"), 0);
    EXPECT_EQ(count(file_, "SELECT count(*) FROM outbox WHERE type = 'inspection.completed'"), 0);
    EXPECT_EQ(*store_->lastLpnSeq(), 0);
    // The connection is usable again afterwards.
    open();
    EXPECT_TRUE(store_->confirmItem(inspection(), label()).has_value());
}

TEST_F(StoreTest, DuplicateLpnIsRefusedWithoutAnEvent)
{
    ASSERT_TRUE(store_->createParcel(parcel()));
    ASSERT_TRUE(store_->confirmItem(inspection(), label()));
    EXPECT_FALSE(store_->confirmItem(inspection("insp-2"), label("job-2", "insp-2")).has_value());
    EXPECT_EQ(count(file_, "SELECT count(*) FROM outbox WHERE type = 'inspection.completed'"), 1);
}

TEST_F(StoreTest, LabelPrintedEnqueuesOnceAndAckMarksInspection)
{
    ASSERT_TRUE(store_->createParcel(parcel()));
    ASSERT_TRUE(store_->confirmItem(inspection(), label()));
    ASSERT_TRUE(store_->labelFailed("job-1", "paper out"));
    EXPECT_EQ(*store_->pendingLabelCount(), 1);
    ASSERT_TRUE(store_->labelPrinted("job-1", "sim:printer", "2026-11-26T11:30:00.000Z"));
    ASSERT_TRUE(store_->labelPrinted("job-1", "sim:printer", "2026-11-26T11:30:01.000Z")); // idempotent
    EXPECT_EQ(*store_->pendingLabelCount(), 0);
    EXPECT_EQ(count(file_, "SELECT count(*) FROM outbox WHERE type = 'label.printed'"), 1);
    EXPECT_EQ(count(file_, "SELECT attempts FROM label WHERE job_id = 'job-1'"), 2);

    auto pending = store_->outbox().after(0, 100);
    ASSERT_TRUE(pending.has_value());
    ASSERT_EQ(pending->size(), 3u);
    std::vector<std::string> ids;
    for (const auto& p : *pending) {
        ids.push_back(p.eventId);
    }
    auto removed = store_->acknowledge(ids);
    ASSERT_TRUE(removed.has_value()) << removed.error().message;
    EXPECT_EQ(*removed, 3u);
    EXPECT_EQ(count(file_, "SELECT acked FROM inspection WHERE inspection_id = 'insp-1'"), 1);
    EXPECT_EQ(count(file_, "SELECT count(*) FROM outbox"), 0);
}

TEST_F(StoreTest, ReportListsParcelsWithTheirItems)
{
    ASSERT_TRUE(store_->createParcel(parcel()));
    ASSERT_TRUE(store_->confirmItem(inspection(), label()));
    ASSERT_TRUE(store_->closeParcel("parcel-1", {"missing_item"}, nlohmann::json::array({{{"line_id", "2"}}}),
                                    "2026-11-26T11:31:00.000Z", "op-17"));
    auto report = store_->report();
    ASSERT_TRUE(report.has_value()) << report.error().message;
    ASSERT_EQ(report->size(), 1u);
    const auto& p = (*report)[0];
    EXPECT_EQ(p["rma_id"], "RMA-000101");
    EXPECT_EQ(p["findings"], nlohmann::json::array({"missing_item"}));
    ASSERT_EQ(p["items"].size(), 1u);
    const auto& item = p["items"][0];
    EXPECT_EQ(item["lpn"], "LPN-bench-01-000001");
    EXPECT_EQ(item["photos"], 2);
    EXPECT_EQ(item["weight"]["result"], "ok");
    EXPECT_EQ(item["disposition"], "restock_new");
    EXPECT_EQ(item["rule"], "like-new-restock");
    EXPECT_EQ(item["label_printed"], false);
    EXPECT_EQ(item["acked"], false);
}

TEST_F(StoreTest, CloseParcelEnqueuesParcelClosedWithExpectedFoundMissingAndExtra)
{
    ASSERT_TRUE(store_->putRma(multiLineRma()));
    Parcel p = parcel();
    p.rmaId = "RMA-000103";
    ASSERT_TRUE(store_->createParcel(p));
    Inspection shoes = inspection();
    shoes.rmaId = "RMA-000103";
    ASSERT_TRUE(store_->confirmItem(shoes, label()));
    Inspection stranger = inspection("insp-2", "LPN-bench-01-000002");
    stranger.rmaId = "RMA-000103";
    stranger.lineId.reset();
    stranger.item.sku = "MUG-1";
    ASSERT_TRUE(store_->confirmItem(stranger, label("job-2", "insp-2", "LPN-bench-01-000002")));
    const auto missing = nlohmann::json::array({{{"line_id", "2"}, {"sku", "BELT-L"}, {"missing", 1}}});
    ASSERT_TRUE(
        store_->closeParcel("parcel-1", {"missing_item"}, missing, "2026-11-26T11:31:00.000Z", "op-17"));

    auto pending = store_->outbox().after(0, 100);
    ASSERT_TRUE(pending.has_value());
    ASSERT_EQ(pending->size(), 4u);
    const auto& closed = pending->back();
    EXPECT_EQ(closed.topic, "returns/v1/demo-site/bench-01/evt/parcel.closed");
    const auto data = nlohmann::json::parse(closed.payload)["data"];
    EXPECT_EQ(data["parcel_id"], "parcel-1");
    EXPECT_EQ(data["rma_id"], "RMA-000103");
    EXPECT_EQ(data["closed_at"], "2026-11-26T11:31:00.000Z");
    EXPECT_EQ(data["operator"], "op-17");
    EXPECT_EQ(data["expected"], nlohmann::json::parse(R"([{"line_id":"1","sku":"SHOE-42","quantity":1},
                                                          {"line_id":"2","sku":"BELT-L","quantity":1}])"));
    ASSERT_EQ(data["found"].size(), 2u);
    EXPECT_EQ(data["found"][0]["inspection_id"], "insp-1");
    EXPECT_EQ(data["found"][0]["line_id"], "1");
    EXPECT_TRUE(data["found"][1]["line_id"].is_null());
    EXPECT_EQ(data["missing"], nlohmann::json::parse(R"([{"line_id":"2","sku":"BELT-L","quantity":1}])"));
    EXPECT_EQ(data["extra"], nlohmann::json::parse(R"([{"inspection_id":"insp-2","line_id":null,"sku":"MUG-1",
                                                        "gtin":"4006381333931","serial":"SN-1",
                                                        "findings":[],"reason":"wrong_item"}])"));
    EXPECT_EQ(data["findings"], nlohmann::json::array({"missing_item"}));
    EXPECT_TRUE(data["label"].is_null());
}

// A unit beyond its line's quantity is extra (over_quantity) with its line; a unit taken back with
// CMD:UNDO is not found; the items carry the findings recorded with their inspection.
TEST_F(StoreTest, ParcelClosedCountsUnitsOverTheLineQuantityAsExtraAndSkipsVoidedOnes)
{
    ASSERT_TRUE(store_->putRma(portalRma()));
    ASSERT_TRUE(store_->createParcel(parcel()));
    ASSERT_TRUE(store_->confirmItem(inspection(), label()));
    Inspection second = inspection("insp-2", "LPN-bench-01-000002");
    second.item.serial = "SN-OTHER";
    second.findings = {"extra_item", "serial_mismatch"};
    ASSERT_TRUE(store_->confirmItem(second, label("job-2", "insp-2", "LPN-bench-01-000002")));
    Inspection third = inspection("insp-3", "LPN-bench-01-000003");
    ASSERT_TRUE(store_->confirmItem(third, label("job-3", "insp-3", "LPN-bench-01-000003")));
    ASSERT_TRUE(store_->voidInspection("insp-3", "op-17", "2026-11-26T11:30:00.000Z"));
    ASSERT_TRUE(store_->closeParcel("parcel-1", {"extra_item", "serial_mismatch"}, nlohmann::json::array(),
                                    "2026-11-26T11:31:00.000Z", "op-17"));

    auto pending = store_->outbox().after(0, 100);
    ASSERT_TRUE(pending.has_value());
    const auto data = nlohmann::json::parse(pending->back().payload)["data"];
    ASSERT_EQ(data["found"].size(), 2u); // the voided insp-3 was taken back
    EXPECT_EQ(data["found"][1]["serial"], "SN-OTHER");
    EXPECT_EQ(data["found"][1]["findings"], nlohmann::json::array({"extra_item", "serial_mismatch"}));
    ASSERT_EQ(data["extra"].size(), 1u);
    EXPECT_EQ(data["extra"][0]["inspection_id"], "insp-2");
    EXPECT_EQ(data["extra"][0]["line_id"], "1");
    EXPECT_EQ(data["extra"][0]["reason"], "over_quantity");
    EXPECT_EQ(data["findings"], nlohmann::json::array({"extra_item", "serial_mismatch"}));
}

// A return created at the bench from a pre-printed label: parcel.received and parcel.closed carry
// the label, channel preprinted and no RMA.
TEST_F(StoreTest, BenchCreatedPreprintedParcelCarriesItsLabelInItsEvents)
{
    Parcel p{"parcel-1",
             std::nullopt,
             "preprinted",
             "preprinted_label",
             "]C0PP-9900001",
             "op-17",
             "2026-11-26T11:00:00.000Z",
             "PP-9900001"};
    ASSERT_TRUE(store_->createParcel(p));
    ASSERT_TRUE(
        store_->closeParcel("parcel-1", {}, nlohmann::json::array(), "2026-11-26T11:31:00.000Z", "op-17"));
    auto pending = store_->outbox().after(0, 100);
    ASSERT_TRUE(pending.has_value());
    ASSERT_EQ(pending->size(), 2u);
    const auto received = nlohmann::json::parse(pending->front().payload)["data"];
    EXPECT_TRUE(received["rma_id"].is_null());
    EXPECT_EQ(received["channel"], "preprinted");
    EXPECT_EQ(received["identified_by"], "preprinted_label");
    EXPECT_EQ(received["label"], "PP-9900001");
    const auto closed = nlohmann::json::parse(pending->back().payload)["data"];
    EXPECT_EQ(closed["label"], "PP-9900001");
    EXPECT_TRUE(closed["rma_id"].is_null());
    EXPECT_TRUE(closed["extra"].empty());
}

// Every LPN this bench printed leads back to its item and parcel; a void one says so.
TEST_F(StoreTest, FindLpnReturnsTheItemAndItsParcel)
{
    ASSERT_TRUE(store_->createParcel(parcel()));
    ASSERT_TRUE(store_->confirmItem(inspection(), label()));
    auto open = store_->findLpn("LPN-bench-01-000001");
    ASSERT_TRUE(open.has_value()) << open.error().message;
    ASSERT_TRUE(open->has_value());
    EXPECT_EQ((*open)->inspectionId, "insp-1");
    EXPECT_EQ((*open)->parcelId, "parcel-1");
    EXPECT_EQ((*open)->rmaId, "RMA-000101");
    EXPECT_EQ((*open)->grade, "A");
    EXPECT_EQ((*open)->disposition, "restock_new");
    EXPECT_EQ((*open)->location, "A-01");
    EXPECT_FALSE((*open)->parcelClosedAt.has_value());
    EXPECT_FALSE((*open)->voided);
    ASSERT_TRUE(
        store_->closeParcel("parcel-1", {}, nlohmann::json::array(), "2026-11-26T11:31:00.000Z", "op-17"));
    auto closed = store_->findLpn("LPN-bench-01-000001");
    ASSERT_TRUE(closed.has_value() && closed->has_value());
    EXPECT_EQ((*closed)->parcelClosedAt, "2026-11-26T11:31:00.000Z");
    auto unknown = store_->findLpn("LPN-bench-01-000099");
    ASSERT_TRUE(unknown.has_value());
    EXPECT_FALSE(unknown->has_value());
}

TEST_F(StoreTest, CloseParcelRefusedByAFullOutboxLeavesTheParcelOpen)
{
    ASSERT_TRUE(store_->createParcel(parcel()));
    open(1); // the parcel.received event fills the outbox
    auto failed =
        store_->closeParcel("parcel-1", {}, nlohmann::json::array(), "2026-11-26T11:31:00.000Z", "op-17");
    ASSERT_FALSE(failed.has_value());
    EXPECT_NE(failed.error().message.find("capacity"), std::string::npos) << failed.error().message;
    EXPECT_EQ(count(file_, "SELECT count(*) FROM parcel WHERE closed_at IS NOT NULL"), 0);
    EXPECT_EQ(count(file_, "SELECT count(*) FROM audit WHERE action = 'parcel.closed'"), 0);
    EXPECT_EQ(count(file_, "SELECT count(*) FROM outbox WHERE type = 'parcel.closed'"), 0);
}

} // namespace
} // namespace retour::station
