#pragma once

// Everything a transport reported through its callbacks, for the test thread to look at.
#include "retour/link/transport.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace retour::test {

// Thread contract: thread-safe (a real session calls back on its network thread).
class TransportRecorder
{
public:
    struct Message
    {
        std::string topic, payload;
        bool retained;
    };
    struct Published
    {
        int mid;
        bool ok;
        int reason;
    };

    // Messages come through onMessage, the plain path (onMessageWithProperties stays unset).
    sync::Transport::Callbacks callbacks()
    {
        sync::Transport::Callbacks c;
        c.onConnection = [this](bool up, std::string reason) {
            std::lock_guard lock(mutex_);
            connections_.emplace_back(up, std::move(reason));
        };
        c.onPublished = [this](int mid, bool ok, int reason) {
            std::lock_guard lock(mutex_);
            published_.push_back({mid, ok, reason});
        };
        c.onMessage = [this](const std::string& topic, const std::string& payload, bool retained) {
            std::lock_guard lock(mutex_);
            messages_.push_back({topic, payload, retained});
        };
        return c;
    }

    std::size_t connectCount() const
    {
        std::lock_guard lock(mutex_);
        return static_cast<std::size_t>(
            std::count_if(connections_.begin(), connections_.end(), [](const auto& c) { return c.first; }));
    }
    std::size_t messageCount() const
    {
        std::lock_guard lock(mutex_);
        return messages_.size();
    }
    std::vector<Message> messages() const
    {
        std::lock_guard lock(mutex_);
        return messages_;
    }
    std::optional<Published> publishResult(int mid) const
    {
        std::lock_guard lock(mutex_);
        for (const auto& p : published_) {
            if (p.mid == mid) {
                return p;
            }
        }
        return std::nullopt;
    }
    // The reason of the first report that the connection is down, if any.
    std::optional<std::string> refusal() const
    {
        std::lock_guard lock(mutex_);
        for (const auto& [up, reason] : connections_) {
            if (!up) {
                return reason;
            }
        }
        return std::nullopt;
    }
    std::string connectionLog() const
    {
        std::lock_guard lock(mutex_);
        std::string out;
        for (const auto& [up, reason] : connections_) {
            out += (up ? "up: " : "down: ") + reason + "\n";
        }
        return out;
    }

private:
    mutable std::mutex mutex_;
    std::vector<Message> messages_;
    std::vector<Published> published_;
    std::vector<std::pair<bool, std::string>> connections_;
};

} // namespace retour::test
