#pragma once

#include "app/event_loop.h"
#include "retour/base/retry.h"
#include "retour/drivers/device.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace retour::station {

// One input device of the bench (scanner or scale) as the loop sees it: opened at start, serviced
// when its fd is readable or its deadline passes, re-opened with exponential back-off (1 s .. 30 s)
// after DeviceOffline or a failed open. Every event (including a synthesised DeviceOffline when
// open fails) goes to the handler.
//
// Thread contract: thread-bound (the station loop).
class InputSlot
{
public:
    using Handler = std::function<void(const drivers::DeviceEvent&)>;

    InputSlot(std::string role, std::unique_ptr<drivers::InputDevice> device, Handler handler);

    // Register with the loop (the slot must outlive the loop's run()).
    void attach(EventLoop& loop);

    const std::string& role() const { return role_; }
    bool online() const { return online_; }
    const std::string& uriText() const { return device_->uri().text; }

private:
    void service(EventLoop::Clock::time_point now);
    void scheduleReopen(EventLoop::Clock::time_point now, const std::string& reason);

    std::string role_;
    std::unique_ptr<drivers::InputDevice> device_;
    Handler handler_;
    bool online_ = false;
    bool reportedOffline_ = false;
    EventLoop::Clock::time_point reopenAt_{};
    // 1 s after the first failure, doubling up to 30 s; no jitter (one device per slot).
    base::Backoff backoff_{
        base::BackoffPolicy{std::chrono::milliseconds(1000), std::chrono::milliseconds(30000), 0.0}};
};

} // namespace retour::station
