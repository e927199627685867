#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace retour::station {

// One background thread running tasks in order (the printer and camera workers): blocking device
// calls stay off the station loop, results are posted back to it.
//
// Thread contract: post() and stop() are thread-safe; tasks run on the worker thread.
class Worker
{
public:
    explicit Worker(std::string name);
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    void post(std::function<void()> task);
    // Finish the running task, drop queued ones, join.
    void stop();
    std::size_t queued() const;

private:
    void run();

    std::string name_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> tasks_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace retour::station
