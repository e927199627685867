// Routing suggestions by disposition (see routing.h).
#include "stock/routing.h"

#include "app/toml_reader.h"

#include <algorithm>

namespace retour::central {

namespace {

bool oneOf(const std::vector<std::string>& allowed, std::string_view value)
{
    return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

SourceResult<RouteRule> readRule(const TomlReader& reader, const toml::table& table, std::size_t index)
{
    const std::string where = "[[route]] #" + std::to_string(index + 1);
    if (auto unknown = reader.unknownKey(
            table, {"name", "disposition", "grade", "category", "route", "condition"}, where)) {
        return std::unexpected(*unknown);
    }
    RouteRule rule;
    auto name = reader.string(table, "name", where);
    auto route = reader.string(table, "route", where);
    auto condition = reader.string(table, "condition", where);
    auto dispositions = reader.optStringArray(table, "disposition", where);
    auto grades = reader.optStringArray(table, "grade", where);
    auto categories = reader.optStringArray(table, "category", where);
    for (const SourceError* error :
         {name ? nullptr : &name.error(), route ? nullptr : &route.error(),
          condition ? nullptr : &condition.error(), dispositions ? nullptr : &dispositions.error(),
          grades ? nullptr : &grades.error(), categories ? nullptr : &categories.error()}) {
        if (error != nullptr) {
            return std::unexpected(*error);
        }
    }
    const SourceError here = reader.at(table.source(), "");
    rule.name = *name;
    rule.source =
        rule.name + " @ " + here.file + ":" + std::to_string(here.line) + ":" + std::to_string(here.column);
    rule.route = *route;
    rule.condition = *condition;
    rule.dispositions = dispositions->value_or(std::vector<std::string>{});
    rule.grades = grades->value_or(std::vector<std::string>{});
    rule.categories = categories->value_or(std::vector<std::string>{});
    return rule;
}

} // namespace

SourceResult<RoutingTable> loadRoutingTable(const std::filesystem::path& file)
{
    const TomlReader reader(file.string());
    auto parsed = reader.parse(file);
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    const toml::table& root = *parsed;
    if (auto unknown = reader.unknownKey(root, {"version", "route"}, "the routing table")) {
        return std::unexpected(*unknown);
    }
    RoutingTable table;
    table.file = file.string();
    auto version = reader.optString(root, "version", "the routing table");
    if (!version) {
        return std::unexpected(version.error());
    }
    table.version = version->value_or("");
    const toml::node* routes = root.get("route");
    if (routes == nullptr) {
        return table;
    }
    const toml::array* array = routes->as_array();
    if (array == nullptr) {
        return std::unexpected(
            reader.at(routes->source(), "route must be an array of tables; write [[route]]"));
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
        const toml::table* rule = (*array)[i].as_table();
        if (rule == nullptr) {
            return std::unexpected(
                reader.at((*array)[i].source(), "each route must be a table; write [[route]]"));
        }
        auto read = readRule(reader, *rule, i);
        if (!read) {
            return std::unexpected(read.error());
        }
        table.rules.push_back(std::move(*read));
    }
    return table;
}

RoutingTable defaultRoutingTable()
{
    RoutingTable table;
    table.file = "(built in)";
    table.version = "built-in";
    const struct
    {
        const char* name;
        std::vector<std::string> dispositions;
        const char* route;
        const char* condition;
    } rows[] = {
        {"as-new-back-to-pick-face", {"restock_new"}, "pick_face", "new"},
        {"open-box-to-outlet", {"open_box"}, "outlet", "open_box"},
        {"second-hand-to-outlet", {"resale_second_hand"}, "outlet", "used"},
        {"repairable-to-refurbisher", {"refurbish"}, "refurbisher", "refurbish"},
        {"vendor-returns", {"return_to_vendor"}, "vendor", "defective"},
        {"end-of-life", {"recycle", "destroy", "donate"}, "recycler", "scrap"},
        {"held-for-review", {"quarantine"}, "quarantine", "quarantine"},
    };
    for (const auto& row : rows) {
        table.rules.push_back(RouteRule{row.name,
                                        std::string(row.name) + " @ (built in)",
                                        row.dispositions,
                                        {},
                                        {},
                                        row.route,
                                        row.condition});
    }
    return table;
}

RouteChoice chooseRoute(const RoutingTable& table, std::string_view disposition, std::string_view grade,
                        std::string_view category)
{
    for (const RouteRule& rule : table.rules) {
        if (oneOf(rule.dispositions, disposition) && oneOf(rule.grades, grade) &&
            oneOf(rule.categories, category)) {
            return RouteChoice{rule.route, rule.condition, rule.source};
        }
    }
    return RouteChoice{"review", std::string(disposition), "(default)"};
}

} // namespace retour::central
