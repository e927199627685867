#pragma once

// Exponential back-off with jitter: the one retry schedule of the tree (device re-opens, label
// reprints, broker reconnects, central's deliveries).

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

namespace retour::base {

struct BackoffPolicy
{
    // The delay after the first failure; each further failure doubles it, up to `max`.
    std::chrono::milliseconds initial{1000};
    std::chrono::milliseconds max{30000};
    // The share of each delay taken off at random: 0 waits exactly, 0.5 waits between half the
    // delay and all of it (so that many clients that failed together do not retry together).
    double jitter = 0.0;
};

// The delay after `failures` failures in a row (0 for none): initial · 2^(failures − 1), capped at
// max, less jitter · delay · `random` (random in [0, 1]). Pure.
std::chrono::milliseconds backoffDelay(const BackoffPolicy& policy, std::int64_t failures,
                                       double random = 0.0);

// The schedule of one thing that is retried: failed() says how long to wait, succeeded() starts
// over. The clock and the random source are injected so tests are deterministic.
//
// Thread contract: thread-compatible (one owner at a time).
class Backoff
{
public:
    using Clock = std::chrono::steady_clock;
    // Uniform in [0, 1].
    using Random = std::function<double()>;

    explicit Backoff(BackoffPolicy policy, Random random = {}, std::function<Clock::time_point()> now = {});

    // One more failure: the delay before the next try, also remembered as dueAt().
    std::chrono::milliseconds failed();
    // Back to the first delay; nothing due.
    void succeeded();

    std::int64_t failures() const { return failures_; }
    // When the next try is due after the last failure (nullopt after a success or before any).
    std::optional<Clock::time_point> dueAt() const { return dueAt_; }
    // A try is allowed now: no failure pending, or its delay has passed.
    bool due() const;
    const BackoffPolicy& policy() const { return policy_; }

private:
    BackoffPolicy policy_;
    Random random_;
    std::function<Clock::time_point()> now_;
    std::int64_t failures_ = 0;
    std::optional<Clock::time_point> dueAt_;
};

} // namespace retour::base
