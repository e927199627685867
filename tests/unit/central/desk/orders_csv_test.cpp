// Orders and catalogue from CSV: header-checked, every bad row named by line and column.
#include "desk/orders.h"

#include <gtest/gtest.h>

namespace retour::central {
namespace {

std::vector<std::string> formatted(const SourceErrors& errors)
{
    std::vector<std::string> out;
    for (const SourceError& error : errors) {
        out.push_back(error.format());
    }
    return out;
}

TEST(CatalogueCsvTest, ReadsEveryColumnInAnyOrderWithQuotes)
{
    const auto items =
        parseCatalogueCsv("description,sku,category,price,expected_weight_g,returnable,gtin\r\n"
                          "\"Headphones, \"\"BT-200\"\"\",HEAD-BT-200,Electronics,129.90,512,true,"
                          "4006381333931\r\n"
                          "Buds,BUDS,electronics,,,no,\r\n",
                          "cat.csv");
    ASSERT_TRUE(items) << formatted(items.error()).front();
    ASSERT_EQ(items->size(), 2u);
    EXPECT_EQ((*items)[0].description, "Headphones, \"BT-200\"");
    EXPECT_EQ((*items)[0].category, "electronics");
    EXPECT_EQ((*items)[0].price, 129.9);
    EXPECT_EQ((*items)[0].expectedWeightG, 512);
    EXPECT_EQ((*items)[0].gtin, "4006381333931");
    EXPECT_TRUE((*items)[0].returnable);
    EXPECT_FALSE((*items)[1].price);
    EXPECT_FALSE((*items)[1].gtin);
    EXPECT_FALSE((*items)[1].returnable);
}

TEST(CatalogueCsvTest, NamesEveryBadRowByLineAndColumn)
{
    const auto items = parseCatalogueCsv("sku,description,category,price\n"
                                         "A,Thing,generic,1.00\n"
                                         "B,Thing,toys,2.00\n"
                                         "C,,generic,abc\n"
                                         "A,Again,generic,1\n",
                                         "cat.csv");
    ASSERT_FALSE(items);
    EXPECT_EQ(formatted(items.error()),
              (std::vector<std::string>{
                  "cat.csv:3:9: category: \"toys\" is not electronics, apparel or generic",
                  "cat.csv:4:3: description: missing; every row needs it",
                  "cat.csv:4:12: price: \"abc\" is not a number >= 0 (write e.g. 129.90)",
                  "cat.csv:5:1: sku: \"A\" is already on line 2",
              }));
}

TEST(CatalogueCsvTest, ChecksTheHeader)
{
    const auto items = parseCatalogueCsv("sku,colour,category\nA,red,generic\n", "cat.csv");
    ASSERT_FALSE(items);
    const auto errors = formatted(items.error());
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0],
              "cat.csv:1:5: unknown column \"colour\"; the columns are sku, description, category, gtin, "
              "price, expected_weight_g, returnable");
    EXPECT_EQ(errors[1].rfind("cat.csv:1:1: the header has no column \"description\"", 0), 0u);
    EXPECT_FALSE(parseCatalogueCsv("", "empty.csv"));
    EXPECT_EQ(formatted(parseCatalogueCsv("sku,description,category\n\"A,Thing,generic\n", "q.csv").error()),
              std::vector<std::string>{"q.csv:2:1: a quoted field is never closed; end it with \""});
}

TEST(OrdersCsvTest, GroupsLinesIntoOrders)
{
    const auto orders =
        parseOrdersCsv("order_id,email,customer,ordered_at,delivered_at,line_id,sku,quantity,"
                       "unit_price,serials\n"
                       "SO-1,Ada@Example.com,Ada,2026-11-20,2026-11-22,1,HEAD,1,129.9,SN-1; SN-2\n"
                       "SO-1,ada@example.com,Ada,2026-11-20,2026-11-22,2,CASE,3,19,\n"
                       "SO-2,g@example.com,,2026-11-01T09:00:00Z,,1,SHIRT,2,39.9,\n",
                       "orders.csv");
    ASSERT_TRUE(orders) << formatted(orders.error()).front();
    ASSERT_EQ(orders->size(), 2u);
    const Order& first = (*orders)[0];
    EXPECT_EQ(first.email, "ada@example.com");
    ASSERT_EQ(first.lines.size(), 2u);
    EXPECT_EQ(first.lines[0].serials, (std::vector<std::string>{"SN-1", "SN-2"}));
    EXPECT_EQ(first.lines[1].quantity, 3);
    EXPECT_EQ(first.deliveredAt, "2026-11-22");
    EXPECT_FALSE((*orders)[1].deliveredAt);
    EXPECT_FALSE((*orders)[1].customer);
}

TEST(OrdersCsvTest, RefusesTheWholeFileWithEveryProblem)
{
    const auto orders = parseOrdersCsv("order_id,email,ordered_at,line_id,sku,quantity,unit_price\n"
                                       "SO-1,ada@example.com,2026-11-20,1,HEAD,1,10\n"
                                       "SO-1,eve@example.com,2026-11-20,2,CASE,1,10\n"
                                       "SO-2,not-an-address,yesterday,1,X,0,-1\n"
                                       "SO-1,ada@example.com,2026-11-20,1,HEAD,1,10\n",
                                       "orders.csv");
    ASSERT_FALSE(orders);
    EXPECT_EQ(
        formatted(orders.error()),
        (std::vector<std::string>{
            "orders.csv:3:6: email: \"eve@example.com\" differs from the earlier rows of order SO-1",
            "orders.csv:4:6: email: \"not-an-address\" is not an e-mail address",
            "orders.csv:4:21: ordered_at: \"yesterday\" is not a date (2026-11-26 or 2026-11-26T10:00:00Z)",
            "orders.csv:4:35: quantity: \"0\" is not a whole number >= 1",
            "orders.csv:4:37: unit_price: \"-1\" is not a number >= 0 (write e.g. 129.90)",
            "orders.csv:5:33: line_id: \"1\" appears twice in order SO-1",
        }));
}

TEST(OrdersTimeTest, ParsesDatesAndTimestamps)
{
    EXPECT_EQ(parseTime("1970-01-02"), 86400);
    EXPECT_EQ(parseTime("1970-01-01T01:00:00Z"), 3600);
    EXPECT_EQ(parseTime("1970-01-01T01:00:00.250Z"), 3600);
    EXPECT_EQ(parseTime("1970-01-01T02:00:00+01:00"), 3600);
    EXPECT_FALSE(parseTime("2026-02-30"));
    EXPECT_FALSE(parseTime("2026-11-26T25:00:00Z"));
    EXPECT_FALSE(parseTime("26/11/2026"));
}

} // namespace
} // namespace retour::central
