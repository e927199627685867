#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace retour::station::web {

// The latest operator-UI snapshot (a JSON document, already serialised) and its version, handed
// from the station loop to the HTTP threads: the loop publishes, the HTTP threads read or wait for
// a newer version. Snapshots are immutable once published, so a reader keeps its shared_ptr
// without holding the lock.
//
// Thread contract: thread-safe.
class SnapshotHub
{
public:
    struct Snapshot
    {
        std::uint64_t version = 0;
        std::shared_ptr<const std::string> json;
    };

    // Publish a document; ignored when it equals the current one (no version bump, no wake-up).
    void publish(std::string json);
    Snapshot current() const;
    // The first snapshot newer than `version`, waiting up to `timeout`; version 0 / null json when
    // none came or the hub was closed.
    Snapshot waitNewer(std::uint64_t version, std::chrono::milliseconds timeout) const;
    // Wake every waiter for good (the server is stopping).
    void close();
    bool closed() const;

private:
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    Snapshot current_{0, std::make_shared<const std::string>("{}")};
    bool closed_ = false;
};

} // namespace retour::station::web
