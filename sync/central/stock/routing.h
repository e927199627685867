#pragma once

#include "app/source_error.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace retour::central {

// Routing suggestions as data (config/central/routing.toml): by the station's disposition code,
// grade and category, the route a returned unit takes (pick_face, outlet, refurbisher, vendor,
// recycler, quarantine, …) and the stock condition it is held under. First match wins; the rule
// is recorded on the movement.
struct RouteRule
{
    std::string name;
    std::string source; // name @ FILE:LINE:COL
    std::vector<std::string> dispositions, grades, categories;
    std::string route;
    std::string condition;
};

struct RoutingTable
{
    std::string file;
    std::string version;
    std::vector<RouteRule> rules;
};

struct RouteChoice
{
    std::string route;
    std::string condition;
    std::string rule; // "(default)" when none matched: route "review", condition = the disposition
};

// Errors name FILE:LINE:COL. Reentrant.
SourceResult<RoutingTable> loadRoutingTable(const std::filesystem::path& file);

// The built-in table (the same rules as config/central/routing.toml) when none is configured.
RoutingTable defaultRoutingTable();

// Pure.
RouteChoice chooseRoute(const RoutingTable& table, std::string_view disposition, std::string_view grade,
                        std::string_view category);

} // namespace retour::central
