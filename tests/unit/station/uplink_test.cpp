#include "retour/contract/message.h"
#include "retour/link/mqtt_session.h"
#include "retour/link/outbox.h"
#include "tests/support/mosquitto_broker.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/station/fixtures.h"
#include "uplink/uplink.h"

#include <gtest/gtest.h>
#include <mutex>

namespace retour::station {
namespace {

using retour::test::TempDir;

// The uplink against a real mosquitto with the project's broker config and ACL; "central" is a
// plain MQTT session of the test.
class UplinkTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if (!retour::test::MosquittoBroker::available()) {
            GTEST_SKIP() << "mosquitto not installed";
        }
        broker_.emplace(std::vector<std::string>{"bench-01", "bench-02"});
        auto store =
            Store::open(dir_.path() / "station.db", Store::Options{"demo-site", "bench-01", 100000, 5000});
        ASSERT_TRUE(store.has_value()) << store.error().message;
        store_ = std::move(*store);
    }

    void TearDown() override
    {
        if (central_) {
            central_->stop();
        }
    }

    void addParcels(int count)
    {
        for (int i = 0; i < count; ++i) {
            Parcel p{
                "parcel-" + std::to_string(i), std::nullopt, "unannounced", "unannounced", "x", "op", "t"};
            ASSERT_TRUE(store_->createParcel(p).has_value());
        }
    }

    Uplink::Settings settings(const std::string& user)
    {
        BrokerConfig broker;
        broker.host = broker_->host();
        broker.port = broker_->port();
        broker.username = user;
        broker.password = retour::test::MosquittoBroker::passwordFor(user);
        return Uplink::Settings{"demo-site", "bench-01", broker, 4, std::chrono::seconds(30)};
    }

    // Central: receives every event, acknowledges it when ack_ is set.
    void startCentral(bool ack)
    {
        sync::MqttOptions options;
        options.host = broker_->host();
        options.port = broker_->port();
        options.clientId = "central-test";
        options.username = "central";
        options.password = retour::test::MosquittoBroker::passwordFor("central");
        options.cleanStart = true;
        sync::MqttSession::Callbacks callbacks;
        callbacks.onConnection = [this](bool connected, std::string) { centralUp_ = connected; };
        callbacks.onPublished = [](int, bool, int) {};
        callbacks.onMessage = [this, ack](const std::string&, const std::string& payload, bool) {
            auto envelope = sync::decodeEnvelope(payload);
            if (!envelope) {
                return;
            }
            {
                std::lock_guard lock(mutex_);
                seqs_.push_back(envelope->stationSeq);
            }
            if (ack) {
                (void)central_->publish(sync::topics::ack("demo-site", "bench-01"),
                                        sync::encodeAck({envelope->eventId}), 1, false);
            }
        };
        auto session = sync::MqttSession::create(options, callbacks);
        ASSERT_TRUE(session.has_value()) << session.error().message;
        central_ = std::move(*session);
        ASSERT_TRUE(central_->subscribe(sync::topics::allEvents("demo-site"), 1).has_value());
        ASSERT_TRUE(central_->start().has_value());
    }

    // Run the loop until `predicate` holds (checked every 10 ms) or a safety net of 20 s passes.
    bool runUntil(EventLoop& loop, std::function<bool()> predicate)
    {
        bool held = false;
        EventLoop::TimerId next = 0;
        std::function<void()> check = [&] {
            if (predicate()) {
                held = true;
                loop.quit();
                return;
            }
            next = loop.after(std::chrono::milliseconds(10), check);
        };
        next = loop.after(std::chrono::milliseconds(10), check);
        const auto safety = loop.after(std::chrono::seconds(20), [&] { loop.quit(); });
        loop.run();
        loop.cancel(next);
        loop.cancel(safety);
        return held;
    }

    std::vector<std::int64_t> seqs()
    {
        std::lock_guard lock(mutex_);
        return seqs_;
    }

    TempDir dir_;
    std::optional<retour::test::MosquittoBroker> broker_;
    std::unique_ptr<Store> store_;
    std::unique_ptr<sync::MqttSession> central_;
    std::atomic<bool> centralUp_{false};
    std::mutex mutex_;
    std::vector<std::int64_t> seqs_;
};

TEST_F(UplinkTest, DrainsTheOutboxInOrderAndDeletesOnAck)
{
    addParcels(20);
    startCentral(true);
    EventLoop loop;
    ASSERT_TRUE(runUntil(loop, [&] { return centralUp_.load(); }));
    Uplink uplink(loop, *store_, settings("bench-01"), nullptr);
    ASSERT_TRUE(uplink.start().has_value());
    ASSERT_TRUE(runUntil(loop, [&] { return store_->outbox().stats()->pending == 0; }))
        << "pending: " << store_->outbox().stats()->pending;
    EXPECT_EQ(store_->outbox().stats()->acknowledged, 20);
    const auto received = seqs();
    ASSERT_GE(received.size(), 20u);
    for (std::size_t i = 0; i < 20; ++i) {
        EXPECT_EQ(received[i], static_cast<std::int64_t>(i + 1)); // station_seq order
    }
    uplink.stop();
}

TEST_F(UplinkTest, UnacknowledgedEventsStayAndAreResentAfterReconnect)
{
    addParcels(3);
    startCentral(false);
    EventLoop loop;
    ASSERT_TRUE(runUntil(loop, [&] { return centralUp_.load(); }));
    {
        Uplink uplink(loop, *store_, settings("bench-01"), nullptr);
        ASSERT_TRUE(uplink.start().has_value());
        ASSERT_TRUE(runUntil(loop, [&] { return seqs().size() >= 3; }));
        uplink.stop();
    }
    EXPECT_EQ(store_->outbox().stats()->pending, 3); // published, but central never acknowledged
    Uplink again(loop, *store_, settings("bench-01"), nullptr);
    ASSERT_TRUE(again.start().has_value());
    ASSERT_TRUE(runUntil(loop, [&] { return seqs().size() >= 6; }));
    const auto received = seqs();
    ASSERT_GE(received.size(), 6u);
    EXPECT_EQ(std::vector<std::int64_t>(received.begin(), received.begin() + 3),
              (std::vector<std::int64_t>{1, 2, 3}));
    EXPECT_EQ(std::vector<std::int64_t>(received.end() - 3, received.end()),
              (std::vector<std::int64_t>{1, 2, 3}));
    again.stop();
}

TEST_F(UplinkTest, RefusedPublishKeepsTheEventQueued)
{
    addParcels(2);
    EventLoop loop;
    // bench-02's credentials may not write under bench-01: PUBACK 0x87.
    Uplink uplink(loop, *store_, settings("bench-02"), nullptr);
    ASSERT_TRUE(uplink.start().has_value());
    ASSERT_TRUE(runUntil(loop, [&] { return uplink.refused() >= 2; })) << broker_->log();
    EXPECT_EQ(store_->outbox().stats()->pending, 2);
    uplink.stop();
}

TEST_F(UplinkTest, CachesRetainedRmasAndRemovesClosedOnes)
{
    startCentral(false);
    EventLoop loop;
    ASSERT_TRUE(runUntil(loop, [&] { return centralUp_.load(); }));
    const auto topic = sync::topics::rma("demo-site", "RMA-000101");
    ASSERT_TRUE(central_->publish(topic, toJson(testing::portalRma()).dump(), 1, true).has_value());
    ASSERT_TRUE(
        central_->publish(sync::topics::rma("demo-site", "RMA-BAD"), "{not json", 1, true).has_value());
    Uplink uplink(loop, *store_, settings("bench-01"), nullptr);
    ASSERT_TRUE(uplink.start().has_value());
    ASSERT_TRUE(runUntil(loop, [&] { return *store_->rmaCount() == 1; }));
    EXPECT_EQ(store_->find(RmaKey::Tracking, "1Z999AA10123456784").size(), 1u);
    ASSERT_TRUE(central_->publish(topic, "", 1, true).has_value());
    ASSERT_TRUE(runUntil(loop, [&] { return *store_->rmaCount() == 0; }));
    uplink.stop();
}

} // namespace
} // namespace retour::station
