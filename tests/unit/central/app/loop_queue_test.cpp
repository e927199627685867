#include "app/loop_queue.h"

#include <gtest/gtest.h>

namespace retour::central {
namespace {

TEST(LoopQueue, DeliversEverythingQueuedInOrder)
{
    LoopQueue queue;
    queue.push(ConnectionChanged{true, ""});
    queue.push(MessageArrived{"a", "1", false, {}, {}});
    queue.push(StopRequested{"test"});
    const auto events = queue.waitAll(std::chrono::milliseconds(0));
    ASSERT_EQ(events.size(), 3u);
    EXPECT_TRUE(std::holds_alternative<ConnectionChanged>(events[0]));
    EXPECT_EQ(std::get<MessageArrived>(events[1]).topic, "a");
    EXPECT_TRUE(std::holds_alternative<StopRequested>(events[2]));
    EXPECT_TRUE(queue.waitAll(std::chrono::milliseconds(0)).empty());
}

TEST(LoopQueue, DropsMessagesBeyondCapacityButNeverControlEvents)
{
    LoopQueue queue(2);
    EXPECT_TRUE(queue.push(MessageArrived{"a", "1", false, {}, {}}));
    EXPECT_TRUE(queue.push(MessageArrived{"b", "2", false, {}, {}}));
    EXPECT_FALSE(queue.push(MessageArrived{"c", "3", false, {}, {}}));
    EXPECT_TRUE(queue.push(StopRequested{"test"}));
    EXPECT_EQ(queue.waitAll(std::chrono::milliseconds(0)).size(), 3u);
    // Draining frees the room again.
    EXPECT_TRUE(queue.push(MessageArrived{"d", "4", false, {}, {}}));
}

} // namespace
} // namespace retour::central
