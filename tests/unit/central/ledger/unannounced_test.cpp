// Unannounced parcels at central: the inspected item found in the imported catalogue by its GTIN
// (any length) and the return attributed to the order that shipped its serial; real SQLite file.
#include "storage/order_store.h"
#include "tests/unit/central/ledger_fixture.h"

#include <gtest/gtest.h>

namespace retour::central {
namespace {

using nlohmann::json;
using test::eventBody;
using test::inspectionCompleted;
using test::parcelReceived;

using test::kSite;
constexpr std::string_view kReceivedAt = "2026-11-26T11:30:00.000Z";

class UnannouncedTest : public test::LedgerTest
{
protected:
    UnannouncedTest() : LedgerTest("central-unannounced") {}

    void SetUp() override
    {
        ASSERT_NO_FATAL_FAILURE(openLedger(false));
        ordersStorage_ = attach();
        ASSERT_TRUE(ordersStorage_);
        orders_ = &ordersStorage_->orders();
        ingest_->setItemLookup(
            [this](const Inspection& inspection) { return lookUpItem(*orders_, inspection); });

        // Stored as a GTIN-13, inspected as a GTIN-14.
        ASSERT_TRUE(orders_->putCatalogueItem(CatalogueItem{"HEAD-BT-200", "4006381333931",
                                                            "Bluetooth headphones BT-200", "electronics",
                                                            129.9, 512.0, true}));
        ASSERT_TRUE(orders_->putCatalogueItem(
            CatalogueItem{"MUG-12", "012345678905", "Mug", "generic", 9.5, std::nullopt, true}));
        Order order;
        order.orderId = "ORD-900";
        order.email = "dana@example.com";
        order.orderedAt = "2026-11-01T09:00:00Z";
        order.lines.push_back(OrderLine{"1", "MUG-12", 1, 8.0, {}});
        order.lines.push_back(OrderLine{"2", "HEAD-BT-200", 1, 119.0, {"SN-SHIPPED-7"}});
        ASSERT_TRUE(orders_->putOrder(order));
    }

    // An item of an unannounced parcel as a bench that cannot name it reports it: a GTIN, maybe a
    // serial, no SKU, category or description.
    IngestResult inspectUnnamed(const std::string& parcel, const std::string& gtin, json serial)
    {
        json data = inspectionCompleted(sync::newUuidV7(), parcel, nullptr, nullptr);
        data["channel"] = "unannounced";
        data["identified_by"] = "unannounced";
        data["item"] = {{"sku", nullptr}, {"gtin", gtin}, {"serial", std::move(serial)}};
        data["findings"] = json::array();
        const std::string type(sync::event_type::InspectionCompleted);
        auto result = deliver(type, std::move(data), sync::newUuidV7(), kReceivedAt);
        EXPECT_TRUE(result) << result.error().message;
        return result ? *result : IngestResult{};
    }

    Return returnOf(const std::string& parcel)
    {
        auto found = store_->findReturn("U-" + parcel.substr(0, 18));
        EXPECT_TRUE(found && *found);
        return found && *found ? **found : Return{};
    }

    std::unique_ptr<Storage> ordersStorage_; // the desk's own connection, as in `run`
    OrderStore* orders_ = nullptr;
};

TEST_F(UnannouncedTest, CatalogueFindsAGtinOfAnyLength)
{
    for (const char* gtin : {"4006381333931", "04006381333931"}) {
        auto found = orders_->catalogueItemByGtin(gtin);
        ASSERT_TRUE(found) << found.error().message;
        ASSERT_TRUE(*found) << gtin;
        EXPECT_EQ((*found)->sku, "HEAD-BT-200") << gtin;
    }
    // A UPC-A stored with its 12 digits, scanned as GTIN-13 and GTIN-14.
    for (const char* gtin : {"0012345678905", "00012345678905", "012345678905"}) {
        auto found = orders_->catalogueItemByGtin(gtin);
        ASSERT_TRUE(found && *found) << gtin;
        EXPECT_EQ((*found)->sku, "MUG-12");
    }
    for (const char* gtin : {"5901234123457", "", "ABC", "400638133393100"}) {
        auto found = orders_->catalogueItemByGtin(gtin);
        ASSERT_TRUE(found);
        EXPECT_FALSE(*found) << gtin;
    }
}

TEST_F(UnannouncedTest, ShippedSerialNamesItsOrderAndLine)
{
    auto shipped = orders_->orderShippingSerial("SN-SHIPPED-7");
    ASSERT_TRUE(shipped) << shipped.error().message;
    ASSERT_TRUE(*shipped);
    EXPECT_EQ((*shipped)->order.orderId, "ORD-900");
    EXPECT_EQ((*shipped)->order.email, "dana@example.com");
    EXPECT_EQ((*shipped)->lineId, "2");
    auto unknown = orders_->orderShippingSerial("SN-NEVER");
    ASSERT_TRUE(unknown);
    EXPECT_FALSE(*unknown);
}

TEST_F(UnannouncedTest, ItemKnownByGtinIsBookedUnderItsSkuAndAttributedToTheOrderOfItsSerial)
{
    const std::string parcel = sync::newUuidV7();
    ASSERT_EQ(ingest_
                  ->handle(sync::topics::event(kSite, "bench-01", sync::event_type::ParcelReceived),
                           eventBody(sync::event_type::ParcelReceived, parcelReceived(parcel, nullptr),
                                     "bench-01", kSite, sync::newUuidV7()),
                           kReceivedAt)
                  ->outcome,
              IngestResult::Outcome::Stored);
    EXPECT_EQ(inspectUnnamed(parcel, "04006381333931", "SN-SHIPPED-7").outcome,
              IngestResult::Outcome::Stored);

    const Return ret = returnOf(parcel);
    EXPECT_EQ(ret.channel, "unannounced");
    EXPECT_EQ(ret.orderId, "ORD-900");
    EXPECT_EQ(ret.customer, "dana@example.com");
    ASSERT_EQ(ret.lines.size(), 1u);
    EXPECT_EQ(ret.lines[0].sku, "HEAD-BT-200");
    EXPECT_EQ(ret.lines[0].category, "electronics");
    EXPECT_EQ(ret.lines[0].unitPrice, 119.0) << "what the customer paid on the order";
    EXPECT_EQ(ret.lines[0].serials, std::vector<std::string>{"SN-SHIPPED-7"});
    const auto inspections = store_->inspections(ret.rmaId);
    ASSERT_TRUE(inspections);
    ASSERT_EQ(inspections->size(), 1u);
    EXPECT_EQ((*inspections)[0].sku, "HEAD-BT-200") << "so that the item is stocked";
    EXPECT_EQ((*inspections)[0].category, "electronics");
    EXPECT_EQ((*inspections)[0].gtin, "04006381333931");
    EXPECT_EQ(ret.state, ReturnState::Inspected);
}

TEST_F(UnannouncedTest, ItemKnownByGtinWithAnUnshippedSerialHasTheCataloguePriceAndNoOrder)
{
    const std::string parcel = sync::newUuidV7();
    EXPECT_EQ(inspectUnnamed(parcel, "012345678905", "SN-NEVER").outcome, IngestResult::Outcome::Stored);
    const Return ret = returnOf(parcel);
    EXPECT_FALSE(ret.orderId);
    EXPECT_FALSE(ret.customer);
    ASSERT_EQ(ret.lines.size(), 1u);
    EXPECT_EQ(ret.lines[0].sku, "MUG-12");
    EXPECT_EQ(ret.lines[0].unitPrice, 9.5);
}

TEST_F(UnannouncedTest, ItemTheCatalogueDoesNotKnowStaysWithoutSku)
{
    const std::string parcel = sync::newUuidV7();
    EXPECT_EQ(inspectUnnamed(parcel, "5901234123457", nullptr).outcome, IngestResult::Outcome::Stored);
    const Return ret = returnOf(parcel);
    ASSERT_EQ(ret.lines.size(), 1u);
    EXPECT_EQ(ret.lines[0].sku, "");
    EXPECT_FALSE(ret.lines[0].unitPrice);
    EXPECT_FALSE(ret.orderId);
    const auto inspections = store_->inspections(ret.rmaId);
    ASSERT_TRUE(inspections && inspections->size() == 1u);
    EXPECT_FALSE((*inspections)[0].sku && !(*inspections)[0].sku->empty());
}

} // namespace
} // namespace retour::central
