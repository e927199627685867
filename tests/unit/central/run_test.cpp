// `retour-central run` against a real mosquitto with the project's broker config and ACL: a
// station session sees the retained RMAs, gets its events acknowledged (again for a duplicate),
// and a body speaking for another station is refused. Label: integration.
#include "fixtures.h"
#include "retour/central/store.h"
#include "retour/sync/mqtt_session.h"
#include "tests/support/child_process.h"
#include "tests/support/mosquitto_broker.h"
#include "tests/support/wait.h"

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
        sync::MqttOptions options;
        options.host = broker.host();
        options.port = broker.port();
        options.clientId = id + "-test";
        options.username = id;
        options.password = retour::test::MosquittoBroker::passwordFor(id);
        options.cleanStart = true;
        sync::MqttSession::Callbacks callbacks;
        callbacks.onConnection = [](bool, const std::string&) {};
        callbacks.onPublished = [](int, bool, int) {};
        callbacks.onMessage = [this](const std::string& topic, const std::string& payload, bool) {
            const std::lock_guard lock(mutex_);
            messages_.emplace_back(topic, payload);
        };
        session_ = sync::MqttSession::create(options, callbacks).value();
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
        test::writeFile(dir_ / "central.pw", retour::test::MosquittoBroker::passwordFor("central") + "\n");
        writeConfig("");
    }

    void writeConfig(const std::string& extraBrokerKeys)
    {
        test::writeFile(dir_ / "central.toml",
                        "[central]\nsite = \"demo-site\"\ndatabase = \"central.db\"\n"
                        "[broker]\nhost = \"127.0.0.1\"\nport = " +
                            std::to_string(broker_->port()) +
                            "\nusername = \"central\"\npassword_file = \"central.pw\"\n" + extraBrokerKeys +
                            "[seed]\nrmas = \"rmas.toml\"\n");
    }

    retour::test::ChildProcess startCentral()
    {
        retour::test::ChildProcess::Options options;
        options.argv = {RETOUR_CENTRAL_EXE, "run",  "--config", (dir_ / "central.toml").string(),
                        "--log-level",      "debug"};
        options.stderrPath = dir_ / "central.log";
        options.append = true;
        return retour::test::ChildProcess(std::move(options));
    }

    std::int64_t deadLetters()
    {
        auto store = openSqliteStore(dir_ / "central.db", OpenMode::ReadOnly);
        return store ? (*store)->deadLetterCount().value_or(-1) : -1;
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

} // namespace
} // namespace retour::central
