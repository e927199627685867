#include "web/snapshot_hub.h"

namespace retour::station::web {

void SnapshotHub::publish(std::string json)
{
    {
        std::lock_guard lock(mutex_);
        if (*current_.json == json) {
            return;
        }
        current_ = Snapshot{current_.version + 1, std::make_shared<const std::string>(std::move(json))};
    }
    changed_.notify_all();
}

SnapshotHub::Snapshot SnapshotHub::current() const
{
    std::lock_guard lock(mutex_);
    return current_;
}

SnapshotHub::Snapshot SnapshotHub::waitNewer(std::uint64_t version, std::chrono::milliseconds timeout) const
{
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, timeout, [&] { return closed_ || current_.version > version; }) || closed_) {
        return {};
    }
    return current_;
}

void SnapshotHub::close()
{
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
    }
    changed_.notify_all();
}

bool SnapshotHub::closed() const
{
    std::lock_guard lock(mutex_);
    return closed_;
}

} // namespace retour::station::web
