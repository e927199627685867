#include "retour/base/retry.h"

#include <algorithm>
#include <random>

namespace retour::base {

std::chrono::milliseconds backoffDelay(const BackoffPolicy& policy, std::int64_t failures, double random)
{
    if (failures <= 0) {
        return std::chrono::milliseconds(0);
    }
    const auto ceiling = std::max(policy.initial, policy.max);
    auto delay = policy.initial;
    for (std::int64_t i = 1; i < failures && delay < ceiling; ++i) {
        delay *= 2;
    }
    delay = std::min(delay, ceiling);
    const double share = std::clamp(policy.jitter, 0.0, 1.0) * std::clamp(random, 0.0, 1.0);
    const auto taken = std::chrono::milliseconds(
        static_cast<std::chrono::milliseconds::rep>(static_cast<double>(delay.count()) * share));
    return delay - taken;
}

Backoff::Backoff(BackoffPolicy policy, Random random, std::function<Clock::time_point()> now)
    : policy_(policy), random_(std::move(random)), now_(std::move(now))
{
    if (!random_) {
        random_ = [engine = std::minstd_rand(std::random_device{}())]() mutable {
            return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
        };
    }
    if (!now_) {
        now_ = [] { return Clock::now(); };
    }
}

std::chrono::milliseconds Backoff::failed()
{
    ++failures_;
    const auto delay = backoffDelay(policy_, failures_, policy_.jitter > 0 ? random_() : 0.0);
    dueAt_ = now_() + delay;
    return delay;
}

void Backoff::succeeded()
{
    failures_ = 0;
    dueAt_.reset();
}

bool Backoff::due() const
{
    return !dueAt_ || now_() >= *dueAt_;
}

} // namespace retour::base
