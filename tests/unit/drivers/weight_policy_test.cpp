#include "retour/drivers/protocol/weight_policy.h"

#include <gtest/gtest.h>

namespace retour::drivers::protocol {
namespace {

using Mode = StableWeightOptions::Mode;

Weight reading(double grams, WeightStatus status = WeightStatus::InMotion)
{
    Weight w;
    w.grams = grams;
    w.deviceValue = grams;
    w.deviceUnit = "g";
    w.status = status;
    w.stable = status == WeightStatus::Stable;
    return w;
}

TEST(StableWeightPolicy, DeviceModeTrustsTheScale)
{
    StableWeightPolicy policy;
    EXPECT_FALSE(policy.apply(reading(10)).stable);
    EXPECT_TRUE(policy.apply(reading(10, WeightStatus::Stable)).stable);
}

TEST(StableWeightPolicy, AgreeNeedsNReadingsWithinTheWindow)
{
    StableWeightPolicy policy({Mode::Agree, 3, 2.0});
    EXPECT_FALSE(policy.apply(reading(100, WeightStatus::Stable)).stable) << "one reading is not agreement";
    EXPECT_FALSE(policy.apply(reading(101)).stable);
    const Weight third = policy.apply(reading(102));
    EXPECT_TRUE(third.stable) << "100..102 lies within 2 g";
    EXPECT_EQ(third.status, WeightStatus::Stable);
    EXPECT_DOUBLE_EQ(third.grams, 102.0) << "the policy never changes the value";
    const Weight fourth = policy.apply(reading(103.5, WeightStatus::Stable));
    EXPECT_FALSE(fourth.stable) << "101..103.5 is wider than 2 g";
    EXPECT_EQ(fourth.status, WeightStatus::InMotion);
}

TEST(StableWeightPolicy, WindowBoundaryIsInclusiveAndZeroWindowNeedsEqualReadings)
{
    StableWeightPolicy policy({Mode::Agree, 2, 0.5});
    policy.apply(reading(10.0));
    EXPECT_TRUE(policy.apply(reading(10.5)).stable);
    StableWeightPolicy exact({Mode::Agree, 2, 0.0});
    exact.apply(reading(7));
    EXPECT_TRUE(exact.apply(reading(7)).stable);
    EXPECT_FALSE(exact.apply(reading(7.001)).stable);
    StableWeightPolicy one({Mode::Agree, 1, 0.0});
    EXPECT_TRUE(one.apply(reading(3)).stable) << "agree_count=1 accepts every reading";
}

TEST(StableWeightPolicy, BothNeedsTheDeviceFlagAndAgreement)
{
    StableWeightPolicy policy({Mode::Both, 2, 1.0});
    EXPECT_FALSE(policy.apply(reading(50, WeightStatus::Stable)).stable);
    EXPECT_FALSE(policy.apply(reading(50)).stable) << "agreement without the device flag";
    EXPECT_TRUE(policy.apply(reading(50, WeightStatus::Stable)).stable);
}

TEST(StableWeightPolicy, ErrorStatesPassThroughAndRestartTheWindow)
{
    StableWeightPolicy policy({Mode::Agree, 2, 1.0});
    policy.apply(reading(5));
    for (const auto status : {WeightStatus::UnderZero, WeightStatus::Overload, WeightStatus::NeedsZero,
                              WeightStatus::NeedsCalibration, WeightStatus::Fault}) {
        const Weight out = policy.apply(reading(5, status));
        EXPECT_EQ(out.status, status);
        EXPECT_FALSE(out.stable);
    }
    EXPECT_FALSE(policy.apply(reading(5)).stable) << "the window restarted";
    EXPECT_TRUE(policy.apply(reading(5)).stable);
    policy.reset();
    EXPECT_FALSE(policy.apply(reading(5)).stable);
}

TEST(StableWeightPolicy, NonsenseOptionsAreClamped)
{
    StableWeightPolicy policy({Mode::Agree, 0, -3.0});
    EXPECT_EQ(policy.options().agreeCount, 1u);
    EXPECT_EQ(policy.options().agreeWindowGrams, 0.0);
}

} // namespace
} // namespace retour::drivers::protocol
