#pragma once

#include "config/config.h"

#include <toml++/toml.h>

namespace retour::station {

// The [counters] table of the station config (config.h CountersConfig): shifts = ["HH:MM", …],
// local times at which a counting window starts; errors name FILE:LINE:COL.
Result<void> readCountersConfig(const toml::table& root, StationConfig& config);

} // namespace retour::station
