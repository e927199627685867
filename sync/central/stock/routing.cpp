// Routing suggestions by disposition (see routing.h).
#include "stock/routing.h"

#include "app/rule_tables.h"

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
    if (auto error = firstError(name, route, condition, dispositions, grades, categories)) {
        return std::unexpected(*error);
    }
    rule.name = *name;
    rule.source = rule.name + " @ " + ruleSource(reader, table);
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
    CENTRAL_TRY_ASSIGN(
        rules, readRuleTables<RouteRule>(reader, root, "route", [&](const toml::table& rule, std::size_t i) {
            return readRule(reader, rule, i);
        }));
    table.rules = std::move(rules);
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
