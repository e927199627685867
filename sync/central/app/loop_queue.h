#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

namespace retour::central {

// What other threads (the MQTT network thread, the signal thread) tell the central loop.
struct ConnectionChanged
{
    bool connected = false;
    std::string reason;
};
struct MessageArrived
{
    std::string topic;
    std::string payload;
    bool retained = false;
    std::string responseTopic; // MQTT v5 request/response (lookups)
    std::string correlationData;
};
struct PublishFinished
{
    int messageId = 0;
    bool ok = false;
    int reasonCode = 0;
};
struct StopRequested
{
    std::string why;
};
// Work another thread (the HTTP server's) needs done on the loop's thread, with its state.
struct PostedTask
{
    std::function<void()> run;
};
using LoopEvent = std::variant<ConnectionChanged, MessageArrived, PublishFinished, StopRequested, PostedTask>;

// The one edge into the central loop: a queue the loop drains in batches.
//
// Overflow: at most `messageCapacity` MessageArrived wait; one more is dropped (push returns false)
// and never acknowledged, so its station sends it again later. Other events are never dropped.
//
// Thread contract: push() is thread-safe and never blocks for long; waitAll() is thread-bound to
// the consumer.
class LoopQueue
{
public:
    explicit LoopQueue(std::size_t messageCapacity = 10000) : capacity_(messageCapacity) {}

    bool push(LoopEvent event);
    // Wait up to `timeout` for an event, then take everything queued (possibly nothing).
    std::vector<LoopEvent> waitAll(std::chrono::milliseconds timeout);

private:
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<LoopEvent> events_;
    std::size_t messages_ = 0;
    std::size_t capacity_;
};

} // namespace retour::central
