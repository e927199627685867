// The returns desk on real SQLite: every channel, the rules' decisions, the review queue,
// cancellation, RMA numbers across restarts and what the stations are sent.
#include "desk/desk.h"
#include "ledger/publisher.h"
#include "tests/unit/central/ledger_fixture.h"

#include <gtest/gtest.h>

namespace retour::central {
namespace {

constexpr std::int64_t kNow = 1'795'651'200; // 2026-11-26T00:00:00Z

class DeskTest : public test::LedgerTest
{
protected:
    DeskTest() : LedgerTest("retour-test") {}

    void SetUp() override { open(); }

    void open()
    {
        desk_.reset();
        ASSERT_NO_FATAL_FAILURE(openLedger(false));
        ordersStorage_ = attach();
        ASSERT_TRUE(ordersStorage_);
        orders_ = &ordersStorage_->orders();
        auto rules = loadRules(RETOUR_CENTRAL_RULES "/authorisation.toml");
        ASSERT_TRUE(rules) << rules.error().format();
        book_ = std::make_unique<RuleBook>(RETOUR_CENTRAL_RULES "/authorisation.toml", std::move(*rules));
        Desk::Options options;
        options.rmaPrefix = "DS";
        options.now = [this] { return now_; };
        options.published = [this](const Return& ret) { published_.push_back(ret); };
        desk_ = std::make_unique<Desk>(*store_, *orders_, *ledger_, *book_, std::move(options));

        auto catalogue = parseCatalogueCsv(R"(sku,description,category,price,expected_weight_g,returnable
HEAD,Headphones,electronics,129.9,512,true
CASE,Case,generic,19,120,true
SHIRT,Shirt,apparel,39.9,250,true
BUDS,Buds,electronics,49,80,false
TV,Television,electronics,1500,12000,true
)",
                                           "catalogue.csv");
        ASSERT_TRUE(catalogue);
        ASSERT_TRUE(desk_->importCatalogue(*catalogue));
        auto shipped =
            parseOrdersCsv(R"(order_id,email,ordered_at,delivered_at,line_id,sku,quantity,unit_price,serials
SO-1,ada@example.com,2026-11-18,2026-11-20,1,HEAD,1,129.9,SN-1
SO-1,ada@example.com,2026-11-18,2026-11-20,2,CASE,2,19,
SO-1,ada@example.com,2026-11-18,2026-11-20,3,BUDS,1,49,
SO-2,ada@example.com,2026-09-01,2026-09-03,1,SHIRT,1,39.9,
SO-3,bob@example.com,2026-11-20,,1,TV,1,1500,SN-TV
)",
                           "orders.csv");
        ASSERT_TRUE(shipped);
        ASSERT_TRUE(desk_->importOrders(*shipped));
    }

    ReturnRequest portal(std::string order, std::vector<ItemRequest> items,
                         std::string email = "ada@example.com")
    {
        ReturnRequest request;
        request.channel = "portal";
        request.orderId = std::move(order);
        request.email = email;
        request.items = std::move(items);
        request.actor = "customer:" + email;
        return request;
    }

    static ItemRequest item(std::string lineId, std::int64_t quantity = 1,
                            std::string reason = "does_not_fit")
    {
        return ItemRequest{std::move(lineId), quantity, std::move(reason), {}, {}, {}, {}};
    }

    std::unique_ptr<Storage> ordersStorage_; // the desk's own connection, as in `run`
    OrderStore* orders_ = nullptr;
    std::unique_ptr<RuleBook> book_;
    std::unique_ptr<Desk> desk_;
    std::vector<Return> published_;
    std::int64_t now_ = kNow;
};

TEST_F(DeskTest, PortalReturnIsApprovedNumberedAndPushedToStations)
{
    auto offer = desk_->returnable("SO-1", "ADA@example.com");
    ASSERT_TRUE(offer) << offer.error().message;
    ASSERT_EQ(offer->size(), 3u);
    EXPECT_EQ((*offer)[1].returnable, 2);
    EXPECT_EQ((*offer)[2].returnable, 0); // BUDS: not returnable

    auto created = desk_->create(portal("SO-1", {item("1"), item("2", 1, "damaged")}));
    ASSERT_TRUE(created) << created.error().message;
    EXPECT_EQ(created->ret.rmaId, "DS-000001");
    EXPECT_EQ(created->ret.labelBarcode, "DS-000001");
    EXPECT_EQ(created->ret.state, ReturnState::Authorised);
    EXPECT_EQ(created->decision.outcome, "approve");
    EXPECT_EQ(created->decision.rule, "(default)");
    ASSERT_EQ(created->ret.lines.size(), 2u);
    const ReturnLine& line = created->ret.lines[0];
    EXPECT_EQ(line.sku, "HEAD");
    EXPECT_EQ(line.category, "electronics");
    EXPECT_EQ(line.unitPrice, 129.9);
    EXPECT_EQ(line.expectedWeightG, 512);
    EXPECT_EQ(line.serials, std::vector<std::string>{"SN-1"});
    EXPECT_EQ(created->ret.lines[1].reason, "damaged");
    ASSERT_EQ(published_.size(), 1u);
    EXPECT_EQ(published_[0].rmaId, "DS-000001");

    offer = desk_->returnable("SO-1", "ada@example.com");
    EXPECT_EQ((*offer)[0].returnable, 0);
    EXPECT_EQ((*offer)[1].returnable, 1);
    auto again = desk_->create(portal("SO-1", {item("1")}));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().message, "items[0].quantity: only 0 of line \"1\" can still be returned");

    auto view = desk_->view("DS-000001");
    ASSERT_TRUE(view);
    ASSERT_EQ(view->history.size(), 1u);
    EXPECT_EQ(view->history[0].actor, "customer:ada@example.com");
    EXPECT_NE(view->history[0].reason.find("approve by rule (default)"), std::string::npos);
    EXPECT_EQ(view->email, "ada@example.com");
}

TEST_F(DeskTest, PortalChecksOrderEmailAndItems)
{
    auto wrong = desk_->returnable("SO-1", "eve@example.com");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, ErrorCode::NotFound);
    EXPECT_EQ(wrong.error().message, "no order SO-1 with this e-mail address");
    EXPECT_EQ(desk_->returnable("SO-9", "ada@example.com").error().message,
              "no order SO-9 with this e-mail address");

    EXPECT_EQ(desk_->create(portal("SO-1", {item("7")})).error().message,
              "items[0].line_id: order SO-1 has no line \"7\"");
    EXPECT_EQ(desk_->create(portal("SO-1", {item("2", 3)})).error().message,
              "items[0].quantity: 3 is not between 1 and the 2 ordered");
    EXPECT_EQ(desk_->create(portal("SO-1", {item("1", 1, "")})).error().message,
              "items[0].reason: missing; say why");
    EXPECT_EQ(desk_->create(portal("SO-1", {})).error().message, "items: list at least one item to return");
    auto unknownChannel = portal("SO-1", {item("1")});
    unknownChannel.channel = "fax";
    EXPECT_EQ(desk_->create(unknownChannel).error().code, ErrorCode::Invalid);
    EXPECT_TRUE(published_.empty());
}

TEST_F(DeskTest, RulesRejectAndQueueForReview)
{
    auto sealed = desk_->create(portal("SO-1", {item("3")}));
    ASSERT_TRUE(sealed) << sealed.error().message;
    EXPECT_EQ(sealed->ret.state, ReturnState::Rejected);
    EXPECT_EQ(sealed->decision.rule, "non-returnable-items");
    EXPECT_NE(sealed->decision.ruleSource.find("authorisation.toml:"), std::string::npos);

    auto late = desk_->create(portal("SO-2", {item("1")}));
    ASSERT_TRUE(late);
    EXPECT_EQ(late->ret.state, ReturnState::Rejected);
    EXPECT_EQ(late->decision.rule, "apparel-window");

    auto tv = desk_->create(portal("SO-3", {item("1", 1, "broken")}, "bob@example.com"));
    ASSERT_TRUE(tv);
    EXPECT_EQ(tv->ret.state, ReturnState::Requested);
    EXPECT_EQ(tv->decision.rule, "high-value-electronics");
    EXPECT_TRUE(published_.empty()) << "nothing authorised, nothing pushed";

    ReturnFilter queue;
    queue.reviewOnly = true;
    auto waiting = desk_->list(queue);
    ASSERT_TRUE(waiting);
    ASSERT_EQ(waiting->size(), 1u);
    EXPECT_EQ((*waiting)[0].rmaId, tv->ret.rmaId);

    EXPECT_EQ(desk_->decide(tv->ret.rmaId, RuleOutcome::Review, "reviewer:r1", "hm").error().message,
              "decision: use approve or reject");
    auto approved = desk_->decide(tv->ret.rmaId, RuleOutcome::Approve, "reviewer:r1", "photos look fine");
    ASSERT_TRUE(approved) << approved.error().message;
    EXPECT_EQ(approved->ret.state, ReturnState::Authorised);
    EXPECT_EQ(approved->decision.rule, "manual");
    EXPECT_EQ(desk_->list(queue)->size(), 0u);
    ASSERT_EQ(published_.size(), 1u);
    auto view = desk_->view(tv->ret.rmaId);
    ASSERT_EQ(view->decisions.size(), 2u);
    EXPECT_EQ(view->decisions[0].outcome, "review");
    EXPECT_EQ(view->decisions[1].decidedBy, "reviewer:r1");
    ASSERT_EQ(view->history.size(), 2u);
    EXPECT_EQ(view->history[1].actor, "reviewer:r1");
    // Deciding twice is an illegal move.
    auto twice = desk_->decide(tv->ret.rmaId, RuleOutcome::Approve, "reviewer:r2", "again");
    ASSERT_FALSE(twice);
    EXPECT_NE(twice.error().message.find("cannot move from authorised to authorised"), std::string::npos);
}

TEST_F(DeskTest, CustomerServiceOverridesTheRulesWithAnAgent)
{
    ReturnRequest request;
    request.channel = "customer_service";
    request.orderId = "SO-2";
    request.items = {item("1", 1, "goodwill")};
    request.actor = "agent:cs-42";
    request.forced = RuleOutcome::Approve;
    EXPECT_EQ(desk_->create(request).error().message, "override.reason: an override needs a reason");
    request.forcedReason = "loyal customer, goodwill";
    auto created = desk_->create(request);
    ASSERT_TRUE(created) << created.error().message;
    EXPECT_EQ(created->ret.state, ReturnState::Authorised);
    EXPECT_EQ(created->decision.rule, "manual");
    EXPECT_EQ(created->decision.decidedBy, "agent:cs-42");
    EXPECT_EQ(created->ret.customer, "ada@example.com");
}

TEST_F(DeskTest, StoreReturnsAreReceivedAtTheStore)
{
    ReturnRequest request;
    request.channel = "store";
    request.orderId = "SO-1";
    request.items = {item("2", 2, "unwanted")};
    request.actor = "store:paris-01";
    auto created = desk_->create(request);
    ASSERT_TRUE(created) << created.error().message;
    EXPECT_EQ(created->ret.state, ReturnState::Received);
    auto view = desk_->view(created->ret.rmaId);
    ASSERT_EQ(view->history.size(), 2u);
    EXPECT_EQ(view->history[1].reason, "received at the store");
    EXPECT_EQ(view->history[1].actor, "store:paris-01");
}

TEST_F(DeskTest, TradeInsCarryTheProvisionalValue)
{
    ReturnRequest request;
    request.channel = "tradein";
    request.email = "carl@example.com";
    request.items = {ItemRequest{"", 1, "", std::string("HEAD"), {}, {}, std::string("SN-OLD")}};
    request.actor = "customer:carl@example.com";
    EXPECT_EQ(desk_->create(request).error().message,
              "trade_in_value: a trade-in needs the provisional value offered (>= 0)");
    request.tradeInValue = 600;
    auto created = desk_->create(request);
    ASSERT_TRUE(created) << created.error().message;
    EXPECT_EQ(created->ret.tradeInValue, 600);
    EXPECT_EQ(created->decision.rule, "trade-in-value");
    EXPECT_EQ(created->ret.lines[0].description, "Headphones");
    EXPECT_EQ(created->ret.lines[0].serials, std::vector<std::string>{"SN-OLD"});
    EXPECT_EQ(created->ret.lines[0].reason, "trade_in");
}

TEST_F(DeskTest, PreprintedLabelsAreActivatedWhenTheParcelShowsUp)
{
    auto issued = desk_->issuePreprinted("SO-1", "agent:warehouse");
    ASSERT_TRUE(issued) << issued.error().message;
    EXPECT_EQ(issued->state, ReturnState::Requested);
    EXPECT_EQ(issued->channel, "preprinted");
    EXPECT_EQ(issued->lines.size(), 3u);
    EXPECT_TRUE(published_.empty());
    auto activated = desk_->activate(issued->rmaId, "carrier:dhl");
    ASSERT_TRUE(activated) << activated.error().message;
    // The issued label covers the sealed buds too: the rules say so.
    EXPECT_EQ(activated->ret.state, ReturnState::Rejected);
    EXPECT_EQ(activated->decision.rule, "non-returnable-items");
    EXPECT_FALSE(desk_->activate(issued->rmaId, "carrier:dhl"));
}

TEST_F(DeskTest, CancelledReturnsAreRemovedFromStations)
{
    auto created = desk_->create(portal("SO-1", {item("1")}));
    ASSERT_TRUE(created);
    EXPECT_EQ(desk_->cancel(created->ret.rmaId, "customer:ada@example.com", "").error().message,
              "reason: say why the return is cancelled");
    auto cancelled = desk_->cancel(created->ret.rmaId, "customer:ada@example.com", "changed my mind");
    ASSERT_TRUE(cancelled) << cancelled.error().message;
    EXPECT_EQ(cancelled->state, ReturnState::Cancelled);
    ASSERT_EQ(published_.size(), 2u);
    EXPECT_EQ(published_[1].state, ReturnState::Cancelled);
    auto twice = desk_->cancel(created->ret.rmaId, "x", "again");
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().message,
              "return " + created->ret.rmaId + " cannot move from cancelled to cancelled");
    // The line can be returned again.
    EXPECT_EQ((*desk_->returnable("SO-1", "ada@example.com"))[0].returnable, 1);
}

TEST_F(DeskTest, RmaNumbersStayUniqueAcrossRestarts)
{
    ASSERT_EQ(desk_->create(portal("SO-1", {item("1")}))->ret.rmaId, "DS-000001");
    ASSERT_EQ(desk_->create(portal("SO-1", {item("2")}))->ret.rmaId, "DS-000002");
    open();
    auto third = desk_->create(portal("SO-1", {item("2")}));
    ASSERT_TRUE(third) << third.error().message;
    EXPECT_EQ(third->ret.rmaId, "DS-000003");
}

TEST_F(DeskTest, StatusForTheCustomerNeedsTheirAddress)
{
    auto created = desk_->create(portal("SO-1", {item("1")}));
    ASSERT_TRUE(created);
    EXPECT_TRUE(desk_->viewAsCustomer(created->ret.rmaId, "Ada@Example.com"));
    EXPECT_EQ(desk_->viewAsCustomer(created->ret.rmaId, "eve@example.com").error().code, ErrorCode::NotFound);
    EXPECT_EQ(desk_->viewAsCustomer("DS-999999", "ada@example.com").error().code, ErrorCode::NotFound);
}

TEST_F(DeskTest, ImportsAreAllOrNothing)
{
    std::vector<Order> orders(2);
    orders[0] = Order{"SO-7", "x@example.com", {}, "2026-11-20", {}, {OrderLine{"1", "HEAD", 1, 10, {}}}};
    orders[1] = Order{"SO-8", "x@example.com", {}, "2026-11-20", {}, {OrderLine{"1", "HEAD", 0, 10, {}}}};
    auto refused = desk_->importOrders(orders);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message, "orders[1].lines[0].quantity: must be >= 1");
    EXPECT_FALSE(*orders_->findOrder("SO-7"));
    EXPECT_EQ(*orders_->orderCount(), 3);
}

TEST_F(DeskTest, CarrierScanMovesAnAuthorisedReturnInTransitOnce)
{
    auto created = desk_->create(portal("SO-1", {item("1")}));
    ASSERT_TRUE(created) << created.error().message;
    published_.clear();
    ParcelEvent scan{"carrier_scan", "carrier:dhl", std::string("2026-11-25T10:00:00Z"),
                     std::string("Lyon hub"), std::string("1Z999")};
    auto moved = desk_->recordParcelEvent(created->ret.rmaId, scan);
    ASSERT_TRUE(moved) << moved.error().message;
    EXPECT_TRUE(moved->moved);
    EXPECT_EQ(moved->ret.state, ReturnState::InTransit);
    ASSERT_EQ(published_.size(), 1u); // the stations see it in transit
    EXPECT_EQ(published_[0].state, ReturnState::InTransit);
    auto view = desk_->view(created->ret.rmaId);
    ASSERT_TRUE(view);
    const Transition& last = view->history.back();
    EXPECT_EQ(last.actor, "carrier:dhl");
    EXPECT_EQ(last.at, "2026-11-25T10:00:00Z");
    EXPECT_EQ(last.reason, "carrier scan at Lyon hub, tracking 1Z999");

    // A later scan (or a drop-off reported late) changes nothing.
    auto again =
        desk_->recordParcelEvent(created->ret.rmaId, ParcelEvent{"drop_off", "dropoff:kiosk-1", {}, {}, {}});
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_FALSE(again->moved);
    EXPECT_EQ(desk_->view(created->ret.rmaId)->history.size(), view->history.size());
}

TEST_F(DeskTest, ParcelEventsAreRefusedWhereNoParcelIsExpected)
{
    auto created = desk_->create(portal("SO-1", {item("1")}));
    ASSERT_TRUE(created);
    EXPECT_EQ(desk_->recordParcelEvent(created->ret.rmaId, ParcelEvent{"teleport", "x", {}, {}, {}})
                  .error()
                  .message,
              "kind: \"teleport\" is not carrier_scan, drop_off or store_receipt");
    EXPECT_EQ(desk_->recordParcelEvent("NOPE", ParcelEvent{"drop_off", "x", {}, {}, {}}).error().code,
              ErrorCode::NotFound);
    ASSERT_TRUE(desk_->cancel(created->ret.rmaId, "customer:ada", "changed my mind"));
    auto refused = desk_->recordParcelEvent(created->ret.rmaId, ParcelEvent{"drop_off", "x", {}, {}, {}});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::Invalid);
    EXPECT_EQ(refused.error().message, "return DS-000001 is cancelled: no parcel is expected for it");
}

TEST_F(DeskTest, PreprintedNumberIsPutToTheRulesByItsFirstScan)
{
    Order order;
    order.orderId = "SO-4";
    order.email = "eve@example.com";
    order.orderedAt = "2026-11-20";
    order.lines = {OrderLine{"1", "SHIRT", 1, 39.9, {}}};
    ASSERT_TRUE(desk_->importOrders({order}));
    auto issued = desk_->issuePreprinted("SO-4", "agent:warehouse");
    ASSERT_TRUE(issued) << issued.error().message;
    auto moved =
        desk_->recordParcelEvent(issued->rmaId, ParcelEvent{"drop_off", "store:paris-01", {}, {}, {}});
    ASSERT_TRUE(moved) << moved.error().message;
    EXPECT_TRUE(moved->moved);
    EXPECT_EQ(moved->ret.state, ReturnState::InTransit);
    auto view = desk_->view(issued->rmaId);
    ASSERT_EQ(view->history.size(), 3u); // requested, authorised by the rules, in transit
    EXPECT_EQ(view->history[1].to, ReturnState::Authorised);
    EXPECT_EQ(view->history[2].reason, "handed in at a drop-off point");
}

TEST_F(DeskTest, AuthorisedReturnsExpireAfterTheirWindow)
{
    auto waiting = desk_->create(portal("SO-1", {item("1")}));
    auto moving = desk_->create(portal("SO-1", {item("2")}));
    ASSERT_TRUE(waiting && moving);
    ASSERT_TRUE(
        desk_->recordParcelEvent(moving->ret.rmaId, ParcelEvent{"carrier_scan", "carrier:dhl", {}, {}, {}}));
    published_.clear();
    now_ = kNow + 29 * 24 * 3600;
    auto none = desk_->expire(30);
    ASSERT_TRUE(none) << none.error().message;
    EXPECT_TRUE(none->empty());
    now_ = kNow + 30 * 24 * 3600;
    auto expired = desk_->expire(30);
    ASSERT_TRUE(expired) << expired.error().message;
    ASSERT_EQ(expired->size(), 1u);
    EXPECT_EQ((*expired)[0].rmaId, waiting->ret.rmaId);
    EXPECT_EQ((*expired)[0].state, ReturnState::Expired);
    ASSERT_EQ(published_.size(), 1u); // the stations drop it
    EXPECT_FALSE(isOpen(published_[0]));
    const Transition last = desk_->view(waiting->ret.rmaId)->history.back();
    EXPECT_EQ(last.actor, "expiry");
    EXPECT_EQ(last.reason, "no parcel within 30 day(s) of authorisation (2026-11-26T00:00:00.000Z)");
    EXPECT_EQ(desk_->view(moving->ret.rmaId)->ret.state, ReturnState::InTransit);
    EXPECT_TRUE(desk_->expire(30)->empty());
}

TEST_F(DeskTest, PreprintedLabelLeadsToItsNumberOrItsOrder)
{
    auto issued = desk_->issuePreprinted("SO-1", "agent:warehouse");
    ASSERT_TRUE(issued);
    auto byNumber = desk_->preprintedFor(issued->rmaId);
    ASSERT_TRUE(byNumber) << byNumber.error().message;
    ASSERT_TRUE(*byNumber);
    EXPECT_EQ((*byNumber)->rmaId, issued->rmaId);

    auto byOrder = desk_->preprintedFor("SO-3");
    ASSERT_TRUE(byOrder) << byOrder.error().message;
    ASSERT_TRUE(*byOrder);
    EXPECT_TRUE((*byOrder)->rmaId.empty()); // the ingest numbers it
    EXPECT_EQ((*byOrder)->channel, "preprinted");
    EXPECT_EQ((*byOrder)->state, ReturnState::Received);
    EXPECT_EQ((*byOrder)->orderId, "SO-3");
    EXPECT_EQ((*byOrder)->customer, "bob@example.com");
    ASSERT_EQ((*byOrder)->lines.size(), 1u);
    EXPECT_EQ((*byOrder)->lines[0].sku, "TV");

    auto nothing = desk_->preprintedFor("SO-404");
    ASSERT_TRUE(nothing);
    EXPECT_FALSE(*nothing);
}

} // namespace
} // namespace retour::central
