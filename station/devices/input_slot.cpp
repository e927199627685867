#include "devices/input_slot.h"

#include <spdlog/spdlog.h>

namespace retour::station {

InputSlot::InputSlot(std::string role, std::unique_ptr<drivers::InputDevice> device, Handler handler)
    : role_(std::move(role)), device_(std::move(device)), handler_(std::move(handler))
{}

void InputSlot::attach(EventLoop& loop)
{
    loop.addSource(EventLoop::Source{
        [this] { return device_->isOpen() ? device_->fd() : -1; },
        [this] { return device_->isOpen() ? device_->nextDeadline() : reopenAt_; },
        [this](EventLoop::Clock::time_point now) { service(now); },
    });
}

void InputSlot::scheduleReopen(EventLoop::Clock::time_point now, const std::string& reason)
{
    online_ = false;
    const auto delay = backoff_.failed();
    reopenAt_ = now + delay;
    spdlog::warn("{} {} offline: {}; retrying in {} s", role_, device_->uri().text, reason,
                 std::chrono::duration_cast<std::chrono::seconds>(delay).count());
    if (!reportedOffline_) {
        reportedOffline_ = true;
        handler_(drivers::DeviceOffline{reason});
    }
}

void InputSlot::service(EventLoop::Clock::time_point now)
{
    if (!device_->isOpen()) {
        if (now < reopenAt_) {
            return;
        }
        if (auto opened = device_->open(); !opened) {
            scheduleReopen(now, opened.error().message);
            return;
        }
    }
    for (const auto& event : device_->service(now)) {
        if (std::holds_alternative<drivers::DeviceOnline>(event)) {
            online_ = true;
            reportedOffline_ = false;
            backoff_.succeeded();
            spdlog::info("{} online: {}", role_, std::get<drivers::DeviceOnline>(event).description);
            handler_(event);
        } else if (const auto* offline = std::get_if<drivers::DeviceOffline>(&event)) {
            scheduleReopen(now, offline->reason);
        } else {
            handler_(event);
        }
    }
}

} // namespace retour::station
