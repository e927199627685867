// The operator UI server's pure parts: input checks, listen addresses and the snapshot hand-over.
#include "web/snapshot_hub.h"
#include "web/ui_config.h"
#include "web/web_server.h"

#include <gtest/gtest.h>
#include <thread>

namespace {

using namespace retour::station::web;

TEST(WebInput, CommandsAreCmdPrefixedUppercaseTokens)
{
    EXPECT_TRUE(validCommand("CMD:CONFIRM"));
    EXPECT_TRUE(validCommand("CMD:GRADE:1:B"));
    EXPECT_FALSE(validCommand("CMD:"));
    EXPECT_FALSE(validCommand("RMA-1"));
    EXPECT_TRUE(validCommand("CMD:SKIPPHOTO:front:camera_offline"));
    EXPECT_FALSE(validCommand("CMD:GRADE 1 B"));
    EXPECT_FALSE(validCommand("CMD:CONFIRM\n"));
    EXPECT_FALSE(validCommand("CMD:" + std::string(100, 'A')));
}

TEST(WebInput, ScanTextRefusesControlCharactersButKeepsGroupSeparator)
{
    EXPECT_TRUE(validScanText("RMA-000101"));
    EXPECT_TRUE(validScanText("0104006381333931\x1d"
                              "21SN1"));
    EXPECT_FALSE(validScanText(""));
    EXPECT_FALSE(validScanText(std::string("A\0B", 3)));
    EXPECT_FALSE(validScanText("A\nB"));
    EXPECT_FALSE(validScanText(std::string(513, 'x')));
}

TEST(WebInput, PhotoHashIsSha256Hex)
{
    EXPECT_TRUE(validPhotoHash(std::string(64, 'a')));
    EXPECT_FALSE(validPhotoHash(std::string(64, 'A')));
    EXPECT_FALSE(validPhotoHash("../../etc/passwd"));
    EXPECT_FALSE(validPhotoHash(std::string(63, 'a') + "/"));
}

TEST(WebConfig, ListenIsHostColonPort)
{
    EXPECT_EQ(parseListen("127.0.0.1:8080"), (std::pair<std::string, int>{"127.0.0.1", 8080}));
    EXPECT_EQ(parseListen("0.0.0.0:0"), (std::pair<std::string, int>{"0.0.0.0", 0}));
    EXPECT_FALSE(parseListen("8080"));
    EXPECT_FALSE(parseListen(":8080"));
    EXPECT_FALSE(parseListen("host:"));
    EXPECT_FALSE(parseListen("host:70000"));
    EXPECT_FALSE(parseListen("host:80x"));
}

TEST(SnapshotHub, PublishesOnlyChangesAndWakesWaiters)
{
    SnapshotHub hub;
    hub.publish(R"({"a":1})");
    const auto first = hub.current();
    EXPECT_EQ(*first.json, R"({"a":1})");
    hub.publish(R"({"a":1})");
    EXPECT_EQ(hub.current().version, first.version);

    std::thread writer([&] { hub.publish(R"({"a":2})"); });
    const auto next = hub.waitNewer(first.version, std::chrono::seconds(10));
    writer.join();
    ASSERT_TRUE(next.json);
    EXPECT_EQ(*next.json, R"({"a":2})");
    EXPECT_GT(next.version, first.version);

    // Nothing newer: the wait ends empty; a closed hub ends every wait at once.
    EXPECT_FALSE(hub.waitNewer(next.version, std::chrono::milliseconds(1)).json);
    hub.close();
    EXPECT_FALSE(hub.waitNewer(next.version, std::chrono::hours(1)).json);
}

} // namespace
