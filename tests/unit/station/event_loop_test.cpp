#include "app/event_loop.h"
#include "app/worker.h"

#include <gtest/gtest.h>
#include <thread>

namespace retour::station {
namespace {

TEST(EventLoop, RunsPostedTasksFromOtherThreadsInOrder)
{
    EventLoop loop;
    std::vector<int> seen;
    Worker worker("test-worker");
    for (int i = 0; i < 5; ++i) {
        worker.post([&loop, &seen, i] { loop.post([&seen, i] { seen.push_back(i); }); });
    }
    worker.post([&loop] { loop.post([&loop] { loop.quit(); }); });
    loop.run();
    EXPECT_EQ(seen, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(EventLoop, TimersFireInDeadlineOrderAndCanBeCancelled)
{
    EventLoop loop;
    std::vector<std::string> fired;
    loop.after(std::chrono::milliseconds(20), [&] { fired.push_back("late"); });
    const auto cancelled = loop.after(std::chrono::milliseconds(5), [&] { fired.push_back("cancelled"); });
    loop.after(std::chrono::milliseconds(1), [&] { fired.push_back("early"); });
    loop.after(std::chrono::milliseconds(30), [&] { loop.quit(); });
    loop.cancel(cancelled);
    loop.run();
    EXPECT_EQ(fired, (std::vector<std::string>{"early", "late"}));
}

TEST(EventLoop, ServicesASourceWhenItsDeadlinePasses)
{
    EventLoop loop;
    int serviced = 0;
    auto deadline = EventLoop::Clock::now() + std::chrono::milliseconds(2);
    loop.addSource(EventLoop::Source{[] { return -1; }, [&] { return deadline; },
                                     [&](EventLoop::Clock::time_point) {
                                         ++serviced;
                                         deadline = EventLoop::Clock::time_point::max();
                                         loop.quit();
                                     }});
    loop.run();
    EXPECT_EQ(serviced, 1);
}

} // namespace
} // namespace retour::station
