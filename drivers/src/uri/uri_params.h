#pragma once

#include "retour/drivers/device_uri.h"

#include <initializer_list>
#include <string>
#include <string_view>

namespace retour::drivers::detail {

// Checks the drivers' factories share on a parsed URI's parameters. Pure and reentrant.

// An InvalidUri error naming the URI as written.
Error uriError(const DeviceUri& uri, const std::string& what);

// Typos in parameters must not pass silently: every driver names the ones it understands, and an
// unknown one is refused with the list of those it takes.
Result<void> checkParams(const DeviceUri& uri, std::initializer_list<std::string_view> known);

// An integer parameter (or the fallback when absent) that must lie in [low, high].
Result<long> rangedParam(const DeviceUri& uri, std::string_view key, long fallback, long low, long high);

} // namespace retour::drivers::detail
