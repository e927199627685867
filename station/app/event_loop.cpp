#include "app/event_loop.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <sys/eventfd.h>
#include <unistd.h>

namespace retour::station {

EventLoop::EventLoop()
{
    eventFd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (eventFd_ < 0) {
        // Start-up only: a process that cannot create an eventfd cannot run the station.
        throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
    }
}

EventLoop::~EventLoop()
{
    ::close(eventFd_);
}

void EventLoop::addSource(Source source)
{
    sources_.push_back(std::move(source));
}

EventLoop::TimerId EventLoop::after(Clock::duration delay, std::function<void()> task)
{
    const TimerId id = nextTimer_++;
    const auto at = Clock::now() + delay;
    timers_.emplace(std::pair{at, id}, std::move(task));
    timerIndex_.emplace(id, at);
    return id;
}

void EventLoop::cancel(TimerId id)
{
    if (auto it = timerIndex_.find(id); it != timerIndex_.end()) {
        timers_.erase(std::pair{it->second, id});
        timerIndex_.erase(it);
    }
}

void EventLoop::post(std::function<void()> task)
{
    {
        std::lock_guard lock(mutex_);
        posted_.push_back(std::move(task));
    }
    wake();
}

void EventLoop::quit()
{
    {
        std::lock_guard lock(mutex_);
        quit_ = true;
    }
    wake();
}

bool EventLoop::quitting() const
{
    std::lock_guard lock(mutex_);
    return quit_;
}

void EventLoop::wake()
{
    const std::uint64_t one = 1;
    // EAGAIN means the counter is already non-zero: the loop is awake anyway.
    [[maybe_unused]] const auto n = ::write(eventFd_, &one, sizeof one);
}

void EventLoop::drainPosted()
{
    std::uint64_t count = 0;
    [[maybe_unused]] const auto n = ::read(eventFd_, &count, sizeof count);
    std::deque<std::function<void()>> tasks;
    {
        std::lock_guard lock(mutex_);
        tasks.swap(posted_);
    }
    for (auto& task : tasks) {
        task();
    }
}

void EventLoop::run()
{
    std::vector<pollfd> fds;
    std::vector<std::size_t> owners;
    while (!quitting()) {
        drainPosted();
        if (quitting()) {
            break;
        }
        fds.clear();
        owners.clear();
        fds.push_back(pollfd{eventFd_, POLLIN, 0});
        auto next = Clock::time_point::max();
        for (std::size_t i = 0; i < sources_.size(); ++i) {
            if (const int fd = sources_[i].fd ? sources_[i].fd() : -1; fd >= 0) {
                fds.push_back(pollfd{fd, POLLIN, 0});
                owners.push_back(i);
            }
            if (sources_[i].deadline) {
                next = std::min(next, sources_[i].deadline());
            }
        }
        if (!timers_.empty()) {
            next = std::min(next, timers_.begin()->first.first);
        }
        int timeoutMs = -1;
        if (next != Clock::time_point::max()) {
            const auto wait = std::chrono::ceil<std::chrono::milliseconds>(next - Clock::now()).count();
            timeoutMs = static_cast<int>(std::clamp<long long>(wait, 0, 60000));
        }
        const int rc = ::poll(fds.data(), fds.size(), timeoutMs);
        if (rc < 0 && errno != EINTR) {
            throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
        }
        const auto now = Clock::now();
        // Sources whose fd is ready or whose deadline passed; an fd error (POLLERR/POLLHUP/POLLNVAL)
        // is serviced too, so the device notices and reports itself offline.
        std::vector<bool> due(sources_.size(), false);
        for (std::size_t k = 1; k < fds.size(); ++k) {
            if (fds[k].revents != 0) {
                due[owners[k - 1]] = true;
            }
        }
        for (std::size_t i = 0; i < sources_.size(); ++i) {
            if (sources_[i].deadline && sources_[i].deadline() <= now) {
                due[i] = true;
            }
        }
        for (std::size_t i = 0; i < sources_.size(); ++i) {
            if (due[i]) {
                sources_[i].service(now);
            }
        }
        while (!timers_.empty() && timers_.begin()->first.first <= Clock::now()) {
            auto node = timers_.extract(timers_.begin());
            timerIndex_.erase(node.key().second);
            node.mapped()();
        }
    }
    // A later run() starts afresh (tools and tests run the same loop more than once).
    std::lock_guard lock(mutex_);
    quit_ = false;
}

} // namespace retour::station
