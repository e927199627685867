// The station's uplink (station/uplink/uplink.h) against the scripted fake transport, without a
// broker: what it publishes (byte for byte), its window, acknowledgements, resends and lookups.
#include "retour/contract/message.h"
#include "retour/link/outbox.h"
#include "tests/support/fake_transport.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/station/fixtures.h"
#include "uplink/uplink.h"
#include "workflow/rma.h"

#include <gtest/gtest.h>

namespace retour::station {
namespace {

using namespace std::chrono_literals;
using test::FakeTransport;
using test::Published;

constexpr const char* kSite = "demo-site";
constexpr const char* kStation = "bench-01";
const std::string kOffline = R"({"schema":"retour.status","state":"offline","version":1})";

class StationUplinkTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        auto store = Store::open(dir_ / "station.db", Store::Options{kSite, kStation, 100000, 5000});
        ASSERT_TRUE(store.has_value()) << store.error().message;
        store_ = std::move(*store);
    }
    void TearDown() override
    {
        if (uplink_) {
            uplink_->stop();
        }
    }

    void start(std::size_t window = 4, std::chrono::seconds resendAfter = 30s)
    {
        BrokerConfig broker;
        broker.username = kStation;
        uplink_ = std::make_unique<Uplink>(
            loop_, *store_, Uplink::Settings{kSite, kStation, broker, window, resendAfter},
            [] {
                return std::map<std::string, std::string>{{"scanner", "online"}};
            },
            fake_.factory());
        ASSERT_TRUE(uplink_->start().has_value());
        ASSERT_TRUE(fake_.started());
    }
    // Connected, central's retained status online, and what the connect published taken.
    void startWithCentralOnline()
    {
        fake_.retain(sync::topics::centralStatus(kSite), centralStatusDocument(true, sessionA_));
        start();
        connect();
        (void)fake_.take();
    }
    void connect(bool sessionPresent = false)
    {
        fake_.connect(sessionPresent);
        settle();
    }

    // Runs the loop until every task the transport's callbacks posted has run, and the tasks
    // those caused: once a whole round of the loop's queue saw no new callback.
    void settle()
    {
        std::size_t seen = static_cast<std::size_t>(-1);
        std::function<void()> marker = [&] {
            if (fake_.callbacksRun() == seen) {
                loop_.quit();
                return;
            }
            seen = fake_.callbacksRun();
            loop_.post(marker);
        };
        loop_.post(marker);
        loop_.run();
    }
    void runFor(std::chrono::milliseconds duration)
    {
        const auto stop = loop_.after(duration, [this] { loop_.quit(); });
        loop_.run();
        loop_.cancel(stop);
    }

    // `parcels` events in the outbox, the uplink started and connected: the outbox's rows.
    std::vector<sync::Outbox::Pending> connectedWith(int parcels, std::chrono::seconds resendAfter = 30s)
    {
        addParcels(parcels);
        start(4, resendAfter);
        connect();
        return outbox();
    }
    void addParcels(int count)
    {
        for (int i = 0; i < count; ++i) {
            Parcel p{"parcel-" + std::to_string(next_++),
                     std::nullopt,
                     "unannounced",
                     "unannounced",
                     "x",
                     "op",
                     "t"};
            ASSERT_TRUE(store_->createParcel(p).has_value());
        }
    }
    std::vector<sync::Outbox::Pending> outbox()
    {
        auto rows = store_->outbox().after(0, 1000);
        EXPECT_TRUE(rows.has_value());
        return rows.value_or(std::vector<sync::Outbox::Pending>{});
    }
    std::int64_t pending() { return store_->outbox().stats().value().pending; }

    // The event publishes the outbox's rows must become: QoS 1, not retained, no properties.
    static std::vector<Published> asPublished(const std::vector<sync::Outbox::Pending>& rows)
    {
        std::vector<Published> out;
        for (const auto& row : rows) {
            out.push_back(Published{row.topic, row.payload, 1, false, {}});
        }
        return out;
    }
    // Publishes not taken yet, keeping those on `topicPart` only.
    std::vector<Published> taken(const std::string& topicPart)
    {
        std::vector<Published> out;
        for (auto& p : fake_.take()) {
            if (p.topic.find(topicPart) != std::string::npos) {
                out.push_back(std::move(p));
            }
        }
        return out;
    }
    std::vector<Published> events() { return taken("/evt/"); }

    bool acknowledge(const std::vector<sync::Outbox::Pending>& rows)
    {
        std::vector<std::string> ids;
        for (const auto& row : rows) {
            ids.push_back(row.eventId);
        }
        const bool delivered = fake_.deliver(sync::topics::ack(kSite, kStation), sync::encodeAck(ids));
        settle();
        return delivered;
    }
    static std::string centralStatusDocument(bool online, const std::string& session)
    {
        return sync::encodeCentralStatus(
            {online, session, sync::formatTimestamp(std::chrono::system_clock::now())});
    }
    void centralStatus(bool online, const std::string& session)
    {
        fake_.retain(sync::topics::centralStatus(kSite), centralStatusDocument(online, session));
        settle();
    }

    // Central's answer to the lookup `requestId`: the portal RMA.
    static sync::Transport::Message lookupAnswer(const std::string& requestId)
    {
        sync::Transport::Message answer;
        answer.topic = "returns/v1/demo-site/bench-01/cmd/lookup";
        answer.correlationData = requestId;
        answer.payload = sync::encodeLookupResponse({requestId, {toContract(testing::portalRma())}});
        return answer;
    }

    test::TempDir dir_;
    std::unique_ptr<Store> store_;
    EventLoop loop_;
    FakeTransport fake_;
    std::unique_ptr<Uplink> uplink_;
    int next_ = 0;
    const std::string sessionA_ = sync::newUuidV7(), sessionB_ = sync::newUuidV7();
};

TEST_F(StationUplinkTest, ConnectsWithAPersistentSessionAnOfflineWillAndItsSubscriptions)
{
    start(4);
    const auto& options = fake_.options();
    EXPECT_EQ(options.clientId, "retour-station-demo-site-bench-01");
    EXPECT_EQ(options.username, kStation);
    EXPECT_FALSE(options.cleanStart);
    EXPECT_EQ(options.willTopic, "returns/v1/demo-site/bench-01/status");
    EXPECT_EQ(options.willPayload, kOffline);
    EXPECT_TRUE(options.willRetain);
    EXPECT_EQ(options.maxInflight, 8); // the window and room for status and lookups
    EXPECT_EQ(fake_.subscriptions(), (std::vector<std::pair<std::string, int>>{
                                         {"returns/v1/demo-site/rma/+", 1},
                                         {"returns/v1/demo-site/bench-01/ack", 1},
                                         {"returns/v1/demo-site/central/status", 1},
                                         {"returns/v1/demo-site/bench-01/cmd/lookup", 1},
                                     }));
    // The broker publishes the will when the station vanishes.
    connect();
    fake_.drop();
    EXPECT_EQ(fake_.retained("returns/v1/demo-site/bench-01/status"), kOffline);
}

TEST_F(StationUplinkTest, StatusIsRetainedOnlineOnConnectAndOfflineOnStop)
{
    addParcels(2);
    fake_.setPuback(FakeTransport::Puback::Manual);
    start(4);
    connect();
    const auto published = fake_.take();
    ASSERT_GE(published.size(), 1u);
    EXPECT_EQ(published.front(),
              (Published{"returns/v1/demo-site/bench-01/status",
                         R"({"devices":{"scanner":"online"},"outbox_alarm":false,"outbox_capacity":100000,)"
                         R"("outbox_pending":2,"schema":"retour.status","state":"online","version":1})",
                         1,
                         true,
                         {}}));
    uplink_->stop();
    EXPECT_EQ(fake_.take(),
              (std::vector<Published>{{"returns/v1/demo-site/bench-01/status", kOffline, 1, true, {}}}));
    EXPECT_TRUE(fake_.stopped());
    EXPECT_EQ(pending(), 2); // unacknowledged events stay for the next start
}

TEST_F(StationUplinkTest, DrainsTheOutboxInStationSeqOrder)
{
    const auto rows = connectedWith(20);
    ASSERT_EQ(rows.size(), 20u);
    EXPECT_EQ(events(), asPublished(rows));
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].stationSeq, static_cast<std::int64_t>(i + 1));
    }
    // Published is not acknowledged: everything stays until central says so.
    EXPECT_EQ(pending(), 20);
}

TEST_F(StationUplinkTest, CentralsAckRemovesExactlyTheAcknowledgedEvents)
{
    const auto rows = connectedWith(5);
    ASSERT_EQ(rows.size(), 5u);
    ASSERT_TRUE(acknowledge({rows[0], rows[2]}));
    const auto left = outbox();
    ASSERT_EQ(left.size(), 3u);
    EXPECT_EQ(left[0].eventId, rows[1].eventId);
    EXPECT_EQ(left[1].eventId, rows[3].eventId);
    EXPECT_EQ(left[2].eventId, rows[4].eventId);
    EXPECT_EQ(store_->outbox().stats()->acknowledged, 2);
    // A malformed ack changes nothing; an ack for another station does not reach this one.
    ASSERT_TRUE(fake_.deliver(sync::topics::ack(kSite, kStation), R"({"schema":"retour.ack"})"));
    EXPECT_FALSE(fake_.deliver(sync::topics::ack(kSite, "bench-02"), sync::encodeAck({rows[1].eventId})));
    settle();
    EXPECT_EQ(pending(), 3);
    ASSERT_TRUE(acknowledge(left));
    EXPECT_EQ(pending(), 0);
    EXPECT_EQ(store_->outbox().stats()->acknowledged, 5);
}

TEST_F(StationUplinkTest, AtMostAWindowAwaitsItsPubackAndItRefillsAtHalf)
{
    addParcels(10);
    fake_.setPuback(FakeTransport::Puback::Manual);
    start(4);
    connect();
    const auto rows = outbox();
    const auto sent = [&](std::size_t from, std::size_t to) {
        return asPublished(
            std::vector<sync::Outbox::Pending>(rows.begin() + static_cast<std::ptrdiff_t>(from),
                                               rows.begin() + static_cast<std::ptrdiff_t>(to)));
    };
    fake_.puback(fake_.unanswered().front()); // the status
    settle();
    EXPECT_EQ(events(), sent(0, 4));
    EXPECT_EQ(uplink_->inFlight(), 4u);

    // One PUBACK frees a quarter of the window: no refill yet (one outbox read per half window).
    ASSERT_TRUE(fake_.puback(fake_.unanswered().front()));
    settle();
    EXPECT_TRUE(events().empty());
    EXPECT_EQ(uplink_->inFlight(), 3u);
    ASSERT_TRUE(fake_.puback(fake_.unanswered().front()));
    settle();
    EXPECT_EQ(events(), sent(4, 6));
    EXPECT_EQ(uplink_->inFlight(), 4u);
    EXPECT_EQ(fake_.unanswered().size(), 4u);

    fake_.pubackAll();
    settle();
    fake_.pubackAll();
    settle();
    EXPECT_EQ(events(), sent(6, 10));
    EXPECT_EQ(uplink_->inFlight(), 0u);
}

TEST_F(StationUplinkTest, UnacknowledgedEventsAreSentAgainAfterAReconnect)
{
    addParcels(3);
    start(4);
    connect();
    const auto first = outbox();
    EXPECT_EQ(events(), asPublished(first));
    fake_.drop();
    settle();
    EXPECT_FALSE(uplink_->connected());
    addParcels(1); // written while offline
    uplink_->pump();
    EXPECT_TRUE(fake_.take().empty());

    connect(true);
    EXPECT_EQ(events(), asPublished(outbox()));
    EXPECT_EQ(outbox().size(), 4u);
}

TEST_F(StationUplinkTest, LostPubacksAreSentAgainAfterAReconnect)
{
    addParcels(3);
    fake_.setPuback(FakeTransport::Puback::Manual);
    start(4);
    connect();
    EXPECT_EQ(events(), asPublished(outbox()));
    EXPECT_EQ(uplink_->inFlight(), 3u);
    fake_.drop(); // the PUBACKs never come
    settle();
    EXPECT_EQ(uplink_->inFlight(), 0u);
    connect(true);
    EXPECT_EQ(events(), asPublished(outbox()));
    EXPECT_EQ(uplink_->inFlight(), 3u);
}

TEST_F(StationUplinkTest, EventsCentralDoesNotAcknowledgeAreSentAgainAfterResendAfter)
{
    const auto rows = connectedWith(2, 1s);
    EXPECT_EQ(events(), asPublished(rows));
    // The broker took them (PUBACK), central's ack got lost: after resendAfter of silence they go
    // again, from the first.
    runFor(2500ms);
    const auto again = events();
    ASSERT_GE(again.size(), 2u);
    EXPECT_EQ(std::vector<Published>(again.begin(), again.begin() + 2), asPublished(rows));

    ASSERT_TRUE(acknowledge(rows));
    runFor(2500ms);
    EXPECT_TRUE(events().empty());
}

TEST_F(StationUplinkTest, ARefusedPubackKeepsTheEventQueuedAndRetriesFromTheStartAfterAPause)
{
    addParcels(2);
    fake_.setPuback(FakeTransport::Puback::Manual);
    start(4);
    connect();
    const auto rows = outbox();
    fake_.puback(fake_.unanswered().front()); // the status
    EXPECT_EQ(events(), asPublished(rows));
    ASSERT_TRUE(fake_.puback(fake_.unanswered().front(), 0x87)); // not authorised
    settle();
    EXPECT_EQ(uplink_->refused(), 1u);
    EXPECT_EQ(pending(), 2);
    // Not at once (a refusal is not cured by hammering the broker), and nothing new meanwhile.
    addParcels(1);
    uplink_->pump();
    EXPECT_TRUE(events().empty());
    fake_.pubackAll();
    runFor(5500ms); // the uplink waits 5 s
    EXPECT_EQ(events(), asPublished(outbox()));
}

TEST_F(StationUplinkTest, ANewCentralSessionRewindsAtOnce)
{
    addParcels(2);
    fake_.retain(sync::topics::centralStatus(kSite), centralStatusDocument(true, sessionA_));
    start(4);
    connect();
    const auto rows = outbox();
    EXPECT_EQ(events(), asPublished(rows));
    EXPECT_TRUE(uplink_->centralOnline());
    EXPECT_EQ(uplink_->centralRewinds(), 0u); // the connect itself sent everything

    centralStatus(true, sessionA_); // the same session: nothing again
    EXPECT_TRUE(events().empty());
    centralStatus(true, sessionB_); // central reconnected: what it missed comes again
    EXPECT_EQ(events(), asPublished(rows));
    EXPECT_EQ(uplink_->centralRewinds(), 1u);

    centralStatus(false, "");
    EXPECT_FALSE(uplink_->centralOnline());
    EXPECT_TRUE(events().empty());
    centralStatus(true, sessionB_); // back from offline
    EXPECT_EQ(events(), asPublished(rows));
    EXPECT_EQ(uplink_->centralRewinds(), 2u);
}

TEST_F(StationUplinkTest, LookupAsksWithResponseTopicCorrelationDataAndExpiry)
{
    startWithCentralOnline();
    ASSERT_TRUE(uplink_->canLookup());
    std::optional<std::vector<Rma>> answer;
    uplink_->lookup("tracking", "1Z999AA10123456784", 1500ms,
                    [&](std::vector<Rma> m) { answer = std::move(m); });
    const auto asked = fake_.take();
    ASSERT_EQ(asked.size(), 1u);
    const std::string requestId = asked[0].properties.correlationData;
    EXPECT_EQ(asked[0],
              (Published{"returns/v1/demo-site/bench-01/req/lookup",
                         sync::encodeLookupRequest({requestId, kStation, "tracking", "1Z999AA10123456784"}),
                         1,
                         false,
                         {"returns/v1/demo-site/bench-01/cmd/lookup", requestId, 2}}));
    const auto decoded = sync::decodeLookupRequest(asked[0].payload);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->requestId, requestId);

    // An answer to another request is not this one's.
    ASSERT_TRUE(fake_.deliver(lookupAnswer(sync::newUuidV7())));
    settle();
    EXPECT_FALSE(answer.has_value());

    ASSERT_TRUE(fake_.deliver(lookupAnswer(requestId)));
    settle();
    ASSERT_TRUE(answer.has_value());
    ASSERT_EQ(answer->size(), 1u);
    EXPECT_EQ(answer->front().rmaId, "RMA-000101");
    EXPECT_EQ(store_->find(RmaKey::Tracking, "1Z999AA10123456784").size(), 1u); // cached
}

TEST_F(StationUplinkTest, ALookupCentralDoesNotAnswerEndsEmptyAtItsTimeout)
{
    startWithCentralOnline();
    std::optional<std::vector<Rma>> answer;
    uplink_->lookup("label", "RMA-000101", 200ms, [&](std::vector<Rma> m) { answer = std::move(m); });
    const auto asked = fake_.take();
    ASSERT_EQ(asked.size(), 1u);
    EXPECT_EQ(asked[0].properties.messageExpirySeconds, 1u); // at least a second
    settle();
    EXPECT_FALSE(answer.has_value());
    runFor(400ms);
    ASSERT_TRUE(answer.has_value());
    EXPECT_TRUE(answer->empty());
    // A late answer finds nothing waiting.
    ASSERT_TRUE(fake_.deliver(lookupAnswer(asked[0].properties.correlationData)));
    settle();
    EXPECT_TRUE(answer->empty());
}

TEST_F(StationUplinkTest, ALookupWithoutCentralEndsEmptyAtOnceAndSendsNothing)
{
    start(4);
    connect();
    (void)fake_.take();
    EXPECT_FALSE(uplink_->canLookup()); // central's status not seen
    std::optional<std::vector<Rma>> answer;
    uplink_->lookup("label", "RMA-000101", 1500ms, [&](std::vector<Rma> m) { answer = std::move(m); });
    settle();
    ASSERT_TRUE(answer.has_value());
    EXPECT_TRUE(answer->empty());
    EXPECT_TRUE(fake_.take().empty());
}

TEST_F(StationUplinkTest, CachesRetainedRmasAndRemovesClosedOnes)
{
    const auto topic = sync::topics::rma(kSite, "RMA-000101");
    fake_.retain(topic, toJson(testing::portalRma()).dump());
    fake_.retain(sync::topics::rma(kSite, "RMA-BAD"), "{not json");
    fake_.retain(sync::topics::rma(kSite, "RMA-OTHER"), toJson(testing::portalRma()).dump()); // names 000101
    int changes = 0;
    start(4);
    uplink_->onRmaChange([&] { ++changes; });
    connect();
    EXPECT_EQ(*store_->rmaCount(), 1);
    EXPECT_EQ(store_->find(RmaKey::Tracking, "1Z999AA10123456784").size(), 1u);
    EXPECT_EQ(changes, 1);
    fake_.retain(topic, ""); // central closed it
    settle();
    EXPECT_EQ(*store_->rmaCount(), 0);
    EXPECT_EQ(changes, 2);
}

} // namespace
} // namespace retour::station
