// Every message central and the sync library produce follows docs/asyncapi.yaml and its JSON
// Schemas (docs/schemas/), checked by python3-jsonschema through tests/support/validate_messages.py.
// Messages of real station runs are checked in tests/fault.
#include "desk/seed.h"
#include "ledger/ingest.h"
#include "ledger/ledger.h"
#include "ledger/lookup.h"
#include "ledger/publisher.h"
#include "storage/store.h"
#include "tests/support/contract.h"
#include "tests/unit/central/fixtures.h"

#include <gtest/gtest.h>

namespace retour::central {
namespace {

using Messages = std::vector<std::pair<std::string, std::string>>;

void expectValid(const Messages& messages)
{
    const auto result = retour::test::validateMessages(messages);
    if (!result.available) {
        GTEST_SKIP() << result.output;
    }
    EXPECT_TRUE(result.valid) << result.output;
}

class ContractTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        test::writeFile(dir_ / "rmas.toml", test::kSeed);
        auto rmas = loadSeed(dir_ / "rmas.toml");
        ASSERT_TRUE(rmas) << rmas.error().format();
        storage_ = std::move(*test::openSqliteStorage(dir_ / "central.db", OpenMode::ReadWrite));
        store_ = &storage_->ledger();
        ledger_ = std::make_unique<Ledger>(*store_);
        ASSERT_TRUE(applySeed(*store_, *ledger_, *rmas, "rmas.toml", "2026-11-26T10:00:00.000Z"));
    }

    retour::test::TempDir dir_{"central-contract"};
    std::unique_ptr<Storage> storage_;
    Store* store_ = nullptr;
    std::unique_ptr<Ledger> ledger_;
};

TEST_F(ContractTest, EnvelopesOfEveryEventTypeFollowTheContract)
{
    const std::string parcel = sync::newUuidV7();
    Messages messages;
    auto add = [&](std::string_view type, nlohmann::json data) {
        messages.emplace_back(sync::topics::event("demo-site", "bench-01", type),
                              test::eventBody(type, std::move(data)));
    };
    add(sync::event_type::ParcelReceived, test::parcelReceived(parcel, "RMA-000101"));
    add(sync::event_type::ParcelReceived, test::parcelReceived(sync::newUuidV7(), nullptr));
    add(sync::event_type::InspectionCompleted,
        test::inspectionCompleted(sync::newUuidV7(), parcel, "RMA-000101", "1"));
    add(sync::event_type::ParcelClosed, test::parcelClosed(parcel, "RMA-000101", {sync::newUuidV7()}));
    auto unannounced = test::parcelClosed(sync::newUuidV7(), nullptr, {}, nlohmann::json::array());
    unannounced["expected"] = nlohmann::json::array();
    unannounced["extra"] = {{{"inspection_id", sync::newUuidV7()}, {"line_id", nullptr}, {"sku", "MUG-1"}}};
    add(sync::event_type::ParcelClosed, unannounced);
    add(sync::event_type::LabelPrinted, {{"inspection_id", sync::newUuidV7()},
                                         {"lpn", "LPN-bench-01-000001"},
                                         {"job_id", "job-1"},
                                         {"printer", "tcp:192.0.2.10:9100"}});
    add(sync::event_type::RestockCompleted, {{"inspection_id", sync::newUuidV7()},
                                             {"lpn", "LPN-bench-01-000001"},
                                             {"sku", "HEAD-BT-200"},
                                             {"location", "A-01"},
                                             {"condition", "new"}});
    expectValid(messages);
}

TEST_F(ContractTest, TheValidatorRefusesWhatBreaksTheContract)
{
    // Guards the guard: a wrong enum, a missing field, a bad UUID and an unknown topic fail.
    auto data = test::inspectionCompleted(sync::newUuidV7(), sync::newUuidV7(), "RMA-000101", "1");
    data["disposition"]["code"] = "throw_away";
    auto noParcel = test::parcelReceived(sync::newUuidV7(), nullptr);
    noParcel.erase("parcel_id");
    auto noQuantity = test::parcelClosed(sync::newUuidV7(), "RMA-000101", {});
    noQuantity["missing"][0].erase("quantity");
    for (const auto& [topic, payload] : Messages{
             {sync::topics::event("demo-site", "bench-01", sync::event_type::InspectionCompleted),
              test::eventBody(sync::event_type::InspectionCompleted, data)},
             {sync::topics::event("demo-site", "bench-01", sync::event_type::ParcelReceived),
              test::eventBody(sync::event_type::ParcelReceived, noParcel)},
             {sync::topics::event("demo-site", "bench-01", sync::event_type::ParcelClosed),
              test::eventBody(sync::event_type::ParcelClosed, noQuantity)},
             {sync::topics::ack("demo-site", "bench-01"),
              R"({"schema":"retour.ack","version":1,"event_ids":["x"]})"},
             {"returns/v1/demo-site/bench-01/elsewhere", "{}"},
         }) {
        const auto result = retour::test::validateMessages({{topic, payload}});
        if (!result.available) {
            GTEST_SKIP() << result.output;
        }
        EXPECT_FALSE(result.valid) << topic << ": " << payload;
    }
}

TEST_F(ContractTest, CentralsAcksRmasStatusAndLookupAnswersFollowTheContract)
{
    Messages messages;
    Ingest ingest("demo-site", *store_, *ledger_);
    std::vector<IngestResult> results;
    for (int i = 0; i < 3; ++i) {
        auto result =
            ingest.handle(sync::topics::event("demo-site", "bench-01", sync::event_type::ParcelReceived),
                          test::eventBody(sync::event_type::ParcelReceived,
                                          test::parcelReceived(sync::newUuidV7(), "RMA-000101")),
                          "2026-11-26T11:30:00.000Z");
        ASSERT_TRUE(result);
        results.push_back(*result);
    }
    for (const AckMessage& ack : batchAcks(results)) {
        messages.emplace_back(ack.topic, ack.payload);
    }
    Publisher publisher("demo-site", [&](const std::string& topic, const std::string& payload, int, bool) {
        messages.emplace_back(topic, payload);
        return Result<int>(1);
    });
    auto published = publisher.publishOpen(*store_);
    ASSERT_TRUE(published);
    EXPECT_GE(*published, 2u);
    messages.emplace_back(sync::topics::centralStatus("demo-site"),
                          sync::encodeCentralStatus({true, sync::newUuidV7(), "2026-11-26T11:30:00.000Z"}));
    messages.emplace_back(sync::topics::centralStatus("demo-site"),
                          sync::encodeCentralStatus({false, "", ""}));
    for (const std::string value : {"4006381333931", "nothing", "SO-10001"}) {
        const sync::LookupRequest request{sync::newUuidV7(), "bench-01", "any", value};
        messages.emplace_back(sync::topics::request("demo-site", "bench-01", sync::kLookupRequestName),
                              sync::encodeLookupRequest(request));
        auto answer = answerLookup(*store_, "demo-site", request);
        ASSERT_TRUE(answer);
        messages.emplace_back(sync::topics::command("demo-site", "bench-01", sync::kLookupRequestName),
                              sync::encodeLookupResponse(*answer));
    }
    expectValid(messages);
}

TEST(LookupMatch, KeysSelectWhatIsCompared)
{
    Return ret;
    ret.rmaId = "RMA-1";
    ret.labelBarcode = "LBL-1";
    ret.orderId = "SO-1";
    ret.tracking = "1Z1";
    ReturnLine line;
    line.gtin = "4006381333931";
    line.serials = {"SN-1"};
    ret.lines.push_back(line);
    EXPECT_TRUE(matchesLookup(ret, "label", "RMA-1"));
    EXPECT_TRUE(matchesLookup(ret, "label", "LBL-1"));
    EXPECT_TRUE(matchesLookup(ret, "gtin", "04006381333931"));
    EXPECT_TRUE(matchesLookup(ret, "any", "SN-1"));
    EXPECT_TRUE(matchesLookup(ret, "tracking", "1Z1"));
    EXPECT_FALSE(matchesLookup(ret, "serial", "SO-1"));
    EXPECT_FALSE(matchesLookup(ret, "gtin", "4006381333932"));
    EXPECT_FALSE(matchesLookup(ret, "gtin", "")) << "an empty value matches nothing";
}

} // namespace
} // namespace retour::central
