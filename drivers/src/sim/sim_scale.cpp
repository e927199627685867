#include "sim/sim_devices.h"

#include <cmath>

namespace retour::drivers::detail {

namespace {

Weight grams(double value, bool stable)
{
    Weight w;
    w.grams = value;
    w.stable = stable;
    w.status = stable ? WeightStatus::Stable : WeightStatus::InMotion;
    w.deviceValue = value;
    w.deviceUnit = "g";
    return w;
}

} // namespace

SimScale::SimScale(DeviceUri uri, SimWorld& world, std::filesystem::path script)
    : SimInputDevice(std::move(uri), world, std::move(script), SimStep::Target::Scale)
{}

void SimScale::deliver(const SimStep& step, std::vector<DeviceEvent>& events)
{
    if (!step.clear) {
        // A real platter swings before it settles: one reading on the way, then the stable value.
        events.emplace_back(grams(std::round(step.grams * 0.6), false));
    }
    events.emplace_back(grams(step.grams, true));
}

} // namespace retour::drivers::detail
