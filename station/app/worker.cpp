#include "app/worker.h"

#include <pthread.h>

namespace retour::station {

Worker::Worker(std::string name) : name_(std::move(name))
{
    thread_ = std::thread([this] { run(); });
    // Visible in top/gdb; the kernel limit is 15 characters.
    ::pthread_setname_np(thread_.native_handle(), name_.substr(0, 15).c_str());
}

Worker::~Worker()
{
    stop();
}

void Worker::post(std::function<void()> task)
{
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;
        }
        tasks_.push_back(std::move(task));
    }
    wake_.notify_one();
}

void Worker::stop()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        tasks_.clear();
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

std::size_t Worker::queued() const
{
    std::lock_guard lock(mutex_);
    return tasks_.size();
}

void Worker::run()
{
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
            if (stopping_) {
                return;
            }
            task = std::move(tasks_.front());
            tasks_.pop_front();
        }
        task();
    }
}

} // namespace retour::station
