// `retour-central run` against a real mosquitto with the project's broker config and ACL: a
// station session sees the retained RMAs, gets its events acknowledged (again for a duplicate),
// and a body speaking for another station is refused. Label: integration.
#include "retour/link/mqtt_session.h"
#include "storage/store.h"
#include "tests/support/child_process.h"
#include "tests/support/mosquitto_broker.h"
#include "tests/support/wait.h"
#include "tests/unit/central/central_process.h"
#include "tests/unit/central/fixtures.h"

#include <gtest/gtest.h>
#include <mutex>

namespace retour::central {
namespace {

using nlohmann::json;
using retour::test::waitUntil;

// A station's view of the broker: every message on its ack topic and on the site's RMAs.
class Station
{
public:
    Station(const retour::test::MosquittoBroker& broker, const std::string& id)
    {
        sync::MqttSession::Callbacks callbacks;
        callbacks.onMessage = [this](const std::string& topic, const std::string& payload, bool) {
            const std::lock_guard lock(mutex_);
            messages_.emplace_back(topic, payload);
        };
        session_ = test::stationSession(broker, id, id + "-test", callbacks);
        EXPECT_TRUE(session_->subscribe(sync::topics::ack("demo-site", id), 1));
        EXPECT_TRUE(session_->subscribe(sync::topics::allRmas("demo-site"), 1));
        EXPECT_TRUE(session_->start());
    }
    ~Station() { session_->stop(); }

    bool publish(const std::string& topic, const std::string& payload)
    {
        if (!waitUntil([&] { return session_->connected(); })) {
            return false;
        }
        return session_->publish(topic, payload, 1, false).has_value();
    }

    // Every acknowledged event id, once per ack message that named it.
    std::vector<std::string> acked()
    {
        std::vector<std::string> out;
        const std::lock_guard lock(mutex_);
        for (const auto& [topic, payload] : messages_) {
            if (topic.ends_with("/ack")) {
                for (const std::string& id : sync::decodeAck(payload).value_or(std::vector<std::string>{})) {
                    out.push_back(id);
                }
            }
        }
        return out;
    }

    // The latest RMA document seen for `rmaId` (null when none).
    json rma(const std::string& rmaId)
    {
        const std::lock_guard lock(mutex_);
        json latest;
        for (const auto& [topic, payload] : messages_) {
            if (topic == sync::topics::rma("demo-site", rmaId)) {
                latest = json::parse(payload, nullptr, false);
            }
        }
        return latest;
    }

private:
    std::mutex mutex_;
    std::vector<std::pair<std::string, std::string>> messages_;
    std::unique_ptr<sync::MqttSession> session_;
};

class RunTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if (!retour::test::MosquittoBroker::available()) {
            GTEST_SKIP() << "mosquitto not found";
        }
        broker_.emplace(std::vector<std::string>{"bench-01", "bench-02"});
        test::writeFile(dir_ / "rmas.toml", test::kSeed);
        writeConfig("");
    }

    void writeConfig(const std::string& extraBrokerKeys)
    {
        test::writeFile(dir_ / "central.toml",
                        test::centralConfigHead(dir_.path(), broker_->port(), "127.0.0.1", extraBrokerKeys) +
                            "[seed]\nrmas = \"rmas.toml\"\n");
    }

    retour::test::ChildProcess startCentral()
    {
        return retour::test::ChildProcess(test::centralRun(dir_.path(), {"--log-level", "debug"}));
    }

    std::int64_t deadLetters()
    {
        auto store = test::openSqliteStorage(dir_ / "central.db", OpenMode::ReadOnly);
        return store ? (*store)->ledger().deadLetterCount().value_or(-1) : -1;
    }

    void stopCentral(retour::test::ChildProcess& central)
    {
        central.kill(SIGTERM);
        const auto exit = central.wait(std::chrono::seconds(20));
        ASSERT_TRUE(exit) << "retour-central did not stop on SIGTERM";
        EXPECT_EQ(exit->signal, 0);
        EXPECT_EQ(exit->code, 0) << retour::test::readFile(dir_ / "central.log");
    }

    retour::test::TempDir dir_{"central-run"};
    std::optional<retour::test::MosquittoBroker> broker_;
};

TEST_F(RunTest, AcknowledgesEventsAndPublishesRmas)
{
    auto central = startCentral();
    Station station(*broker_, "bench-01");
    ASSERT_TRUE(waitUntil([&] { return !station.rma("RMA-000102").is_null(); }))
        << retour::test::readFile(dir_ / "central.log");
    EXPECT_EQ(station.rma("RMA-000101").at("state"), "authorised");

    const std::string eventId = sync::newUuidV7();
    const std::string body = test::eventBody(sync::event_type::ParcelReceived,
                                             test::parcelReceived(sync::newUuidV7(), "RMA-000101"),
                                             "bench-01", "demo-site", eventId);
    const std::string topic = sync::topics::event("demo-site", "bench-01", sync::event_type::ParcelReceived);
    ASSERT_TRUE(station.publish(topic, body));
    ASSERT_TRUE(waitUntil([&] { return station.acked().size() == 1; }))
        << retour::test::readFile(dir_ / "central.log");
    EXPECT_EQ(station.acked(), std::vector<std::string>{eventId});
    // The state change is pushed to the stations' caches.
    EXPECT_TRUE(waitUntil([&] { return station.rma("RMA-000101").value("state", "") == "received"; }));

    // The same event again (a station that missed the ack): acknowledged again.
    ASSERT_TRUE(station.publish(topic, body));
    ASSERT_TRUE(waitUntil([&] { return station.acked().size() == 2; }));
    EXPECT_EQ(station.acked(), (std::vector<std::string>{eventId, eventId}));

    // A body naming another station is refused, not acknowledged.
    const std::string spoofed =
        test::eventBody(sync::event_type::LabelPrinted, json{{"lpn", "L"}}, "bench-02");
    ASSERT_TRUE(station.publish(sync::topics::event("demo-site", "bench-01", sync::event_type::LabelPrinted),
                                spoofed));
    ASSERT_TRUE(waitUntil([&] { return deadLetters() == 1; }))
        << retour::test::readFile(dir_ / "central.log");
    EXPECT_EQ(station.acked().size(), 2u);

    stopCentral(central);
}

TEST_F(RunTest, BrokerDownAtStartIsRetried)
{
    broker_->stop();
    auto central = startCentral();
    ASSERT_TRUE(waitUntil([&] {
        return retour::test::readFile(dir_ / "central.log").find("not connected") != std::string::npos;
    })) << retour::test::readFile(dir_ / "central.log");
    EXPECT_TRUE(central.running());

    broker_->restart();
    Station station(*broker_, "bench-01");
    EXPECT_TRUE(waitUntil([&] { return !station.rma("RMA-000101").is_null(); }, std::chrono::seconds(60)))
        << retour::test::readFile(dir_ / "central.log");
    stopCentral(central);
}

// With a plain subscription the broker keeps central's subscription across its own restart, so
// an event published while central is away waits for it. (mosquitto 2.0.11 does not restore the
// shared subscription of a persistent session after a restart: see BrokerConfig.)
TEST_F(RunTest, PlainSubscriptionKeepsEventsAcrossABrokerRestart)
{
    writeConfig("shared_subscription = false\n");
    {
        auto central = startCentral();
        Station station(*broker_, "bench-01");
        ASSERT_TRUE(waitUntil([&] { return !station.rma("RMA-000101").is_null(); }))
            << retour::test::readFile(dir_ / "central.log");
        stopCentral(central);
    }
    broker_->stop();
    broker_->restart();

    const std::string eventId = sync::newUuidV7();
    {
        Station station(*broker_, "bench-01");
        ASSERT_TRUE(
            station.publish(sync::topics::event("demo-site", "bench-01", sync::event_type::LabelPrinted),
                            test::eventBody(sync::event_type::LabelPrinted, json{{"lpn", "L"}}, "bench-01",
                                            "demo-site", eventId)));
        auto central = startCentral();
        ASSERT_TRUE(waitUntil([&] { return station.acked() == std::vector<std::string>{eventId}; }))
            << retour::test::readFile(dir_ / "central.log");
        stopCentral(central);
    }
}

// A station session that keeps every message with its MQTT v5 properties.
class Listener
{
public:
    Listener(const retour::test::MosquittoBroker& broker, const std::string& id,
             std::vector<std::string> filters)
    {
        sync::MqttSession::Callbacks callbacks;
        callbacks.onMessageWithProperties = [this](const sync::MqttSession::Message& message) {
            const std::lock_guard lock(mutex_);
            messages_.push_back(message);
        };
        session_ = test::stationSession(broker, id, id + "-listener", callbacks);
        for (const auto& filter : filters) {
            EXPECT_TRUE(session_->subscribe(filter, 1));
        }
        EXPECT_TRUE(session_->start());
        EXPECT_TRUE(waitUntil([&] { return session_->connected(); }));
    }
    ~Listener() { session_->stop(); }

    sync::MqttSession& session() { return *session_; }
    std::vector<sync::MqttSession::Message> on(const std::string& topic)
    {
        const std::lock_guard lock(mutex_);
        std::vector<sync::MqttSession::Message> out;
        for (const auto& m : messages_) {
            if (m.topic == topic) {
                out.push_back(m);
            }
        }
        return out;
    }

private:
    std::mutex mutex_;
    std::vector<sync::MqttSession::Message> messages_;
    std::unique_ptr<sync::MqttSession> session_;
};

// Central's retained status: online with a new session id on every connection, offline by its
// will when it dies and by itself when it stops; stations may read it (ACL).
TEST_F(RunTest, CentralStatusIsRetainedWithAWillAndANewSessionPerConnection)
{
    const std::string topic = sync::topics::centralStatus("demo-site");
    Listener station(*broker_, "bench-01", {topic});
    auto statuses = [&] {
        std::vector<sync::CentralStatus> out;
        for (const auto& m : station.on(topic)) {
            auto status = sync::decodeCentralStatus(m.payload);
            EXPECT_TRUE(status) << m.payload;
            if (status) {
                out.push_back(*status);
            }
        }
        return out;
    };
    auto central = startCentral();
    ASSERT_TRUE(waitUntil([&] { return !statuses().empty() && statuses().back().online; }))
        << retour::test::readFile(dir_ / "central.log");
    const std::string first = statuses().back().session;
    EXPECT_TRUE(sync::isUuid(first));

    central.kill(SIGKILL);
    central.wait(std::chrono::seconds(10));
    ASSERT_TRUE(waitUntil([&] { return !statuses().back().online; }, std::chrono::seconds(60)))
        << "the will says offline";

    auto again = startCentral();
    ASSERT_TRUE(waitUntil([&] { return statuses().back().online; }))
        << retour::test::readFile(dir_ / "central.log");
    EXPECT_NE(statuses().back().session, first);
    stopCentral(again);
    EXPECT_TRUE(waitUntil([&] { return !statuses().back().online; })) << "a clean stop says offline";

    // Retained: a station connecting later reads the last state at once.
    Listener late(*broker_, "bench-02", {topic});
    ASSERT_TRUE(waitUntil([&] { return !late.on(topic).empty(); }));
    EXPECT_TRUE(late.on(topic).back().retained);
    EXPECT_FALSE(sync::decodeCentralStatus(late.on(topic).back().payload)->online);
}

// MQTT v5 request/response: a station asks about an identifier it does not know and central
// answers on the station's own response topic with the correlation data echoed.
TEST_F(RunTest, AnswersLookupsOnTheResponseTopicWithTheCorrelationData)
{
    auto central = startCentral();
    const std::string responseTopic =
        sync::topics::command("demo-site", "bench-01", sync::kLookupRequestName);
    Listener station(*broker_, "bench-01", {responseTopic, sync::topics::centralStatus("demo-site")});
    ASSERT_TRUE(waitUntil([&] { return !station.on(sync::topics::centralStatus("demo-site")).empty(); }))
        << retour::test::readFile(dir_ / "central.log");

    auto ask = [&](const std::string& key, const std::string& value) {
        sync::LookupRequest request{sync::newUuidV7(), "bench-01", key, value};
        sync::MqttSession::PublishProperties properties;
        properties.responseTopic = responseTopic;
        properties.correlationData = "corr-" + request.requestId;
        const auto before = station.on(responseTopic).size();
        EXPECT_TRUE(station.session().publish(sync::topics::request("demo-site", "bench-01", "lookup"),
                                              sync::encodeLookupRequest(request), 1, false, properties));
        EXPECT_TRUE(waitUntil([&] { return station.on(responseTopic).size() > before; }))
            << retour::test::readFile(dir_ / "central.log");
        const auto answer = station.on(responseTopic).back();
        EXPECT_EQ(answer.correlationData, properties.correlationData);
        auto response = sync::decodeLookupResponse(answer.payload);
        EXPECT_TRUE(response) << answer.payload;
        EXPECT_EQ(response->requestId, request.requestId);
        std::vector<std::string> ids;
        for (const auto& match : response->matches) {
            ids.push_back(match.rmaId);
        }
        return ids;
    };
    // GTIN-14 form of a GTIN-13 on the ledger.
    EXPECT_EQ(ask("gtin", "04006381333931"), std::vector<std::string>{"RMA-000101"});
    EXPECT_EQ(ask("any", "SN-BT200-0001"), std::vector<std::string>{"RMA-000101"});
    EXPECT_EQ(ask("tracking", "1Z999AA10123456784"), std::vector<std::string>{"RMA-000101"});
    EXPECT_EQ(ask("order", "SO-10001"), std::vector<std::string>{"RMA-000101"});
    EXPECT_TRUE(ask("any", "nothing-like-this").empty());
    // The key restricts the match: an order id is not a serial.
    EXPECT_TRUE(ask("serial", "SO-10001").empty());
    stopCentral(central);
}

} // namespace
} // namespace retour::central
