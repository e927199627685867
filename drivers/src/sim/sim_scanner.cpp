#include "retour/drivers/protocol/keyboard_wedge.h"
#include "sim/sim_devices.h"

namespace retour::drivers::detail {

SimInputDevice::SimInputDevice(DeviceUri uri, SimWorld& world, std::filesystem::path script,
                               SimStep::Target target)
    : uri_(std::move(uri)), world_(world), script_(std::move(script)), target_(target)
{}

DeviceKind SimInputDevice::kind() const
{
    return target_ == SimStep::Target::Scanner ? DeviceKind::Scanner : DeviceKind::Scale;
}

Result<void> SimInputDevice::open()
{
    if (cursor_ != nullptr) {
        return {};
    }
    auto cursor = world_.cursor(script_);
    if (!cursor) {
        Error error = cursor.error();
        error.message = "device " + uri_.text + ": " + error.message;
        return std::unexpected(error);
    }
    cursor_ = *cursor;
    if (cursor_->next == 0 && cursor_->lastDelivered == Clock::time_point{}) {
        cursor_->lastDelivered = Clock::now(); // step 0 waits step_delay_ms from the first open
    }
    announce_ = true;
    return {};
}

void SimInputDevice::close()
{
    cursor_ = nullptr;
    announce_ = false;
}

bool SimInputDevice::nextStepIsMine() const
{
    if (cursor_ == nullptr || cursor_->next >= cursor_->scenario.steps.size()) {
        return false;
    }
    // A printer has no clock of its own: the input devices deliver its steps.
    const auto target = cursor_->scenario.steps[cursor_->next].target;
    return target == target_ || target == SimStep::Target::Printer;
}

Clock::time_point SimInputDevice::nextDeadline() const
{
    if (announce_) {
        return Clock::time_point{};
    }
    if (!nextStepIsMine()) {
        return Clock::time_point::max();
    }
    return cursor_->lastDelivered + cursor_->scenario.stepDelay;
}

std::vector<DeviceEvent> SimInputDevice::service(Clock::time_point now)
{
    std::vector<DeviceEvent> events;
    if (cursor_ == nullptr) {
        return events;
    }
    if (announce_) {
        events.emplace_back(DeviceOnline{"simulated " + std::string(toString(kind())) + " playing " +
                                         cursor_->scenario.file.string()});
        announce_ = false;
    }
    while (nextStepIsMine() && now >= cursor_->lastDelivered + cursor_->scenario.stepDelay) {
        const SimStep& step = cursor_->scenario.steps[cursor_->next];
        if (step.target == SimStep::Target::Printer) {
            cursor_->printer->set(step.printerState);
        } else {
            deliver(step, events);
        }
        cursor_->lastDelivered = now;
        ++cursor_->next;
    }
    return events;
}

SimScanner::SimScanner(DeviceUri uri, SimWorld& world, std::filesystem::path script)
    : SimInputDevice(std::move(uri), world, std::move(script), SimStep::Target::Scanner)
{}

void SimScanner::deliver(const SimStep& step, std::vector<DeviceEvent>& events)
{
    Scan scan = protocol::makeScan(step.scanText, protocol::KeyboardWedgeOptions{});
    if (!step.symbology.empty()) {
        scan.symbology = step.symbology;
    }
    events.emplace_back(std::move(scan));
}

} // namespace retour::drivers::detail
