#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <vector>

namespace retour::station {

// The station's single event loop (docs/architecture.md "Threads"): poll() over the
// sources' fds, an eventfd for tasks posted from other threads, and timers (the sources'
// deadlines and one-shot timers).
//
// Thread contract: run(), addSource(), after() and cancel() are thread-bound to the loop thread;
// post() and quit() are thread-safe.
class EventLoop
{
public:
    using Clock = std::chrono::steady_clock;

    // A pollable thing: fd() (or -1) and deadline() are asked before every poll; service() runs
    // when the fd is readable or the deadline has passed.
    struct Source
    {
        std::function<int()> fd;
        std::function<Clock::time_point()> deadline;
        std::function<void(Clock::time_point now)> service;
    };

    EventLoop();
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    void addSource(Source source);

    using TimerId = std::uint64_t;
    TimerId after(Clock::duration delay, std::function<void()> task);
    void cancel(TimerId id);

    void post(std::function<void()> task);
    void quit();

    // Run until quit() (a quit() before run() ends the next run at once). Tasks posted before
    // run() are run first. The loop may be run again afterwards.
    void run();
    bool quitting() const;

private:
    void drainPosted();
    void wake();

    int eventFd_ = -1;
    std::vector<Source> sources_;
    std::map<std::pair<Clock::time_point, TimerId>, std::function<void()>> timers_;
    std::map<TimerId, Clock::time_point> timerIndex_;
    TimerId nextTimer_ = 1;

    mutable std::mutex mutex_;
    std::deque<std::function<void()>> posted_;
    bool quit_ = false;
};

} // namespace retour::station
