#include "desk/seed.h"
#include "ledger/publisher.h"
#include "retour/contract/message.h"
#include "tests/unit/central/fixtures.h"

#include <gtest/gtest.h>

namespace retour::central {
namespace {

using nlohmann::json;

TEST(RmaDocument, HasEveryFieldOfTheContract)
{
    Return ret;
    ret.rmaId = "RMA-000101";
    ret.channel = "portal";
    ret.state = ReturnState::Received;
    ret.orderId = "SO-10001";
    ret.customer = "Ada Lovelace";
    ret.labelBarcode = "RMA-000101";
    ret.lines.push_back(ReturnLine{"1",
                                   "HEAD-BT-200",
                                   "4006381333931",
                                   "Bluetooth headphones BT-200",
                                   "electronics",
                                   1,
                                   129.9,
                                   512,
                                   {"SN-BT200-0001"},
                                   "does_not_fit"});
    const json doc = sync::toJson(rmaDocument("demo-site", ret));
    EXPECT_EQ(doc.at("schema"), "retour.rma");
    EXPECT_EQ(doc.at("version"), 1);
    EXPECT_EQ(doc.at("rma_id"), "RMA-000101");
    EXPECT_EQ(doc.at("site"), "demo-site");
    EXPECT_EQ(doc.at("channel"), "portal");
    EXPECT_EQ(doc.at("state"), "received");
    EXPECT_EQ(doc.at("order_id"), "SO-10001");
    EXPECT_EQ(doc.at("customer"), "Ada Lovelace");
    EXPECT_TRUE(doc.at("tracking").is_null());
    EXPECT_EQ(doc.at("label_barcode"), "RMA-000101");
    EXPECT_TRUE(doc.at("trade_in_value").is_null());
    ASSERT_EQ(doc.at("lines").size(), 1u);
    const json& line = doc.at("lines")[0];
    EXPECT_EQ(line.at("line_id"), "1");
    EXPECT_EQ(line.at("sku"), "HEAD-BT-200");
    EXPECT_EQ(line.at("gtin"), "4006381333931");
    EXPECT_EQ(line.at("description"), "Bluetooth headphones BT-200");
    EXPECT_EQ(line.at("category"), "electronics");
    EXPECT_EQ(line.at("quantity"), 1);
    EXPECT_DOUBLE_EQ(line.at("unit_price").get<double>(), 129.9);
    EXPECT_DOUBLE_EQ(line.at("expected_weight_g").get<double>(), 512);
    EXPECT_EQ(line.at("serials"), json::array({"SN-BT200-0001"}));
    EXPECT_EQ(line.at("reason"), "does_not_fit");
}

TEST(Publisher, PublishesEveryOpenReturnRetainedAtQos1)
{
    retour::test::TempDir dir("central-publisher");
    test::writeFile(dir / "rmas.toml", test::kSeed);
    auto store = test::openSqliteStorage(dir / "central.db", OpenMode::ReadWrite);
    ASSERT_TRUE(store) << store.error().message;
    Ledger ledger((*store)->ledger());
    ASSERT_TRUE(applySeed((*store)->ledger(), ledger, loadSeed(dir / "rmas.toml").value(), "rmas.toml", "t"));

    struct Sent
    {
        std::string topic, payload;
        int qos;
        bool retain;
    };
    std::vector<Sent> sent;
    Publisher publisher("demo-site",
                        [&](const std::string& topic, const std::string& payload, int qos, bool retain) {
                            sent.push_back(Sent{topic, payload, qos, retain});
                            return Result<int>(static_cast<int>(sent.size()));
                        });
    const auto count = publisher.publishOpen((*store)->ledger());
    ASSERT_TRUE(count) << count.error().message;
    EXPECT_EQ(*count, 2u);
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[0].topic, sync::topics::rma("demo-site", "RMA-000101"));
    EXPECT_EQ(sent[0].qos, 1);
    EXPECT_TRUE(sent[0].retain);
    const json doc = json::parse(sent[0].payload);
    EXPECT_EQ(doc.at("state"), "authorised");
    EXPECT_EQ(doc.at("lines").size(), 2u);
    EXPECT_EQ(sent[1].topic, sync::topics::rma("demo-site", "RMA-000102"));
    EXPECT_EQ(json::parse(sent[1].payload).at("trade_in_value"), 80.0);
}

TEST(Publisher, UnannouncedReturnsAreNotPushedToStations)
{
    Return announced;
    announced.channel = "preprinted";
    Return unannounced;
    unannounced.channel = "unannounced";
    EXPECT_TRUE(isOpen(announced));
    EXPECT_FALSE(isOpen(unannounced));
}

TEST(Publisher, ARefusalIsReported)
{
    Publisher publisher("demo-site", [](const std::string&, const std::string&, int, bool) -> Result<int> {
        return fail(ErrorCode::Broker, "not connected");
    });
    Return ret;
    ret.rmaId = "R1";
    const auto result = publisher.publish(ret);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::Broker);
}

} // namespace
} // namespace retour::central
