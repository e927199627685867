#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace retour::test {

// Polls `predicate` until it is true or `timeout` passes; returns its last value. For tests that
// wait for another thread or process, never as a timing assertion.
inline bool waitUntil(const std::function<bool()>& predicate,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10),
                      std::chrono::milliseconds poll = std::chrono::milliseconds(5))
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!predicate()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return predicate();
        }
        std::this_thread::sleep_for(poll);
    }
    return true;
}

} // namespace retour::test
