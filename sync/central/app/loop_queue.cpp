// The central loop's inbox (see loop_queue.h for the overflow policy).
#include "app/loop_queue.h"

namespace retour::central {

bool LoopQueue::push(LoopEvent event)
{
    {
        const std::lock_guard lock(mutex_);
        const bool isMessage = std::holds_alternative<MessageArrived>(event);
        if (isMessage && messages_ >= capacity_) {
            return false;
        }
        messages_ += isMessage ? 1 : 0;
        events_.push_back(std::move(event));
    }
    ready_.notify_one();
    return true;
}

std::vector<LoopEvent> LoopQueue::waitAll(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(mutex_);
    ready_.wait_for(lock, timeout, [this] { return !events_.empty(); });
    std::vector<LoopEvent> out(std::make_move_iterator(events_.begin()),
                               std::make_move_iterator(events_.end()));
    events_.clear();
    messages_ = 0;
    return out;
}

} // namespace retour::central
