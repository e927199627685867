#include "desk/seed.h"
#include "tests/unit/central/fixtures.h"

#include <gtest/gtest.h>

namespace retour::central {
namespace {

using test::kSeed;
using test::writeFile;

class SeedTest : public ::testing::Test
{
protected:
    std::filesystem::path write(std::string_view content)
    {
        const auto path = dir_ / "rmas.toml";
        writeFile(path, content);
        return path;
    }

    retour::test::TempDir dir_{"central-seed"};
};

TEST_F(SeedTest, ParsesEveryField)
{
    const auto rmas = loadSeed(write(kSeed));
    ASSERT_TRUE(rmas) << rmas.error().format();
    ASSERT_EQ(rmas->size(), 2u);

    const Return& first = (*rmas)[0];
    EXPECT_EQ(first.rmaId, "RMA-000101");
    EXPECT_EQ(first.channel, "portal");
    EXPECT_EQ(first.orderId, "SO-10001");
    EXPECT_EQ(first.customer, "Ada Lovelace");
    EXPECT_EQ(first.tracking, "1Z999AA10123456784");
    EXPECT_EQ(first.labelBarcode, "RMA-000101"); // defaults to the rma_id
    EXPECT_FALSE(first.tradeInValue);
    ASSERT_EQ(first.lines.size(), 2u);
    const ReturnLine& line = first.lines[0];
    EXPECT_EQ(line.lineId, "1");
    EXPECT_EQ(line.sku, "HEAD-BT-200");
    EXPECT_EQ(line.gtin, "4006381333931");
    EXPECT_EQ(line.description, "Bluetooth headphones BT-200");
    EXPECT_EQ(line.category, "electronics");
    EXPECT_EQ(line.quantity, 1);
    EXPECT_DOUBLE_EQ(line.unitPrice.value_or(-1), 129.9);
    EXPECT_DOUBLE_EQ(line.expectedWeightG.value_or(-1), 512);
    EXPECT_EQ(line.serials, std::vector<std::string>{"SN-BT200-0001"});
    EXPECT_EQ(line.reason, "does_not_fit");
    EXPECT_FALSE(first.lines[1].gtin);
    EXPECT_FALSE(first.lines[1].expectedWeightG);
    EXPECT_DOUBLE_EQ(first.lines[1].unitPrice.value_or(-1), 19); // an integer price is accepted

    const Return& second = (*rmas)[1];
    EXPECT_EQ(second.channel, "tradein");
    EXPECT_FALSE(second.orderId);
    EXPECT_EQ(second.labelBarcode, "TI-000102");
    EXPECT_DOUBLE_EQ(second.tradeInValue.value_or(-1), 80.0);
}

TEST_F(SeedTest, EmptyFileHasNoRmas)
{
    const auto rmas = loadSeed(write("# nothing yet\n"));
    ASSERT_TRUE(rmas) << rmas.error().format();
    EXPECT_TRUE(rmas->empty());
}

TEST_F(SeedTest, UnknownChannelNamesItsPlace)
{
    const auto rmas = loadSeed(write("[[rma]]\nrma_id = \"R1\"\nchannel = \"fax\"\n"));
    ASSERT_FALSE(rmas);
    EXPECT_EQ(rmas.error().line, 3);
    EXPECT_EQ(rmas.error().column, 11);
    EXPECT_NE(rmas.error().message.find("unknown channel \"fax\""), std::string::npos)
        << rmas.error().message;
}

TEST_F(SeedTest, MissingLineFieldNamesTheLineTable)
{
    const auto rmas = loadSeed(write(R"([[rma]]
rma_id = "R1"
channel = "portal"
order_id = "SO-1"
customer = "C"

[[rma.line]]
line_id = "1"
sku = "S"
description = "D"
category = "generic"
unit_price = 1.0
reason = "r"
)"));
    ASSERT_FALSE(rmas);
    EXPECT_EQ(rmas.error().line, 7);
    EXPECT_NE(rmas.error().message.find("missing key \"quantity\" in [[rma.line]] #1 of R1"),
              std::string::npos)
        << rmas.error().message;
}

TEST_F(SeedTest, UnknownKeyInALineIsRefused)
{
    const auto rmas = loadSeed(write(R"([[rma]]
rma_id = "R1"
channel = "portal"
order_id = "SO-1"
customer = "C"
[[rma.line]]
line_id = "1"
sku = "S"
description = "D"
category = "generic"
quantity = 1
unit_price = 1.0
reason = "r"
colour = "red"
)"));
    ASSERT_FALSE(rmas);
    EXPECT_EQ(rmas.error().line, 14);
    EXPECT_NE(rmas.error().message.find("unknown key \"colour\""), std::string::npos) << rmas.error().message;
}

TEST_F(SeedTest, DuplicateRmaIdIsRefused)
{
    std::string text(kSeed);
    text += "\n[[rma]]\nrma_id = \"RMA-000101\"\nchannel = \"store\"\norder_id = \"SO-9\"\ncustomer = \"X\"\n"
            "[[rma.line]]\nline_id = \"1\"\nsku = \"S\"\ndescription = \"D\"\ncategory = \"generic\"\n"
            "quantity = 1\nunit_price = 1\nreason = \"r\"\n";
    const auto rmas = loadSeed(write(text));
    ASSERT_FALSE(rmas);
    EXPECT_NE(rmas.error().message.find("duplicate rma_id \"RMA-000101\""), std::string::npos)
        << rmas.error().message;
}

TEST_F(SeedTest, TradeInValueOnlyForTradeIns)
{
    const auto rmas = loadSeed(write("[[rma]]\nrma_id = \"R1\"\nchannel = \"portal\"\norder_id = \"SO\"\n"
                                     "customer = \"C\"\ntrade_in_value = 5.0\n"));
    ASSERT_FALSE(rmas);
    EXPECT_EQ(rmas.error().line, 6);
}

TEST_F(SeedTest, RmaWithoutLinesIsRefused)
{
    const auto rmas = loadSeed(
        write("[[rma]]\nrma_id = \"R1\"\nchannel = \"portal\"\norder_id = \"SO\"\ncustomer = \"C\"\n"));
    ASSERT_FALSE(rmas);
    EXPECT_NE(rmas.error().message.find("no lines"), std::string::npos);
}

TEST_F(SeedTest, SyntaxErrorNamesItsLine)
{
    const auto rmas = loadSeed(write("[[rma]]\nrma_id = \"R1\nchannel = \"portal\"\n"));
    ASSERT_FALSE(rmas);
    EXPECT_EQ(rmas.error().line, 2);
}

TEST_F(SeedTest, TheExampleSeedIsValid)
{
    const auto rmas = loadSeed(std::filesystem::path(RETOUR_CENTRAL_EXAMPLES) / "rmas.toml");
    ASSERT_TRUE(rmas) << rmas.error().format();
    EXPECT_EQ(rmas->size(), 3u);
}

TEST_F(SeedTest, ApplyingTwiceAuthorisesOnce)
{
    const auto rmas = loadSeed(write(kSeed));
    ASSERT_TRUE(rmas) << rmas.error().format();
    auto store = test::openSqliteStorage(dir_ / "central.db", OpenMode::ReadWrite);
    ASSERT_TRUE(store) << store.error().message;
    Ledger ledger((*store)->ledger());

    const auto first = applySeed((*store)->ledger(), ledger, *rmas, "rmas.toml", "2026-11-26T10:00:00.000Z");
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(first->added, 2u);
    EXPECT_EQ(first->existing, 0u);

    const auto again = applySeed((*store)->ledger(), ledger, *rmas, "rmas.toml", "2026-11-26T11:00:00.000Z");
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->added, 0u);
    EXPECT_EQ(again->existing, 2u);

    const auto returns = (*store)->ledger().returns();
    ASSERT_TRUE(returns);
    ASSERT_EQ(returns->size(), 2u);
    EXPECT_EQ((*returns)[0].state, ReturnState::Authorised);
    EXPECT_EQ((*returns)[0].lines.size(), 2u);
    EXPECT_EQ((*returns)[0].createdAt, "2026-11-26T10:00:00.000Z");

    const auto history = (*store)->ledger().transitions("RMA-000101");
    ASSERT_TRUE(history);
    ASSERT_EQ(history->size(), 1u);
    EXPECT_FALSE((*history)[0].from);
    EXPECT_EQ((*history)[0].to, ReturnState::Authorised);
    EXPECT_EQ((*history)[0].actor, "seed:rmas.toml");
    EXPECT_FALSE((*history)[0].reason.empty());
    EXPECT_EQ((*history)[0].at, "2026-11-26T10:00:00.000Z");
}

TEST_F(SeedTest, ApplyingTwiceSurvivesARestart)
{
    const auto rmas = loadSeed(write(kSeed));
    ASSERT_TRUE(rmas);
    for (int run = 0; run < 2; ++run) {
        auto store = test::openSqliteStorage(dir_ / "central.db", OpenMode::ReadWrite);
        ASSERT_TRUE(store) << store.error().message;
        Ledger ledger((*store)->ledger());
        const auto outcome =
            applySeed((*store)->ledger(), ledger, *rmas, "rmas.toml", "2026-11-26T10:00:00.000Z");
        ASSERT_TRUE(outcome) << outcome.error().message;
        EXPECT_EQ(outcome->added, run == 0 ? 2u : 0u);
    }
}

} // namespace
} // namespace retour::central
