#include "retour/base/retry.h"

#include <gtest/gtest.h>

namespace retour::base {
namespace {

using std::chrono::milliseconds;

TEST(RetryTest, TheDelayDoublesFromInitialUpToMax)
{
    const BackoffPolicy policy{.initial = milliseconds(500), .max = milliseconds(3000), .jitter = 0.0};
    EXPECT_EQ(backoffDelay(policy, 0), milliseconds(0));
    EXPECT_EQ(backoffDelay(policy, 1), milliseconds(500));
    EXPECT_EQ(backoffDelay(policy, 2), milliseconds(1000));
    EXPECT_EQ(backoffDelay(policy, 3), milliseconds(2000));
    EXPECT_EQ(backoffDelay(policy, 4), milliseconds(3000));
    EXPECT_EQ(backoffDelay(policy, 1'000'000), milliseconds(3000)) << "no overflow after many failures";
    const BackoffPolicy inverted{.initial = milliseconds(800), .max = milliseconds(100), .jitter = 0.0};
    EXPECT_EQ(backoffDelay(inverted, 5), milliseconds(800)) << "max below initial: initial";
}

TEST(RetryTest, JitterTakesAtMostItsShareOffTheDelay)
{
    const BackoffPolicy policy{.initial = milliseconds(1000), .max = milliseconds(8000), .jitter = 0.5};
    EXPECT_EQ(backoffDelay(policy, 3, 0.0), milliseconds(4000));
    EXPECT_EQ(backoffDelay(policy, 3, 1.0), milliseconds(2000));
    EXPECT_EQ(backoffDelay(policy, 3, 0.25), milliseconds(3500));
    EXPECT_EQ(backoffDelay(policy, 3, 7.0), milliseconds(2000)) << "random is clamped to [0, 1]";
}

TEST(RetryTest, BackoffTracksFailuresAndWhenTheNextTryIsDue)
{
    auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    double random = 0.5;
    Backoff backoff(
        {.initial = milliseconds(100), .max = milliseconds(1000), .jitter = 0.2}, [&] { return random; },
        [&] { return now; });
    EXPECT_TRUE(backoff.due());
    EXPECT_EQ(backoff.dueAt(), std::nullopt);

    EXPECT_EQ(backoff.failed(), milliseconds(90));
    EXPECT_EQ(backoff.failures(), 1);
    EXPECT_EQ(backoff.dueAt(), now + milliseconds(90));
    EXPECT_FALSE(backoff.due());
    now += milliseconds(89);
    EXPECT_FALSE(backoff.due());
    now += milliseconds(1);
    EXPECT_TRUE(backoff.due());

    random = 0.0;
    EXPECT_EQ(backoff.failed(), milliseconds(200));
    EXPECT_EQ(backoff.failed(), milliseconds(400));
    backoff.succeeded();
    EXPECT_EQ(backoff.failures(), 0);
    EXPECT_TRUE(backoff.due());
    EXPECT_EQ(backoff.failed(), milliseconds(100)) << "after a success it starts over";
}

TEST(RetryTest, TheDefaultRandomSourceStaysWithinTheJitter)
{
    Backoff backoff({.initial = milliseconds(1000), .max = milliseconds(1000), .jitter = 0.5});
    for (int i = 0; i < 200; ++i) {
        const auto delay = backoff.failed();
        EXPECT_GE(delay, milliseconds(500));
        EXPECT_LE(delay, milliseconds(1000));
    }
}

} // namespace
} // namespace retour::base
