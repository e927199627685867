#pragma once

#include <atomic>
#include <csignal>
#include <functional>
#include <thread>

namespace retour::central {

// SIGINT and SIGTERM delivered as a plain callback on a thread of its own (sigwait), so nothing
// runs in signal-handler context. Construct it before starting any other thread: it blocks the
// signals in the calling thread, and threads started later inherit that mask.
//
// Thread contract: construct and destroy on the main thread; the callback runs on the watcher's
// thread and must only hand the news on (e.g. LoopQueue::push).
class SignalWatcher
{
public:
    explicit SignalWatcher(std::function<void(int signal)> onSignal);
    ~SignalWatcher();
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

private:
    sigset_t signals_;
    sigset_t previous_;
    std::atomic<bool> stopping_{false};
    std::function<void(int)> onSignal_;
    std::thread thread_;
};

} // namespace retour::central
