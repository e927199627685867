#pragma once

#include "config/config.h"

#include <optional>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <utility>

namespace retour::station::web {

// The [ui] table of the station config (config.h UiConfig); errors name FILE:LINE:COL.
Result<void> readUiConfig(const toml::table& root, StationConfig& config);

// "HOST:PORT" (port 0-65535; 0 = any free port) → host and port; nullopt when malformed.
std::optional<std::pair<std::string, int>> parseListen(std::string_view listen);

} // namespace retour::station::web

namespace retour::station::web {

// The UI folder to serve: `configured` when set; else the installed one
// (<prefix>/share/retour/station-ui next to <prefix>/bin/retour-station); else the source tree's
// station/ui (a build that was not installed).
std::filesystem::path uiDirectory(const std::filesystem::path& configured);

} // namespace retour::station::web
