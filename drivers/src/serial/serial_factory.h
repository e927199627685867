#pragma once

#include "retour/drivers/device.h"
#include "retour/drivers/protocol/weight_policy.h"

#include <memory>

namespace retour::drivers::detail {

// Drivers for tty: and tcp: input devices (protocol=mt-sics|sma|nci|serial-scanner) and for
// hidraw: scales, built from their URI parameters. Every parameter is checked (unknown ones, bad
// values and out-of-range numbers are InvalidUri errors naming the URI). The device is created
// closed.
Result<std::unique_ptr<InputDevice>> makeSerialInput(const DeviceUri& uri);
Result<std::unique_ptr<InputDevice>> makeHidrawScale(const DeviceUri& uri);

// The stable-weight policy of a scale URI: stable=device|agree|both, agree_count=1..100,
// agree_window_g=0..100000 (grams, decimals allowed). Every scale driver takes these three.
Result<protocol::StableWeightOptions> stableWeightOptions(const DeviceUri& uri);

} // namespace retour::drivers::detail
