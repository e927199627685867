// Central's answers to a station's lookup (docs/messages.md "lookup"): by tracking number (an
// SSCC in any of its written forms), GTIN and label, including pre-printed numbers not used yet;
// on a real SQLite ledger.
#include "ledger/lookup.h"
#include "storage/store.h"
#include "tests/unit/central/ledger_fixture.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace retour::central {
namespace {

constexpr std::string_view kSscc = "340123450000000017";

class LookupTest : public test::LedgerTest
{
protected:
    LookupTest() : LedgerTest("central-lookup") {}

    void SetUp() override { ASSERT_NO_FATAL_FAILURE(openLedger(false)); }

    void add(std::string rmaId, std::string channel, ReturnState state, std::optional<std::string> tracking,
             std::string gtin = "4006381333931")
    {
        Return ret;
        ret.rmaId = rmaId;
        ret.channel = std::move(channel);
        ret.state = state;
        ret.tracking = std::move(tracking);
        ret.labelBarcode = rmaId;
        ret.createdAt = ret.updatedAt = "2026-11-26T10:00:00.000Z";
        ReturnLine line;
        line.lineId = "1";
        line.sku = "SKU-" + rmaId;
        line.gtin = std::move(gtin);
        line.serials = {"SN-" + rmaId};
        ret.lines.push_back(line);
        ASSERT_TRUE(store_->insertReturn(ret));
    }

    std::vector<std::string> ask(std::string key, std::string value)
    {
        auto answer =
            answerLookup(*store_, "demo-site", sync::LookupRequest{"req-1", "bench-01", key, value});
        EXPECT_TRUE(answer) << answer.error().message;
        std::vector<std::string> ids;
        if (answer) {
            EXPECT_EQ(answer->requestId, "req-1");
            for (const auto& match : answer->matches) {
                ids.push_back(match.rmaId);
            }
        }
        std::sort(ids.begin(), ids.end()); // same created_at: the order is not the point here
        return ids;
    }
};

using Ids = std::vector<std::string>;

TEST_F(LookupTest, AnSsccMatchesWithOrWithoutItsApplicationIdentifier)
{
    add("RMA-BARE", "portal", ReturnState::Authorised, std::string(kSscc));
    add("RMA-AI", "portal", ReturnState::InTransit, "00" + std::string(kSscc), "4006381333948");
    add("RMA-OTHER", "portal", ReturnState::Authorised, "1Z999AA10123456784", "4012345678000");

    // The station sends the SSCC's 18 digits (or, from a raw scan, the 20 with "00").
    EXPECT_EQ(ask("tracking", std::string(kSscc)), (Ids{"RMA-AI", "RMA-BARE"}));
    EXPECT_EQ(ask("tracking", "00" + std::string(kSscc)), (Ids{"RMA-AI", "RMA-BARE"}));
    EXPECT_EQ(ask("any", std::string(kSscc)), (Ids{"RMA-AI", "RMA-BARE"}));
    // A carrier's own tracking number is compared as it is.
    EXPECT_EQ(ask("tracking", "1Z999AA10123456784"), Ids{"RMA-OTHER"});
    EXPECT_TRUE(ask("tracking", "340123450000000018").empty()) << "another SSCC";
    EXPECT_TRUE(ask("tracking", "0340123450000000017").empty()) << "19 digits are no SSCC form";
    EXPECT_TRUE(ask("tracking", "01" + std::string(kSscc)).empty()) << "AI 01 is a GTIN, not an SSCC";
    EXPECT_TRUE(ask("gtin", std::string(kSscc)).empty()) << "the key selects what is compared";
}

TEST_F(LookupTest, AGtinMatchesOpenReturnsInAnyLength)
{
    add("RMA-1", "portal", ReturnState::Authorised, std::nullopt);
    add("RMA-2", "portal", ReturnState::Received, std::nullopt);
    add("RMA-DONE", "portal", ReturnState::Closed, std::nullopt);
    add("RMA-REJECTED", "portal", ReturnState::Rejected, std::nullopt);
    add("U-1", "unannounced", ReturnState::Received, std::nullopt);
    add("RMA-CASE", "portal", ReturnState::Authorised, std::nullopt, "4006381333948");

    EXPECT_EQ(ask("gtin", "4006381333931"), (Ids{"RMA-1", "RMA-2"}));
    EXPECT_EQ(ask("gtin", "04006381333931"), (Ids{"RMA-1", "RMA-2"}));
    EXPECT_EQ(ask("gtin", "4006381333948"), Ids{"RMA-CASE"});
    EXPECT_TRUE(ask("gtin", "4006381333955").empty());
    EXPECT_TRUE(ask("label", "4006381333931").empty());
}

TEST_F(LookupTest, ALabelMatchesOpenReturnsAndPreprintedNumbersNotUsedYet)
{
    add("RMA-1", "portal", ReturnState::Authorised, std::nullopt);
    add("P-000001", "preprinted", ReturnState::Requested, std::nullopt);
    add("P-000002", "preprinted", ReturnState::Received, std::nullopt);
    add("P-000003", "preprinted", ReturnState::Cancelled, std::nullopt);
    add("RMA-WAIT", "portal", ReturnState::Requested, std::nullopt); // waiting for manual review

    EXPECT_EQ(ask("label", "RMA-1"), Ids{"RMA-1"});
    EXPECT_EQ(ask("label", "P-000001"), Ids{"P-000001"}) << "issued with the order, not used yet";
    EXPECT_EQ(ask("any", "P-000001"), Ids{"P-000001"});
    EXPECT_EQ(ask("label", "P-000002"), Ids{"P-000002"});
    EXPECT_TRUE(ask("label", "P-000003").empty()) << "cancelled";
    EXPECT_TRUE(ask("label", "RMA-WAIT").empty()) << "a request under review is not expected at a bench";
    EXPECT_TRUE(ask("label", "P-000009").empty());
    // An unused pre-printed number is known by its label only: its items are not expected yet.
    EXPECT_TRUE(ask("serial", "SN-P-000001").empty());
    EXPECT_EQ(ask("serial", "SN-P-000002"), Ids{"P-000002"});
}

} // namespace
} // namespace retour::central
