// MqttSession against a real mosquitto with the project's broker config and ACL (label integration).
#include "recorder.h"
#include "retour/contract/message.h"
#include "retour/link/mqtt_session.h"
#include "tests/support/child_process.h"
#include "tests/support/mosquitto_broker.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait.h"

#include <condition_variable>
#include <gtest/gtest.h>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#ifndef RETOUR_SESSION_PROBE
#error "RETOUR_SESSION_PROBE must name the sync_session_probe program"
#endif

namespace retour::sync {
namespace {

using namespace std::chrono_literals;
using test::MosquittoBroker;
using test::waitUntil;

constexpr auto kWait = 20s;

using Recorder = test::TransportRecorder;

class MqttSessionTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if (!MosquittoBroker::available()) {
            GTEST_SKIP() << "mosquitto or mosquitto_passwd not installed";
        }
        broker_ = std::make_unique<MosquittoBroker>(std::vector<std::string>{"bench-01", "bench-02"});
    }

    MqttOptions optionsFor(const std::string& user, const std::string& clientId)
    {
        MqttOptions o;
        o.host = broker_->host();
        o.port = broker_->port();
        o.username = user;
        o.password = MosquittoBroker::passwordFor(user);
        o.clientId = clientId;
        o.reconnectMin = 50ms;
        o.reconnectMax = 500ms;
        return o;
    }

    std::unique_ptr<MqttSession> startSession(const MqttOptions& options, Recorder& recorder,
                                              bool waitConnected = true)
    {
        auto session = MqttSession::create(options, recorder.callbacks());
        EXPECT_TRUE(session.has_value()) << session.error().message;
        if (!session) {
            return nullptr;
        }
        auto started = (*session)->start();
        EXPECT_TRUE(started.has_value()) << started.error().message;
        if (waitConnected) {
            EXPECT_TRUE(waitUntil([&] { return (*session)->connected(); }, kWait))
                << recorder.connectionLog() << broker_->log();
        }
        return std::move(*session);
    }

    // Subscribing is asynchronous: a marker published by the subscriber itself comes back once
    // the broker has processed the SUBSCRIBE packets sent before it (same connection, in order).
    void awaitSubscribed(MqttSession& session, Recorder& recorder, const std::string& markerTopic)
    {
        const std::size_t before = recorder.messageCount();
        ASSERT_TRUE(session.subscribe(markerTopic, 1).has_value());
        ASSERT_TRUE(session.publish(markerTopic, "marker", 1, false).has_value());
        ASSERT_TRUE(waitUntil([&] { return recorder.messageCount() > before; }, kWait)) << broker_->log();
    }

    // Central's session, subscribed to every event of site-a (`filter` is that, shared or not).
    std::unique_ptr<MqttSession> startCentral(Recorder& recorder,
                                              const std::string& filter = topics::allEvents("site-a"))
    {
        auto c = startSession(optionsFor("central", "central-1"), recorder);
        EXPECT_TRUE(c->subscribe(filter, 1).has_value());
        awaitSubscribed(*c, recorder, "returns/v1/site-a/central/marker");
        return c;
    }
    // Waits until a message on `topic` has arrived.
    bool awaitTopic(const Recorder& recorder, const std::string& topic)
    {
        return waitUntil(
            [&] {
                const auto m = recorder.messages();
                return std::any_of(m.begin(), m.end(), [&](const auto& x) { return x.topic == topic; });
            },
            kWait);
    }

    std::unique_ptr<MosquittoBroker> broker_;
};

std::string sampleEvent(const std::string& station, std::int64_t seq)
{
    Envelope e;
    e.type = std::string(event_type::InspectionCompleted);
    e.eventId = newUuidV7();
    e.stationSeq = seq;
    e.occurredAt = formatTimestamp(std::chrono::system_clock::now());
    e.site = "site-a";
    e.station = station;
    e.data = {{"inspection_id", newUuidV7()}};
    return encodeEnvelope(e);
}

TEST_F(MqttSessionTest, StationPublishesQos1AndCentralReceivesIt)
{
    Recorder central, station;
    auto c = startCentral(central);
    auto s = startSession(optionsFor("bench-01", "bench-01"), station);

    const std::string topic = topics::event("site-a", "bench-01", event_type::InspectionCompleted);
    const std::string payload = sampleEvent("bench-01", 1);
    const auto mid = s->publish(topic, payload, 1, false);
    ASSERT_TRUE(mid.has_value()) << mid.error().message;

    ASSERT_TRUE(waitUntil([&] { return station.publishResult(*mid).has_value(); }, kWait));
    const auto result = station.publishResult(*mid);
    EXPECT_TRUE(result->ok);
    EXPECT_EQ(result->reason, 0);

    ASSERT_TRUE(waitUntil([&] { return central.messageCount() >= 2; }, kWait)) << broker_->log();
    const auto received = central.messages().back();
    EXPECT_EQ(received.topic, topic);
    EXPECT_EQ(received.payload, payload);
    EXPECT_FALSE(received.retained);
    const auto decoded = decodeEnvelope(received.payload);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_TRUE(checkEventTopic(*decoded, received.topic).has_value());
}

TEST_F(MqttSessionTest, CentralReceivesThroughASharedSubscription)
{
    // docs/architecture.md "Storage": several central instances share the events ($share/central/...); the
    // ACL must allow it for the central user.
    Recorder central, station;
    auto c = startCentral(central, "$share/central/" + topics::allEvents("site-a"));
    auto s = startSession(optionsFor("bench-01", "bench-01"), station);
    const std::string topic = topics::event("site-a", "bench-01", event_type::ParcelReceived);
    ASSERT_TRUE(s->publish(topic, sampleEvent("bench-01", 1), 1, false).has_value());
    ASSERT_TRUE(waitUntil([&] { return central.messageCount() >= 2; }, kWait)) << broker_->log();
    EXPECT_EQ(central.messages().back().topic, topic);
}

TEST_F(MqttSessionTest, PublishingUnderAnotherStationIsRefusedWith0x87)
{
    Recorder central, station;
    auto c = startCentral(central);
    auto s = startSession(optionsFor("bench-01", "bench-01"), station);

    const auto denied = s->publish(topics::event("site-a", "bench-02", event_type::InspectionCompleted),
                                   sampleEvent("bench-02", 1), 1, false);
    ASSERT_TRUE(denied.has_value()) << denied.error().message;
    ASSERT_TRUE(waitUntil([&] { return station.publishResult(*denied).has_value(); }, kWait));
    const auto result = station.publishResult(*denied);
    EXPECT_FALSE(result->ok);
    EXPECT_EQ(result->reason, 0x87);

    // Messages of one connection arrive in order: once the allowed one is in, the denied one
    // would have been too.
    const std::string ownTopic = topics::event("site-a", "bench-01", event_type::LabelPrinted);
    const auto allowed = s->publish(ownTopic, sampleEvent("bench-01", 2), 1, false);
    ASSERT_TRUE(allowed.has_value());
    ASSERT_TRUE(waitUntil([&] { return central.messageCount() >= 2; }, kWait));
    const auto messages = central.messages();
    EXPECT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages.back().topic, ownTopic);
    for (const auto& m : messages) {
        EXPECT_EQ(m.topic.find("bench-02"), std::string::npos) << m.topic;
    }
}

TEST_F(MqttSessionTest, StationReadsOnlyItsOwnAcksAndTheSitesRmas)
{
    Recorder central, station;
    auto c = startSession(optionsFor("central", "central-1"), central);
    auto s = startSession(optionsFor("bench-01", "bench-01"), station);
    ASSERT_TRUE(s->subscribe("returns/v1/site-a/+/ack", 1).has_value());
    ASSERT_TRUE(s->subscribe(topics::allRmas("site-a"), 1).has_value());
    // The station may read its own cmd/: a retained marker there arrives once the broker has
    // handled the three SUBSCRIBEs, which it does in order.
    ASSERT_TRUE(s->subscribe(topics::command("site-a", "bench-01", "marker"), 1).has_value());
    ASSERT_TRUE(c->publish(topics::command("site-a", "bench-01", "marker"), "ready?", 1, true).has_value());
    ASSERT_TRUE(waitUntil([&] { return station.messageCount() >= 1; }, kWait)) << broker_->log();

    const std::string ackOther = encodeAck({newUuidV7()});
    const std::string ackOwn = encodeAck({newUuidV7()});
    ASSERT_TRUE(c->publish(topics::ack("site-a", "bench-02"), ackOther, 1, false).has_value());
    ASSERT_TRUE(c->publish(topics::ack("site-a", "bench-01"), ackOwn, 1, false).has_value());
    ASSERT_TRUE(
        c->publish(topics::rma("site-a", "RMA-000101"), R"({"schema":"retour.rma","version":1})", 1, true)
            .has_value());
    ASSERT_TRUE(waitUntil([&] { return station.messageCount() >= 3; }, kWait)) << broker_->log();
    const auto messages = station.messages();
    ASSERT_EQ(messages.size(), 3u);
    EXPECT_EQ(messages[1].topic, topics::ack("site-a", "bench-01"));
    EXPECT_EQ(messages[1].payload, ackOwn);
    EXPECT_EQ(messages[2].topic, topics::rma("site-a", "RMA-000101"));

    // A later subscriber gets the RMA as a retained message.
    Recorder late;
    auto s2 = startSession(optionsFor("bench-02", "bench-02"), late);
    ASSERT_TRUE(s2->subscribe(topics::allRmas("site-a"), 1).has_value());
    ASSERT_TRUE(waitUntil([&] { return late.messageCount() >= 1; }, kWait));
    EXPECT_TRUE(late.messages().front().retained);
}

TEST_F(MqttSessionTest, WrongPasswordIsRefused)
{
    Recorder recorder;
    MqttOptions o = optionsFor("bench-01", "bench-01");
    o.password = "wrong";
    auto s = startSession(o, recorder, false);
    ASSERT_TRUE(waitUntil([&] { return !recorder.connectionLog().empty(); }, kWait));
    EXPECT_FALSE(s->connected());
    EXPECT_NE(recorder.connectionLog().find("refused"), std::string::npos) << recorder.connectionLog();
    EXPECT_EQ(recorder.connectCount(), 0u);
}

TEST_F(MqttSessionTest, AnonymousIsRefused)
{
    Recorder recorder;
    MqttOptions o = optionsFor("", "");
    o.password.clear();
    o.cleanStart = true;
    auto s = startSession(o, recorder, false);
    ASSERT_TRUE(waitUntil([&] { return !recorder.connectionLog().empty(); }, kWait));
    EXPECT_FALSE(s->connected());
    EXPECT_EQ(recorder.connectCount(), 0u);
}

TEST_F(MqttSessionTest, WillPublishesOfflineWhenTheClientDies)
{
    Recorder central;
    const std::string statusTopic = topics::status("site-a", "bench-01");
    auto c = startCentral(central, statusTopic);

    test::TempDir dir{"retour-probe"};
    const std::string offline = R"({"schema":"retour.status","version":1,"state":"offline"})";
    test::ChildProcess probe(
        {.argv = {RETOUR_SESSION_PROBE, broker_->host(), std::to_string(broker_->port()), "bench-01",
                  MosquittoBroker::passwordFor("bench-01"), "bench-01", statusTopic, offline},
         .stdoutPath = dir / "out",
         .stderrPath = dir / "err",
         .append = false,
         .extraEnv = {}});
    ASSERT_TRUE(
        waitUntil([&] { return probe.readStdout().find("connected to") != std::string::npos; }, kWait))
        << probe.readStdout() << probe.readStderr() << broker_->log();
    probe.kill(SIGKILL);
    ASSERT_TRUE(probe.wait(kWait).has_value());

    ASSERT_TRUE(waitUntil([&] { return central.messageCount() >= 2; }, kWait)) << broker_->log();
    const auto will = central.messages().back();
    EXPECT_EQ(will.topic, statusTopic);
    EXPECT_EQ(will.payload, offline);

    // Retained: a later subscriber sees the station offline.
    Recorder late;
    auto c2 = startSession(optionsFor("central", "central-2"), late);
    ASSERT_TRUE(c2->subscribe(statusTopic, 1).has_value());
    ASSERT_TRUE(waitUntil([&] { return late.messageCount() >= 1; }, kWait));
    EXPECT_EQ(late.messages().front().payload, offline);
    EXPECT_TRUE(late.messages().front().retained);
}

TEST_F(MqttSessionTest, CleanStopDoesNotPublishTheWill)
{
    const std::string statusTopic = topics::status("site-a", "bench-01");
    {
        Recorder station;
        MqttOptions o = optionsFor("bench-01", "bench-01");
        o.willTopic = statusTopic;
        o.willPayload = "offline";
        auto s = startSession(o, station);
        s->stop();
        EXPECT_FALSE(s->connected());
    }
    ASSERT_TRUE(waitUntil(
        [&] { return broker_->log().find("Client bench-01 disconnected.") != std::string::npos; }, kWait))
        << broker_->log();
    // Retained messages come with the SUBACK, in the order of the SUBSCRIBEs: had the will been
    // published, it would arrive before the marker.
    Recorder central, probe;
    auto c = startSession(optionsFor("central", "central-1"), central);
    ASSERT_TRUE(c->publish("returns/v1/site-a/central/marker", "m", 1, true).has_value());
    auto c2 = startSession(optionsFor("central", "central-2"), probe);
    ASSERT_TRUE(c2->subscribe(statusTopic, 1).has_value());
    ASSERT_TRUE(c2->subscribe("returns/v1/site-a/central/marker", 1).has_value());
    ASSERT_TRUE(waitUntil([&] { return probe.messageCount() >= 1; }, kWait));
    const auto messages = probe.messages();
    EXPECT_EQ(messages.front().topic, "returns/v1/site-a/central/marker");
    for (const auto& m : messages) {
        EXPECT_NE(m.topic, statusTopic);
    }
}

TEST_F(MqttSessionTest, ReconnectsAfterBrokerRestartAndResubscribes)
{
    Recorder central, station;
    MqttOptions centralOptions = optionsFor("central", "central-1");
    centralOptions.cleanStart = true; // no session on the broker: only re-subscribing brings it back
    auto c = startSession(centralOptions, central);
    ASSERT_TRUE(c->subscribe(topics::allEvents("site-a"), 1).has_value());
    auto s = startSession(optionsFor("bench-01", "bench-01"), station);

    broker_->restart();
    ASSERT_TRUE(waitUntil([&] { return central.connectCount() >= 2 && c->connected(); }, kWait))
        << central.connectionLog() << broker_->log();
    ASSERT_TRUE(waitUntil([&] { return station.connectCount() >= 2 && s->connected(); }, kWait))
        << station.connectionLog();
    EXPECT_NE(central.connectionLog().find("down: "), std::string::npos) << central.connectionLog();

    // The broker handles central's re-SUBSCRIBE before central's own marker publication.
    awaitSubscribed(*c, central, "returns/v1/site-a/central/marker");
    const std::string topic = topics::event("site-a", "bench-01", event_type::ParcelReceived);
    ASSERT_TRUE(s->publish(topic, sampleEvent("bench-01", 1), 1, false).has_value());
    ASSERT_TRUE(awaitTopic(central, topic)) << broker_->log();
}

TEST_F(MqttSessionTest, PersistentSessionQueuesMessagesWhileOffline)
{
    const std::string topic = topics::event("site-a", "bench-01", event_type::InspectionCompleted);
    {
        Recorder central;
        auto c = startCentral(central);
        c->stop();
    }
    Recorder station;
    auto s = startSession(optionsFor("bench-01", "bench-01"), station);
    std::vector<int> mids;
    for (int i = 1; i <= 3; ++i) {
        const auto mid = s->publish(topic, sampleEvent("bench-01", i), 1, false);
        ASSERT_TRUE(mid.has_value());
        mids.push_back(*mid);
    }
    ASSERT_TRUE(waitUntil([&] { return station.publishResult(mids.back()).has_value(); }, kWait));

    // The same client id comes back without subscribing: the broker kept session and messages.
    Recorder central;
    auto c = startSession(optionsFor("central", "central-1"), central);
    ASSERT_TRUE(waitUntil([&] { return central.messageCount() >= 3; }, kWait)) << broker_->log();
    EXPECT_NE(central.connectionLog().find("session present"), std::string::npos) << central.connectionLog();
    for (const auto& m : central.messages()) {
        EXPECT_EQ(m.topic, topic);
    }
}

TEST_F(MqttSessionTest, SessionExpiryIsSentAgainOnReconnect)
{
    // libmosquitto's own reconnect would drop the CONNECT properties: the session would then end
    // with the next disconnect. Ours must survive a broker restart AND a later disconnect.
    const std::string topic = topics::event("site-a", "bench-01", event_type::LabelPrinted);
    {
        Recorder central;
        auto c = startCentral(central);
        broker_->restart();
        ASSERT_TRUE(waitUntil([&] { return central.connectCount() >= 2 && c->connected(); }, kWait))
            << central.connectionLog() << broker_->log();
        c->stop();
    }
    Recorder station;
    auto s = startSession(optionsFor("bench-01", "bench-01"), station);
    const auto mid = s->publish(topic, sampleEvent("bench-01", 1), 1, false);
    ASSERT_TRUE(mid.has_value());
    ASSERT_TRUE(waitUntil([&] { return station.publishResult(*mid).has_value(); }, kWait));

    Recorder central;
    auto c = startSession(optionsFor("central", "central-1"), central);
    ASSERT_TRUE(awaitTopic(central, topic)) << central.connectionLog() << broker_->log();
}

TEST_F(MqttSessionTest, PublishWithoutConnectionIsNotConnected)
{
    Recorder recorder;
    auto s = MqttSession::create(optionsFor("bench-01", "bench-01"), recorder.callbacks());
    ASSERT_TRUE(s.has_value());
    const auto mid = (*s)->publish("returns/v1/site-a/bench-01/status", "x", 1, true);
    ASSERT_FALSE(mid.has_value());
    EXPECT_EQ(mid.error().code, ErrorCode::NotConnected);
}

TEST_F(MqttSessionTest, StopReturnsWhileTheBrokerIsDown)
{
    broker_->stop();
    Recorder recorder;
    auto s = startSession(optionsFor("bench-01", "bench-01"), recorder, false);
    ASSERT_TRUE(waitUntil([&] { return !recorder.connectionLog().empty(); }, kWait));
    EXPECT_NE(recorder.connectionLog().find("cannot connect"), std::string::npos) << recorder.connectionLog();
    s->stop();
    EXPECT_FALSE(s->connected());
}

TEST_F(MqttSessionTest, InvalidArgumentsAreRefused)
{
    Recorder recorder;
    auto s = startSession(optionsFor("bench-01", "bench-01"), recorder);
    auto sub = s->subscribe("returns/#/x", 1);
    ASSERT_FALSE(sub.has_value());
    EXPECT_EQ(sub.error().code, ErrorCode::Broker);
    sub = s->subscribe("returns/v1/site-a/rma/+", 3);
    ASSERT_FALSE(sub.has_value());
    const auto pub = s->publish("returns/v1/+/x", "x", 1, false);
    ASSERT_FALSE(pub.has_value());
    EXPECT_EQ(pub.error().code, ErrorCode::Broker);
    EXPECT_FALSE(s->start().has_value());

    MqttOptions noId = optionsFor("bench-01", "");
    const auto created = MqttSession::create(noId, recorder.callbacks());
    ASSERT_FALSE(created.has_value());
    EXPECT_NE(created.error().message.find("client id"), std::string::npos);
}

} // namespace
} // namespace retour::sync

namespace retour::sync {
namespace {

// MQTT v5 request/response (§4.10) through the project's ACL: a station asks on its own req/,
// central answers on the response topic the request named, echoing the correlation data.
TEST_F(MqttSessionTest, RequestResponseCarriesTheResponseTopicAndCorrelationData)
{
    std::mutex mutex;
    std::vector<MqttSession::Message> atCentral, atStation;
    std::unique_ptr<MqttSession> central;
    auto make = [&](const std::string& user, std::vector<MqttSession::Message>& into, bool answer) {
        MqttOptions o = optionsFor(user, user + "-rr");
        o.cleanStart = true;
        MqttSession::Callbacks callbacks;
        callbacks.onMessageWithProperties = [&, answer](const MqttSession::Message& m) {
            {
                std::lock_guard lock(mutex);
                into.push_back(m);
            }
            if (answer) {
                EXPECT_TRUE(central->reply(m, "answer to " + m.payload));
            }
        };
        auto session = MqttSession::create(o, callbacks).value();
        EXPECT_TRUE(session->start());
        EXPECT_TRUE(waitUntil([&] { return session->connected(); }, kWait));
        return session;
    };
    central = make("central", atCentral, true);
    auto station = make("bench-01", atStation, false);
    const std::string responseTopic = topics::command("site-a", "bench-01", kLookupRequestName);
    ASSERT_TRUE(central->subscribe(topics::request("site-a", "+", kLookupRequestName), 1));
    ASSERT_TRUE(station->subscribe(responseTopic, 1));
    std::this_thread::sleep_for(200ms); // SUBSCRIBEs are asynchronous; no marker through this ACL

    MqttSession::PublishProperties properties;
    properties.responseTopic = responseTopic;
    properties.correlationData = std::string("\x01\x00\xffid", 5); // opaque bytes, NUL included
    properties.messageExpirySeconds = 30;
    ASSERT_TRUE(station->publish(topics::request("site-a", "bench-01", kLookupRequestName), "question", 1,
                                 false, properties));
    ASSERT_TRUE(waitUntil(
        [&] {
            std::lock_guard lock(mutex);
            return !atStation.empty();
        },
        kWait))
        << broker_->log();
    std::lock_guard lock(mutex);
    ASSERT_EQ(atCentral.size(), 1u);
    EXPECT_EQ(atCentral[0].responseTopic, responseTopic);
    EXPECT_EQ(atCentral[0].correlationData, properties.correlationData);
    EXPECT_EQ(atStation[0].topic, responseTopic);
    EXPECT_EQ(atStation[0].payload, "answer to question");
    EXPECT_EQ(atStation[0].correlationData, properties.correlationData);

    // A message without a response topic cannot be answered.
    MqttSession::Message plain;
    plain.topic = "x";
    auto refused = central->reply(plain, "no");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::Malformed);
    station->stop();
    central->stop();
}

} // namespace
} // namespace retour::sync
