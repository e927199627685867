// The scripted fake transport (tests/support/fake_transport.h) behaves as the broker does where
// the tests of the link rely on it.
#include "recorder.h"
#include "tests/support/fake_transport.h"

#include <gtest/gtest.h>
#include <sstream>

namespace retour::test {
namespace {

class FakeTransportTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        sync::MqttOptions options;
        options.clientId = "bench-01";
        options.willTopic = "returns/v1/site-a/bench-01/status";
        options.willPayload = "offline";
        auto made = fake_.factory()(options, recorder_.callbacks());
        ASSERT_TRUE(made.has_value());
        session_ = std::move(*made);
        ASSERT_TRUE(session_->start().has_value());
    }

    FakeTransport fake_;
    TransportRecorder recorder_;
    std::unique_ptr<sync::Transport> session_;
};

TEST_F(FakeTransportTest, RecordsEveryFieldOfAPublish)
{
    fake_.connect();
    sync::Transport::PublishProperties properties{"returns/v1/site-a/bench-01/cmd/lookup",
                                                  std::string("\x01\x00id", 4), 2};
    ASSERT_TRUE(session_->publish("returns/v1/site-a/bench-01/req/lookup", "q", 1, false, properties));
    ASSERT_TRUE(session_->publish("returns/v1/site-a/bench-01/status", "online", 0, true));
    EXPECT_EQ(fake_.take(),
              (std::vector<Published>{{"returns/v1/site-a/bench-01/req/lookup", "q", 1, false, properties},
                                      {"returns/v1/site-a/bench-01/status", "online", 0, true, {}}}));
    EXPECT_TRUE(fake_.take().empty());
    EXPECT_EQ(fake_.published().size(), 2u);
    // Each field counts: the same publish with another QoS, retain flag or property differs.
    const Published base{"t", "p", 1, false, {}};
    for (Published other : {Published{"t", "p", 0, false, {}}, Published{"t", "p", 1, true, {}},
                            Published{"t", "p", 1, false, {"", "", 1}}, Published{"t", "p ", 1, false, {}}}) {
        EXPECT_NE(base, other);
    }
    std::ostringstream printed;
    PrintTo(Published{"t", std::string("a\0b", 3), 1, true, {"r", "\x01", 5}}, &printed);
    EXPECT_EQ(printed.str(), "{topic \"t\", qos 1, retain 1, response topic \"r\", correlation data "
                             "\"\\x01\", message expiry 5 s, payload \"a\\x00b\"}");
}

TEST_F(FakeTransportTest, PublishingWhileDisconnectedIsNotConnected)
{
    const auto sent = session_->publish("a/b", "x", 1, false);
    ASSERT_FALSE(sent.has_value());
    EXPECT_EQ(sent.error().code, sync::ErrorCode::NotConnected);
    EXPECT_TRUE(fake_.published().empty());
    const auto wildcard = session_->publish("a/+", "x", 1, false);
    ASSERT_FALSE(wildcard.has_value());
    EXPECT_EQ(wildcard.error().code, sync::ErrorCode::Broker);
}

TEST_F(FakeTransportTest, PubacksComeAtOnceOrWhenScripted)
{
    fake_.connect();
    const int first = session_->publish("a/b", "1", 1, false).value();
    ASSERT_TRUE(recorder_.publishResult(first).has_value()); // before publish() returned
    fake_.setPuback(FakeTransport::Puback::Manual);
    const int second = session_->publish("a/b", "2", 1, false).value();
    const int third = session_->publish("a/b", "3", 1, false).value();
    EXPECT_NE(second, first);
    EXPECT_EQ(fake_.unanswered(), (std::vector<int>{second, third}));
    EXPECT_FALSE(recorder_.publishResult(second).has_value());
    ASSERT_TRUE(fake_.puback(third, 0x87));
    EXPECT_FALSE(fake_.puback(third));
    const auto refused = recorder_.publishResult(third);
    ASSERT_TRUE(refused.has_value());
    EXPECT_FALSE(refused->ok);
    EXPECT_EQ(refused->reason, 0x87);
    // A lost connection loses the PUBACKs still owed.
    fake_.drop();
    EXPECT_TRUE(fake_.unanswered().empty());
    EXPECT_FALSE(recorder_.publishResult(second).has_value());
}

TEST_F(FakeTransportTest, DeliversOnlyWhatASubscriptionMatches)
{
    ASSERT_TRUE(session_->subscribe("returns/v1/site-a/+/ack", 1));
    ASSERT_TRUE(session_->subscribe("$share/central/returns/v1/site-a/rma/#", 1));
    EXPECT_FALSE(fake_.deliver("returns/v1/site-a/bench-01/ack", "before connect"));
    fake_.connect();
    EXPECT_TRUE(fake_.deliver("returns/v1/site-a/bench-01/ack", "a"));
    EXPECT_FALSE(fake_.deliver("returns/v1/site-a/bench-01/evt/x", "b"));
    EXPECT_TRUE(fake_.deliver("returns/v1/site-a/rma/RMA-1", "c"));
    EXPECT_FALSE(fake_.deliver("returns/v1/site-b/rma/RMA-1", "d"));
    const auto messages = recorder_.messages();
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0].payload, "a");
    EXPECT_EQ(messages[1].payload, "c");
    EXPECT_EQ(fake_.subscriptions(),
              (std::vector<std::pair<std::string, int>>{{"returns/v1/site-a/+/ack", 1},
                                                        {"$share/central/returns/v1/site-a/rma/#", 1}}));
}

TEST_F(FakeTransportTest, TopicFiltersMatchAsMqttSays)
{
    EXPECT_TRUE(FakeTransport::matches("a/b", "a/b"));
    EXPECT_FALSE(FakeTransport::matches("a/b", "a/b/c"));
    EXPECT_FALSE(FakeTransport::matches("a/b/c", "a/b"));
    EXPECT_TRUE(FakeTransport::matches("a/+/c", "a/x/c"));
    EXPECT_FALSE(FakeTransport::matches("a/+", "a/x/c"));
    EXPECT_TRUE(FakeTransport::matches("a/+", "a/"));
    EXPECT_TRUE(FakeTransport::matches("a/#", "a"));
    EXPECT_TRUE(FakeTransport::matches("a/#", "a/x/y"));
    EXPECT_TRUE(FakeTransport::matches("#", "a/x"));
    EXPECT_FALSE(FakeTransport::matches("#", "$SYS/x"));
    EXPECT_TRUE(FakeTransport::matches("$share/g/a/+", "a/x"));
}

TEST_F(FakeTransportTest, RetainedMessagesComeOnEveryConnectAndSubscribe)
{
    fake_.retain("returns/v1/site-a/rma/RMA-1", "rma");
    ASSERT_TRUE(session_->subscribe("returns/v1/site-a/rma/+", 1));
    fake_.connect();
    fake_.retain("returns/v1/site-a/rma/RMA-2", "live");
    fake_.drop();
    fake_.connect(true);
    fake_.retain("returns/v1/site-a/rma/RMA-1", ""); // cleared: not sent again
    fake_.drop();
    fake_.connect(true);
    const auto messages = recorder_.messages();
    ASSERT_EQ(messages.size(), 6u);
    EXPECT_EQ(messages[0].payload, "rma");
    EXPECT_TRUE(messages[0].retained);
    EXPECT_EQ(messages[1].payload, "live");
    EXPECT_FALSE(messages[1].retained);
    EXPECT_EQ(messages[2].payload, "rma");
    EXPECT_EQ(messages[3].payload, "live");
    EXPECT_TRUE(messages[3].retained);
    EXPECT_EQ(messages[4].payload, ""); // the clearing, live
    EXPECT_EQ(messages[5].payload, "live");
    EXPECT_EQ(recorder_.connectCount(), 3u);
    EXPECT_NE(recorder_.connectionLog().find("session present"), std::string::npos);
}

TEST_F(FakeTransportTest, ALostConnectionPublishesTheWillAndAStopDoesNot)
{
    fake_.connect();
    fake_.drop("connection lost: keep-alive");
    EXPECT_EQ(fake_.retained("returns/v1/site-a/bench-01/status"), "offline");
    EXPECT_EQ(recorder_.refusal(), "connection lost: keep-alive");

    FakeTransport other;
    TransportRecorder recorder;
    auto session = other.factory()(fake_.options(), recorder.callbacks()).value();
    ASSERT_TRUE(session->start());
    other.connect();
    session->stop();
    EXPECT_FALSE(other.retained("returns/v1/site-a/bench-01/status").has_value());
    // No callback after stop().
    EXPECT_FALSE(other.deliver("returns/v1/site-a/bench-01/ack", "x"));
    EXPECT_EQ(recorder.connectCount(), 1u);
    EXPECT_FALSE(session->connected());
}

TEST_F(FakeTransportTest, RepliesEchoTheCorrelationDataOnTheResponseTopic)
{
    fake_.connect();
    sync::Transport::Message request{"req", "q", false, "resp/topic", std::string("\x00\x01", 2)};
    ASSERT_TRUE(session_->reply(request, "answer"));
    EXPECT_EQ(fake_.take(),
              (std::vector<Published>{{"resp/topic", "answer", 1, false, {"", request.correlationData, 0}}}));
    request.responseTopic.clear();
    const auto refused = session_->reply(request, "answer");
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, sync::ErrorCode::Malformed);
}

} // namespace
} // namespace retour::test
