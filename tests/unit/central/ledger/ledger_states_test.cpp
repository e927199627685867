// The ledger's transition table and its audited moves, on a real SQLite file.
#include "ledger/ledger.h"
#include "tests/unit/central/ledger_fixture.h"

#include <gtest/gtest.h>

namespace retour::central {
namespace {

using enum ReturnState;

TEST(LedgerTableTest, FollowsTheReturnsLifecycle)
{
    const std::vector<std::pair<ReturnState, ReturnState>> path = {
        {Requested, Authorised}, {Authorised, InTransit}, {InTransit, Received},
        {Received, Inspected},   {Inspected, Refunded},   {Refunded, Closed},
    };
    for (const auto& [from, to] : path) {
        EXPECT_TRUE(Ledger::allowed(from, to)) << toString(from) << " -> " << toString(to);
    }
    for (const ReturnState outcome : {Refunded, PartiallyRefunded, Rejected, Exchanged}) {
        EXPECT_TRUE(Ledger::allowed(Inspected, outcome));
        EXPECT_TRUE(Ledger::allowed(outcome, Closed));
    }
    EXPECT_TRUE(Ledger::allowed(Requested, Cancelled));
    EXPECT_TRUE(Ledger::allowed(Authorised, Expired));
    EXPECT_TRUE(Ledger::allowed(Requested, Received));  // a pre-printed label's parcel
    EXPECT_TRUE(Ledger::allowed(Authorised, Refunded)); // keep the item
}

TEST(LedgerTableTest, RefusesEverythingElseNamingBothStates)
{
    EXPECT_FALSE(Ledger::allowed(Closed, Received));
    EXPECT_FALSE(Ledger::allowed(Received, Authorised));
    EXPECT_FALSE(Ledger::allowed(Inspected, Cancelled));
    EXPECT_FALSE(Ledger::allowed(Requested, Refunded));
    EXPECT_FALSE(Ledger::allowed(Authorised, Authorised));
    int allowedCount = 0;
    for (const auto& [from, fromName] : returnStates()) {
        for (const auto& [to, toName] : returnStates()) {
            allowedCount += Ledger::allowed(from, to) ? 1 : 0;
        }
    }
    EXPECT_EQ(allowedCount, 29);
    auto refused = Ledger::check("DS-000001", Closed, Received);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::Invalid);
    EXPECT_EQ(refused.error().message, "return DS-000001 cannot move from closed to received");
}

TEST(LedgerTableTest, StateNamesRoundTrip)
{
    EXPECT_EQ(returnStates().size(), 12u);
    for (const auto& [state, name] : returnStates()) {
        EXPECT_EQ(toString(state), name);
        EXPECT_EQ(parseReturnState(name), state);
    }
    EXPECT_EQ(parseReturnState("partially_refunded"), PartiallyRefunded);
    EXPECT_FALSE(parseReturnState("lost"));
}

class LedgerMoveTest : public test::LedgerTest
{
protected:
    LedgerMoveTest() : LedgerTest("retour-test") {}

    void SetUp() override { ASSERT_NO_FATAL_FAILURE(openLedger(false)); }

    Result<void> create(const std::string& id, ReturnState state)
    {
        Return ret;
        ret.rmaId = id;
        ret.channel = "portal";
        ret.state = state;
        ret.lines.push_back(
            ReturnLine{"1", "SKU", std::nullopt, "Thing", "generic", 1, 5.0, std::nullopt, {}, "r"});
        return store_->transaction([&] {
            return ledger_->create(ret, Audit{"customer:a@example.com", "asked", "t0", {}});
        });
    }

    ReturnState stateOf(const std::string& id)
    {
        auto ret = store_->findReturn(id);
        EXPECT_TRUE(ret && *ret);
        return (*ret)->state;
    }
};

TEST_F(LedgerMoveTest, EveryMoveIsAuditedWithWhoWhenWhy)
{
    ASSERT_TRUE(create("DS-000001", Requested));
    const std::vector<std::pair<ReturnState, std::string>> moves = {
        {Authorised, "reviewer:rev-1"},  {InTransit, "carrier"},          {Received, "station:bench-01"},
        {Inspected, "station:bench-01"}, {PartiallyRefunded, "payments"}, {Closed, "payments"},
    };
    int step = 1;
    for (const auto& [to, actor] : moves) {
        auto moved = ledger_->move(
            "DS-000001", to, Audit{actor, "step " + std::to_string(step), "t" + std::to_string(step), {}});
        ASSERT_TRUE(moved) << moved.error().message;
        ++step;
    }
    EXPECT_EQ(stateOf("DS-000001"), Closed);
    auto history = store_->transitions("DS-000001");
    ASSERT_TRUE(history);
    ASSERT_EQ(history->size(), 7u);
    EXPECT_FALSE((*history)[0].from);
    EXPECT_EQ((*history)[0].to, Requested);
    EXPECT_EQ((*history)[0].actor, "customer:a@example.com");
    EXPECT_EQ((*history)[5].from, Inspected);
    EXPECT_EQ((*history)[5].to, PartiallyRefunded);
    EXPECT_EQ((*history)[5].actor, "payments");
    EXPECT_EQ((*history)[5].reason, "step 5");
    EXPECT_EQ((*history)[5].at, "t5");
}

TEST_F(LedgerMoveTest, AnIllegalMoveChangesNothing)
{
    ASSERT_TRUE(create("DS-000002", Authorised));
    auto moved = ledger_->move("DS-000002", Inspected, Audit{"x", "y", "t1", {}});
    ASSERT_FALSE(moved);
    EXPECT_EQ(moved.error().message, "return DS-000002 cannot move from authorised to inspected");
    EXPECT_EQ(stateOf("DS-000002"), Authorised);
    EXPECT_EQ(store_->transitions("DS-000002")->size(), 1u);
    auto missing = ledger_->move("nope", Closed, Audit{"x", "y", "t1", {}});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
}

TEST_F(LedgerMoveTest, CreationOnlyInAStartingStateAndOnce)
{
    auto inspected = create("DS-000003", Inspected);
    ASSERT_FALSE(inspected);
    EXPECT_EQ(inspected.error().message, "return DS-000003 cannot begin in state inspected");
    ASSERT_TRUE(create("DS-000003", Rejected));
    auto twice = create("DS-000003", Requested);
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().message, "return DS-000003 exists already");
}

TEST_F(LedgerMoveTest, StationEventsArrivingLateChangeNothing)
{
    ASSERT_TRUE(create("DS-000004", Authorised));
    ASSERT_TRUE(
        ledger_->move("DS-000004", Cancelled, Audit{"agent:7", "customer changed their mind", "t1", {}}));
    // The parcel came anyway: it is received (audited), not lost.
    auto received = ledger_->advance("DS-000004", Received, Audit{"station:bench-01", "parcel P1", "t2", {}});
    ASSERT_TRUE(received);
    EXPECT_TRUE(*received);
    EXPECT_EQ(stateOf("DS-000004"), Received);
    // A duplicate parcel.received and a settled return: no change, no error.
    EXPECT_FALSE(*ledger_->advance("DS-000004", Received, Audit{"station:bench-01", "again", "t3", {}}));
    ASSERT_TRUE(ledger_->move("DS-000004", Rejected, Audit{"x", "empty box", "t4", {}}));
    ASSERT_TRUE(ledger_->move("DS-000004", Closed, Audit{"x", "done", "t5", {}}));
    EXPECT_FALSE(*ledger_->advance("DS-000004", Received, Audit{"station:bench-02", "late", "t6", {}}));
    EXPECT_FALSE(*ledger_->advance("DS-000004", Inspected, Audit{"station:bench-02", "late", "t6", {}}));
    EXPECT_EQ(stateOf("DS-000004"), Closed);
}

TEST_F(LedgerMoveTest, AnInspectionWithoutItsParcelEventPassesThroughReceived)
{
    ASSERT_TRUE(create("DS-000005", Authorised));
    ASSERT_TRUE(*ledger_->advance("DS-000005", Inspected,
                                  Audit{"station:bench-01", "every line inspected", "t1", {}}));
    auto history = store_->transitions("DS-000005");
    ASSERT_EQ(history->size(), 3u);
    EXPECT_EQ((*history)[1].to, Received);
    EXPECT_EQ((*history)[1].reason, "received (implied: every line inspected)");
    EXPECT_EQ((*history)[2].from, Received);
    EXPECT_EQ((*history)[2].to, Inspected);
}

} // namespace
} // namespace retour::central
