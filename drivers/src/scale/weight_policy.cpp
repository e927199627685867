#include "retour/drivers/protocol/weight_policy.h"

#include <algorithm>

namespace retour::drivers::protocol {

namespace {

bool isErrorState(WeightStatus status)
{
    return status != WeightStatus::Stable && status != WeightStatus::InMotion;
}

} // namespace

StableWeightPolicy::StableWeightPolicy(StableWeightOptions options) : options_(options)
{
    options_.agreeCount = std::max<std::size_t>(options_.agreeCount, 1);
    options_.agreeWindowGrams = std::max(options_.agreeWindowGrams, 0.0);
}

Weight StableWeightPolicy::apply(Weight reading)
{
    using Mode = StableWeightOptions::Mode;
    if (isErrorState(reading.status)) {
        recent_.clear();
        reading.stable = false;
        return reading;
    }
    const bool deviceStable = reading.status == WeightStatus::Stable;
    if (options_.mode == Mode::Device) {
        reading.stable = deviceStable;
        return reading;
    }
    recent_.push_back(reading.grams);
    while (recent_.size() > options_.agreeCount) {
        recent_.pop_front();
    }
    const bool stable = agree() && (options_.mode == Mode::Agree || deviceStable);
    reading.stable = stable;
    reading.status = stable ? WeightStatus::Stable : WeightStatus::InMotion;
    return reading;
}

bool StableWeightPolicy::agree() const
{
    if (recent_.size() < options_.agreeCount) {
        return false;
    }
    const auto [low, high] = std::minmax_element(recent_.begin(), recent_.end());
    return *high - *low <= options_.agreeWindowGrams;
}

void StableWeightPolicy::reset()
{
    recent_.clear();
}

} // namespace retour::drivers::protocol
