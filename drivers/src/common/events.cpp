#include "retour/drivers/events.h"

namespace retour::drivers {

const char* toString(WeightStatus status)
{
    switch (status) {
    case WeightStatus::Stable:
        return "stable";
    case WeightStatus::InMotion:
        return "in-motion";
    case WeightStatus::UnderZero:
        return "under-zero";
    case WeightStatus::Overload:
        return "overload";
    case WeightStatus::NeedsZero:
        return "needs-zero";
    case WeightStatus::NeedsCalibration:
        return "needs-calibration";
    case WeightStatus::Fault:
        return "fault";
    }
    return "unknown";
}

} // namespace retour::drivers
