// SIGINT/SIGTERM to a callback through sigwait(3) on a dedicated thread.
#include "app/signals.h"

#include <pthread.h>

namespace retour::central {

SignalWatcher::SignalWatcher(std::function<void(int)> onSignal) : onSignal_(std::move(onSignal))
{
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
    thread_ = std::thread([this] {
        while (true) {
            int signal = 0;
            if (sigwait(&signals_, &signal) != 0) {
                continue;
            }
            if (stopping_.load()) {
                return;
            }
            onSignal_(signal);
        }
    });
}

SignalWatcher::~SignalWatcher()
{
    // Wake the watcher with a signal aimed at its thread only; it sees stopping_ and returns.
    stopping_.store(true);
    pthread_kill(thread_.native_handle(), SIGTERM);
    thread_.join();
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

} // namespace retour::central
