// Topic names and event topic parsing (message.h, docs/architecture.md "Contract over MQTT").
#include "retour/contract/message.h"

#include <gtest/gtest.h>
#include <string>

namespace retour::sync {
namespace {

TEST(Topics, Builders)
{
    EXPECT_EQ(topics::event("s1", "bench-01", "inspection.completed"),
              "returns/v1/s1/bench-01/evt/inspection.completed");
    EXPECT_EQ(topics::ack("s1", "bench-01"), "returns/v1/s1/bench-01/ack");
    EXPECT_EQ(topics::status("s1", "bench-01"), "returns/v1/s1/bench-01/status");
    EXPECT_EQ(topics::rma("s1", "RMA-000101"), "returns/v1/s1/rma/RMA-000101");
    EXPECT_EQ(topics::allEvents("s1"), "returns/v1/s1/+/evt/#");
    EXPECT_EQ(topics::allRmas("s1"), "returns/v1/s1/rma/+");
    EXPECT_EQ(topics::request("s1", "bench-01", "lookup"), "returns/v1/s1/bench-01/req/lookup");
    EXPECT_EQ(topics::command("s1", "bench-01", "lookup"), "returns/v1/s1/bench-01/cmd/lookup");
    EXPECT_EQ(topics::allRequests("s1"), "returns/v1/s1/+/req/#");
}

TEST(Topics, ParseEventTopic)
{
    topics::EventTopic t;
    ASSERT_TRUE(topics::parseEventTopic("returns/v1/demo-site/bench-01/evt/label.printed", t));
    EXPECT_EQ(t.site, "demo-site");
    EXPECT_EQ(t.station, "bench-01");
    EXPECT_EQ(t.type, "label.printed");
}

TEST(Topics, ParseRoundTripsTheBuilder)
{
    topics::EventTopic t;
    ASSERT_TRUE(topics::parseEventTopic(topics::event("a", "b", "parcel.received"), t));
    EXPECT_EQ(t.site, "a");
    EXPECT_EQ(t.station, "b");
    EXPECT_EQ(t.type, "parcel.received");
}

TEST(Topics, ParseRefusesWhatIsNotAnEventTopic)
{
    const char* refused[] = {
        "",
        "returns",
        "returns/v1/s/b/evt",      // no type
        "returns/v1/s/b/evt/",     // empty type
        "returns/v1/s/b/evt/x/y",  // too deep
        "returns/v2/s/b/evt/x",    // other version
        "Returns/v1/s/b/evt/x",    // case matters
        "returns/v1/s/b/ack",      // ack
        "returns/v1/s/b/status",   // status
        "returns/v1/s/rma/RMA-1",  // rma
        "returns/v1/s/b/cmd/x",    // not evt
        "returns/v1//b/evt/x",     // empty site
        "returns/v1/s//evt/x",     // empty station
        "/returns/v1/s/b/evt/x",   // leading slash
        "returns/v1/s/b/evt/x/",   // trailing slash
        "returns/v1/+/b/evt/x",    // wildcard site
        "returns/v1/s/+/evt/x",    // wildcard station
        "returns/v1/s/b/evt/#",    // wildcard type
        "returns/v1/s/b+c/evt/x",  // wildcard inside a level
        "returns/v1/s/b/evt/x#",   // wildcard inside a level
        "returns/v1/$SYS/b/evt/x", // broker topics
    };
    for (const char* topic : refused) {
        topics::EventTopic t{"unchanged", "unchanged", "unchanged"};
        EXPECT_FALSE(topics::parseEventTopic(topic, t)) << topic;
        EXPECT_EQ(t.site, "unchanged") << topic;
        EXPECT_EQ(t.station, "unchanged") << topic;
        EXPECT_EQ(t.type, "unchanged") << topic;
    }
}

TEST(Topics, ParseRefusesEmbeddedNul)
{
    const std::string topic("returns/v1/s/b\0x/evt/x", 22);
    topics::EventTopic t;
    EXPECT_FALSE(topics::parseEventTopic(topic, t));
}

TEST(Topics, ValidLevel)
{
    EXPECT_TRUE(topics::isValidLevel("bench-01"));
    EXPECT_TRUE(topics::isValidLevel("inspection.completed"));
    EXPECT_FALSE(topics::isValidLevel(""));
    EXPECT_FALSE(topics::isValidLevel("a/b"));
    EXPECT_FALSE(topics::isValidLevel("+"));
    EXPECT_FALSE(topics::isValidLevel("a#"));
    EXPECT_FALSE(topics::isValidLevel("$SYS"));
    EXPECT_FALSE(topics::isValidLevel(std::string_view("a\0b", 3)));
}

} // namespace
} // namespace retour::sync
