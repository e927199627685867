// Every return channel end to end (ctest label `channels`): the request over central's HTTP API,
// the authorisation rules, the parcel before the bench (carrier scan, drop-off) where the channel
// has one, the inspection at a real retour-station through the real broker, the refund request at
// the payment service (at the moment the refund policy says), the stock movement at the webhook
// and the customer's e-mails at the SMTP sink.
#include "channel_fixture.h"
#include "retour/contract/message.h"
#include "tests/support/wait.h"

#include <gtest/gtest.h>

namespace retour::test {
namespace {

using nlohmann::json;

// The first payment request for `rma`'s refund.
json refundOf(const std::vector<json>& paid)
{
    return paid.empty() ? json() : paid.front()["body"];
}

bool hasStockMovement(const std::vector<json>& movements, const std::string& sku)
{
    for (const json& movement : movements) {
        if (movement["body"].value("sku", "") == sku) {
            return true;
        }
    }
    return false;
}

// Portal, apparel under 60: refunded on the carrier's first scan, before the bench sees the parcel;
// the ledger shows it refunded once the parcel is received.
TEST_F(ChannelTest, PortalReturnIsRefundedOnTheCarrierScan)
{
    importOrder("SO-P1", "ada@example.com", kShirt);
    const json created =
        call("POST", "/api/v1/portal/returns",
             json{{"order_id", "SO-P1"},
                  {"email", "ada@example.com"},
                  {"items", {{{"line_id", "1"}, {"quantity", 1}, {"reason", "does_not_fit"}}}}},
             201);
    const std::string rma = created.value("rma_id", "");
    ASSERT_EQ(rma, "CH-000001");
    EXPECT_EQ(created["state"], "authorised");
    EXPECT_EQ(created["decision"]["outcome"], "approve");
    EXPECT_TRUE(paid("refund-").empty());

    const json scanned = parcelEvent(rma, "carrier_scan", "carrier:dhl");
    EXPECT_EQ(scanned["state"], "in_transit");
    EXPECT_TRUE(scanned["moved"].get<bool>());
    ASSERT_TRUE(waitForPayment(rma)) << centralLog();
    EXPECT_EQ(refundOf(paid("refund-" + rma))["trigger"], "carrier_scan");
    EXPECT_EQ(refundOf(paid("refund-" + rma))["amount_cents"], 3900);
    EXPECT_EQ(refundOf(paid("refund-" + rma))["channel"], "portal");
    EXPECT_EQ(stateOf(rma), "in_transit"); // paid, the parcel still on its way

    ASSERT_NO_FATAL_FAILURE(inspectAtBench(rma, kShirt, 2));
    EXPECT_TRUE(waitForState(rma, "refunded")) << stateOf(rma) << centralLog();
    EXPECT_EQ(paid("refund-" + rma).size(), 1u);
    EXPECT_EQ(bench_.stationReport()[0]["identified_by"], "rma_label");
    EXPECT_TRUE(
        waitUntil([&] { return hasStockMovement(paid("stock-"), kShirt.sku); }, std::chrono::seconds(20)));
    expectMails(rma, "ada@example.com",
                {"Return CH-000001 authorised: your label", "Return CH-000001: parcel received",
                 "Return CH-000001: refund of 39.00 EUR issued"});
}

// Customer service, 19.00: refunded when the parcel reaches the bench (receipt), not before.
TEST_F(ChannelTest, CustomerServiceReturnIsRefundedOnReceipt)
{
    importOrder("SO-C1", "grace@example.com", kCase);
    const json created = call("POST", "/api/v1/returns",
                              json{{"channel", "customer_service"},
                                   {"agent", "cs-7"},
                                   {"order_id", "SO-C1"},
                                   {"email", "grace@example.com"},
                                   {"items", {{{"line_id", "1"}, {"quantity", 1}, {"reason", "damaged"}}}}},
                              201);
    const std::string rma = created.value("rma_id", "");
    ASSERT_EQ(created["state"], "authorised") << created.dump();
    EXPECT_EQ(created["channel"], "customer_service");
    EXPECT_TRUE(paid("refund-").empty()) << "a receipt refund waits for the parcel";

    ASSERT_NO_FATAL_FAILURE(inspectAtBench(rma, kCase, 2));
    ASSERT_TRUE(waitForPayment(rma)) << centralLog();
    EXPECT_EQ(refundOf(paid("refund-" + rma))["trigger"], "receipt");
    EXPECT_EQ(refundOf(paid("refund-" + rma))["amount_cents"], 1900);
    EXPECT_TRUE(waitForState(rma, "refunded")) << stateOf(rma) << centralLog();
    EXPECT_TRUE(
        waitUntil([&] { return hasStockMovement(paid("stock-"), kCase.sku); }, std::chrono::seconds(20)));
    expectMails(rma, "grace@example.com",
                {"Return " + rma + " authorised: your label", "Return " + rma + ": parcel received",
                 "Return " + rma + ": refund of 19.00 EUR issued"});
}

// In store: the store took the item in (drop-off), so the refund leaves at once; the parcel the
// store sends on is inspected at the bench afterwards.
TEST_F(ChannelTest, StoreReturnIsRefundedAtTheStoreBeforeTheBench)
{
    importOrder("SO-S1", "hedy@example.com", kHeadphones);
    const json created = call("POST", "/api/v1/returns",
                              json{{"channel", "store"},
                                   {"store", "paris-01"},
                                   {"order_id", "SO-S1"},
                                   {"email", "hedy@example.com"},
                                   {"items", {{{"line_id", "1"}, {"quantity", 1}, {"reason", "unwanted"}}}}},
                              201);
    const std::string rma = created.value("rma_id", "");
    EXPECT_EQ(created["state"], "received") << created.dump();
    ASSERT_TRUE(waitForPayment(rma)) << centralLog();
    EXPECT_EQ(refundOf(paid("refund-" + rma))["trigger"], "drop_off");
    EXPECT_EQ(refundOf(paid("refund-" + rma))["amount_cents"], 12990);
    ASSERT_TRUE(waitForState(rma, "refunded")) << centralLog();
    EXPECT_EQ(query("SELECT COUNT(*) FROM inspections WHERE rma_id = '" + rma + "'"), "0")
        << "refunded before any inspection";

    ASSERT_NO_FATAL_FAILURE(inspectAtBench(rma, kHeadphones, 2));
    EXPECT_TRUE(waitUntil(
        [&] { return query("SELECT COUNT(*) FROM inspections WHERE rma_id = '" + rma + "'") == "1"; },
        std::chrono::seconds(20)));
    EXPECT_TRUE(waitUntil([&] { return hasStockMovement(paid("stock-"), kHeadphones.sku); },
                          std::chrono::seconds(20)));
    EXPECT_EQ(paid("refund-" + rma).size(), 1u);
    expectMails(rma, "hedy@example.com",
                {"Return " + rma + ": parcel received", "Return " + rma + ": refund of 129.90 EUR issued"});
}

// A pre-printed return number issued with the order: its drop-off puts it to the rules
// (authorised, in transit), the bench identifies it by the pre-printed label, and 129.90 of
// electronics is refunded on inspection, by grade.
TEST_F(ChannelTest, PreprintedLabelIsActivatedByItsDropOffAndRefundedOnInspection)
{
    importOrder("SO-R1", "alan@example.com", kHeadphones);
    const json issued = call("POST", "/api/v1/orders/SO-R1/preprinted", json{{"agent", "warehouse"}}, 201);
    const std::string rma = issued.value("rma_id", "");
    EXPECT_EQ(issued["state"], "requested");
    EXPECT_EQ(issued["channel"], "preprinted");
    const json dropped = parcelEvent(rma, "drop_off", "dropoff:kiosk-12");
    EXPECT_EQ(dropped["state"], "in_transit") << dropped.dump();
    const json view = call("GET", "/api/v1/returns/" + rma);
    ASSERT_GE(view["history"].size(), 3u) << view.dump();
    EXPECT_EQ(view["history"][1]["to"], "authorised");
    EXPECT_EQ(view["history"][2]["actor"], "dropoff:kiosk-12");

    ASSERT_NO_FATAL_FAILURE(inspectAtBench(rma, kHeadphones, 2));
    EXPECT_EQ(bench_.stationReport()[0]["identified_by"], "preprinted_label");
    ASSERT_TRUE(waitForPayment(rma)) << centralLog();
    const json refund = refundOf(paid("refund-" + rma));
    EXPECT_EQ(refund["trigger"], "inspection");
    EXPECT_EQ(refund["amount_cents"], 12990); // grade A, restock as new: in full
    ASSERT_EQ(refund["lines"].size(), 1u);
    EXPECT_TRUE(refund["lines"][0]["inspection_id"].is_string()) << "decided after the inspection";
    EXPECT_TRUE(waitForState(rma, "refunded")) << stateOf(rma) << centralLog();
    EXPECT_TRUE(waitUntil([&] { return hasStockMovement(paid("stock-"), kHeadphones.sku); },
                          std::chrono::seconds(20)));
    expectMails(rma, "alan@example.com",
                {"We have your return request " + rma, "Return " + rma + " authorised: your label",
                 "Return " + rma + ": parcel received", "Return " + rma + ": inspection result",
                 "Return " + rma + ": refund of 129.90 EUR issued"});
}

// A pre-printed label in the parcel that names its order, and no return yet anywhere: the bench
// opens the return from the label ([preprinted_label] prefixes of config/rules/disposition.toml),
// and central records it as a pre-printed return of that order (not unannounced), its item on the
// order's line, refunded on inspection.
TEST_F(ChannelTest, PreprintedLabelWithNoReturnYetIsOpenedAtTheBench)
{
    importOrder("PP-70001", "joan@example.com", kHeadphones);
    ASSERT_NO_FATAL_FAILURE(inspectAtBench("PP-70001", kHeadphones, 1));
    EXPECT_EQ(bench_.stationReport()[0]["identified_by"], "preprinted_label");
    ASSERT_TRUE(
        waitUntil([&] { return !query("SELECT rma_id FROM returns WHERE order_id = 'PP-70001'").empty(); },
                  std::chrono::seconds(20)))
        << centralLog();
    const std::string rma = query("SELECT rma_id FROM returns WHERE order_id = 'PP-70001'");
    EXPECT_TRUE(rma.starts_with("P-")) << rma;
    EXPECT_EQ(query("SELECT channel FROM returns WHERE rma_id = '" + rma + "'"), "preprinted");
    EXPECT_EQ(query("SELECT COUNT(*) FROM returns WHERE channel = 'unannounced'"), "0");
    EXPECT_EQ(query("SELECT line_id FROM inspections WHERE rma_id = '" + rma + "'"), "1");
    ASSERT_TRUE(waitForPayment(rma)) << stateOf(rma) << centralLog();
    EXPECT_EQ(refundOf(paid("refund-" + rma))["trigger"], "inspection");
    EXPECT_EQ(refundOf(paid("refund-" + rma))["amount_cents"], 12990);
    EXPECT_TRUE(waitForState(rma, "refunded")) << stateOf(rma);
    EXPECT_TRUE(waitUntil([&] { return hasStockMovement(paid("stock-"), kHeadphones.sku); },
                          std::chrono::seconds(20)))
        << json(paid("stock-")).dump() << "\n"
        << query("SELECT item_sku, line_id FROM inspections WHERE rma_id = '" + rma + "'") << "\n"
        << centralLog();
    expectMails(rma, "joan@example.com",
                {"Return " + rma + ": parcel received", "Return " + rma + ": refund of 129.90 EUR issued"});
}

// A trade-in with a provisional value: re-priced at the bench (grade A, refurbish) and paid after
// the inspection.
TEST_F(ChannelTest, TradeInIsPricedAtTheBenchAndPaidAfterInspection)
{
    const json created =
        call("POST", "/api/v1/returns",
             json{{"channel", "tradein"},
                  {"email", "carl@example.com"},
                  {"trade_in_value", 80.0},
                  {"items", {{{"line_id", "1"}, {"sku", kHeadphones.sku}, {"serial", "SN-TI-1"}}}}},
             201);
    const std::string rma = created.value("rma_id", "");
    ASSERT_EQ(created["state"], "authorised") << created.dump();
    EXPECT_EQ(created["trade_in_value"], 80.0);
    EXPECT_TRUE(paid("refund-").empty());

    ASSERT_NO_FATAL_FAILURE(inspectAtBench(rma, kHeadphones, 2));
    ASSERT_TRUE(waitForPayment(rma)) << centralLog();
    const json refund = refundOf(paid("refund-" + rma));
    EXPECT_EQ(refund["trigger"], "inspection");
    EXPECT_EQ(refund["channel"], "tradein");
    EXPECT_GT(refund["amount_cents"].get<int>(), 0);
    EXPECT_LT(refund["amount_cents"].get<int>(), 8000) << "refurbish: the offer less the fee";
    EXPECT_TRUE(waitUntil([&] { return stateOf(rma) == "partially_refunded"; }, std::chrono::seconds(20)))
        << stateOf(rma);
    EXPECT_TRUE(waitUntil([&] { return hasStockMovement(paid("stock-"), kHeadphones.sku); },
                          std::chrono::seconds(20)));
    expectMails(rma, "carl@example.com",
                {"Return " + rma + " authorised: your label", "Return " + rma + ": parcel received",
                 "Return " + rma + ": inspection result"});
    EXPECT_TRUE(waitForMails(rma, 4)) << "and the refund";
}

// A parcel nobody announced, holding an item the bench cannot name (its GTIN is on no return the
// bench holds) but central's catalogue knows, and whose serial was shipped on an order: the bench
// opens the return; central books the item under the catalogue's SKU, so it is stocked (condition
// from the inspection), attributes the return to the order, writes to its customer, and leaves the
// refund to a person (refunds.toml "unannounced-manual-review"): the return waits inspected.
TEST_F(ChannelTest, UnannouncedParcelIsStockedAndAttributedButNotPaid)
{
    call("POST", "/api/v1/catalogue",
         json{{"items",
               {{{"sku", "SPEAKER-S1"},
                 {"gtin", kUnknown.gtin},
                 {"description", "Speaker S1"},
                 {"category", "electronics"},
                 {"price", 59.0}}}}});
    const std::string today = sync::formatTimestamp(std::chrono::system_clock::now()).substr(0, 10);
    call("POST", "/api/v1/orders",
         json{{"orders",
               {{{"order_id", "UA-70001"},
                 {"email", "ellen@example.com"},
                 {"ordered_at", today},
                 {"lines",
                  {{{"line_id", "1"},
                    {"sku", "SPEAKER-S1"},
                    {"quantity", 1},
                    {"unit_price", 55.0},
                    {"serials", {"SN-UA-7"}}}}}}}}});
    // The item's GS1 element string: GTIN-14 and serial.
    const Item scanned{"", "(01)0" + kUnknown.gtin + "(21)SN-UA-7", kUnknown.grams};
    ASSERT_NO_FATAL_FAILURE(inspectAtBench(scanned.gtin, scanned, 1, "CMD:GRADE:1:C"));
    ASSERT_TRUE(
        waitUntil([&] { return query("SELECT COUNT(*) FROM returns WHERE channel = 'unannounced'") == "1"; },
                  std::chrono::seconds(20)))
        << centralLog();
    const std::string rma = query("SELECT rma_id FROM returns WHERE channel = 'unannounced'");
    EXPECT_TRUE(rma.starts_with("U-")) << rma;
    EXPECT_EQ(bench_.stationReport()[0]["identified_by"], "unannounced");
    EXPECT_TRUE(waitForState(rma, "inspected")) << stateOf(rma) << centralLog();
    EXPECT_EQ(query("SELECT order_id FROM returns WHERE rma_id = '" + rma + "'"), "UA-70001");
    EXPECT_EQ(query("SELECT item_sku FROM inspections WHERE rma_id = '" + rma + "'"), "SPEAKER-S1");
    EXPECT_EQ(query("SELECT item_serial FROM inspections WHERE rma_id = '" + rma + "'"), "SN-UA-7");
    EXPECT_EQ(query("SELECT unit_price FROM return_lines WHERE rma_id = '" + rma + "'"), "55.0");
    // Stocked under the catalogue's SKU, in the condition the inspection gave it.
    ASSERT_TRUE(
        waitUntil([&] { return hasStockMovement(paid("stock-"), "SPEAKER-S1"); }, std::chrono::seconds(20)))
        << centralLog();
    EXPECT_EQ(
        query("SELECT COUNT(*) FROM stock_movements WHERE sku = 'SPEAKER-S1' AND rma_id = '" + rma + "'"),
        "1");
    EXPECT_NE(query("SELECT condition FROM stock_movements WHERE sku = 'SPEAKER-S1'"), "");
    // Manual review: no refund decided, nothing paid, the state stays inspected.
    EXPECT_TRUE(waitForMails(rma, 1)) << centralLog();
    expectMails(rma, "ellen@example.com", {"Return " + rma + ": inspection result"});
    EXPECT_EQ(query("SELECT COUNT(*) FROM refunds WHERE rma_id = '" + rma + "'"), "0");
    EXPECT_TRUE(paid("refund-").empty());
    EXPECT_EQ(stateOf(rma), "inspected");
}

} // namespace
} // namespace retour::test
