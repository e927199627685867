// Authorisation rules: the TOML file (see rules.h) and its pure, first-match evaluator.
#include "authorise/rules.h"

#include "app/rule_tables.h"
#include "ledger/model.h"

#include <algorithm>
#include <set>

namespace retour::central {

namespace {

constexpr std::int64_t kDay = 24 * 3600;

std::optional<RuleOutcome> parseOutcome(std::string_view text)
{
    if (text == "approve") {
        return RuleOutcome::Approve;
    }
    if (text == "reject") {
        return RuleOutcome::Reject;
    }
    if (text == "review") {
        return RuleOutcome::Review;
    }
    return std::nullopt;
}

SourceResult<RuleOutcome> outcomeAt(const TomlReader& reader, const toml::table& table, std::string_view key,
                                    std::string_view where, bool required)
{
    auto text = reader.optString(table, key, where);
    if (!text) {
        return std::unexpected(text.error());
    }
    if (!*text) {
        if (required) {
            return std::unexpected(
                reader.at(table.source(), std::string(where) + " has no " + std::string(key) + "; add " +
                                              std::string(key) + " = \"approve\", \"reject\" or \"review\""));
        }
        return RuleOutcome::Review;
    }
    auto outcome = parseOutcome(**text);
    if (!outcome) {
        return std::unexpected(reader.at(table.get(key)->source(),
                                         std::string(key) + " in " + std::string(where) + " is \"" + **text +
                                             "\"; use \"approve\", \"reject\" or \"review\""));
    }
    return *outcome;
}

SourceResult<std::vector<std::string>> strings(const TomlReader& reader, const toml::table& table,
                                               std::string_view key, std::string_view where, bool lowerCase)
{
    auto list = reader.optStringArray(table, key, where);
    if (!list) {
        return std::unexpected(list.error());
    }
    std::vector<std::string> out = list->value_or(std::vector<std::string>{});
    if (list->has_value() && out.empty()) {
        return std::unexpected(
            reader.at(table.get(key)->source(), std::string(key) + " in " + std::string(where) +
                                                    " is empty; list at least one value or "
                                                    "remove it"));
    }
    if (lowerCase) {
        for (std::string& value : out) {
            std::transform(value.begin(), value.end(), value.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        }
    }
    return out;
}

SourceResult<AuthorisationRule> readRule(const TomlReader& reader, const toml::table& table,
                                         std::size_t index)
{
    const std::string where = "[[rule]] #" + std::to_string(index + 1);
    if (auto unknown = reader.unknownKey(table,
                                         {"name", "channel", "customer", "category", "sku", "non_returnable",
                                          "older_than_days", "value_over", "quantity_over",
                                          "returns_at_least", "within_days", "then", "reason"},
                                         where)) {
        return std::unexpected(*unknown);
    }
    AuthorisationRule rule;
    rule.source = ruleSource(reader, table);
    auto name = reader.string(table, "name", where);
    if (!name) {
        return std::unexpected(name.error());
    }
    rule.name = *name;
    const std::string named = where + " (" + rule.name + ")";

    auto channels = strings(reader, table, "channel", named, false);
    if (!channels) {
        return std::unexpected(channels.error());
    }
    for (const std::string& channel : *channels) {
        if (!isKnownChannel(channel)) {
            return std::unexpected(reader.at(table.get("channel")->source(),
                                             "channel \"" + channel + "\" in " + named +
                                                 " is unknown; use portal, customer_service, store, "
                                                 "preprinted, unannounced or tradein"));
        }
    }
    rule.channels = std::move(*channels);
    auto customers = strings(reader, table, "customer", named, true);
    if (!customers) {
        return std::unexpected(customers.error());
    }
    rule.customers = std::move(*customers);
    auto categories = strings(reader, table, "category", named, false);
    if (!categories) {
        return std::unexpected(categories.error());
    }
    for (const std::string& category : *categories) {
        if (!isKnownCategory(category)) {
            return std::unexpected(reader.at(table.get("category")->source(),
                                             "category \"" + category + "\" in " + named +
                                                 " is unknown; use electronics, apparel or generic"));
        }
    }
    rule.categories = std::move(*categories);
    auto skus = strings(reader, table, "sku", named, false);
    if (!skus) {
        return std::unexpected(skus.error());
    }
    rule.skus = std::move(*skus);

    auto nonReturnable = reader.optBool(table, "non_returnable", named);
    if (!nonReturnable) {
        return std::unexpected(nonReturnable.error());
    }
    rule.nonReturnable = nonReturnable->value_or(false);

    const auto positive = [&](std::string_view key) -> SourceResult<std::optional<std::int64_t>> {
        auto value = reader.optInteger(table, key, named);
        if (!value) {
            return std::unexpected(value.error());
        }
        if (*value && **value < 0) {
            return std::unexpected(reader.at(table.get(key)->source(), std::string(key) + " in " + named +
                                                                           " is negative; use 0 or more"));
        }
        return *value;
    };
    auto older = positive("older_than_days");
    if (!older) {
        return std::unexpected(older.error());
    }
    rule.olderThanDays = *older;
    auto quantity = positive("quantity_over");
    if (!quantity) {
        return std::unexpected(quantity.error());
    }
    rule.quantityOver = *quantity;
    auto atLeast = positive("returns_at_least");
    if (!atLeast) {
        return std::unexpected(atLeast.error());
    }
    rule.returnsAtLeast = *atLeast;
    auto within = positive("within_days");
    if (!within) {
        return std::unexpected(within.error());
    }
    if (*within && !rule.returnsAtLeast) {
        return std::unexpected(reader.at(table.get("within_days")->source(),
                                         "within_days in " + named + " needs returns_at_least beside it"));
    }
    rule.withinDays = within->value_or(30);
    auto value = reader.optNumber(table, "value_over", named);
    if (!value) {
        return std::unexpected(value.error());
    }
    if (*value && !(**value >= 0)) {
        return std::unexpected(reader.at(table.get("value_over")->source(),
                                         "value_over in " + named + " is negative; use 0 or more"));
    }
    rule.valueOver = *value;

    auto then = outcomeAt(reader, table, "then", named, true);
    if (!then) {
        return std::unexpected(then.error());
    }
    rule.then = *then;
    auto reason = reader.optString(table, "reason", named);
    if (!reason) {
        return std::unexpected(reason.error());
    }
    if (rule.then != RuleOutcome::Approve && (!*reason || (*reason)->empty())) {
        return std::unexpected(reader.at(table.get("then")->source(),
                                         named + " rejects or reviews without a reason; add reason = \"…\" "
                                                 "(the customer and the reviewer read it)"));
    }
    rule.reason = reason->value_or("approved by rule " + rule.name);
    return rule;
}

SourceResult<RuleSet> readRules(const TomlReader& reader, const toml::table& root)
{
    if (auto unknown = reader.unknownKey(root, {"version", "default", "rule"}, "the rules file")) {
        return std::unexpected(*unknown);
    }
    RuleSet set;
    set.file = reader.file();
    auto version = reader.optString(root, "version", "the rules file");
    if (!version) {
        return std::unexpected(version.error());
    }
    set.version = version->value_or("");
    auto fallback = outcomeAt(reader, root, "default", "the rules file", false);
    if (!fallback) {
        return std::unexpected(fallback.error());
    }
    set.fallback = *fallback;
    std::set<std::string> names;
    CENTRAL_TRY_ASSIGN(rules,
                       readRuleTables<AuthorisationRule>(
                           reader, root, "rule",
                           [&](const toml::table& table, std::size_t i) -> SourceResult<AuthorisationRule> {
                               CENTRAL_TRY_ASSIGN(rule, readRule(reader, table, i));
                               if (!names.insert(rule.name).second) {
                                   return std::unexpected(reader.at(table.get("name")->source(),
                                                                    "rule name \"" + rule.name +
                                                                        "\" is used twice; names must be "
                                                                        "unique (decisions record them)"));
                               }
                               return std::move(rule);
                           }));
    set.rules = std::move(rules);
    return set;
}

bool contains(const std::vector<std::string>& list, std::string_view value)
{
    return std::find(list.begin(), list.end(), value) != list.end();
}

bool lineMatches(const AuthorisationRule& rule, const RequestLine& line)
{
    return (rule.categories.empty() || contains(rule.categories, line.category)) &&
           (rule.skus.empty() || contains(rule.skus, line.sku)) && (!rule.nonReturnable || !line.returnable);
}

bool matches(const AuthorisationRule& rule, const RequestFacts& facts)
{
    if (!rule.channels.empty() && !contains(rule.channels, facts.channel)) {
        return false;
    }
    if (!rule.customers.empty() && !contains(rule.customers, facts.customer)) {
        return false;
    }
    if (rule.olderThanDays && !(facts.ageDays && *facts.ageDays > *rule.olderThanDays)) {
        return false;
    }
    const bool lineConditions = !rule.categories.empty() || !rule.skus.empty() || rule.nonReturnable;
    double value = 0;
    std::int64_t quantity = 0;
    bool anyLine = false;
    for (const RequestLine& line : facts.lines) {
        if (!lineConditions || lineMatches(rule, line)) {
            anyLine = true;
            value += line.unitPrice * static_cast<double>(line.quantity);
            quantity += line.quantity;
        }
    }
    if (lineConditions && !anyLine) {
        return false;
    }
    if (rule.valueOver && !(value > *rule.valueOver)) {
        return false;
    }
    if (rule.quantityOver && !(quantity > *rule.quantityOver)) {
        return false;
    }
    if (rule.returnsAtLeast) {
        const std::int64_t since = facts.now - rule.withinDays * kDay;
        const auto recent = std::count_if(facts.previousReturns.begin(), facts.previousReturns.end(),
                                          [&](std::int64_t at) { return at >= since; });
        if (recent < *rule.returnsAtLeast) {
            return false;
        }
    }
    return true;
}

} // namespace

std::string_view toString(RuleOutcome outcome)
{
    switch (outcome) {
    case RuleOutcome::Approve:
        return "approve";
    case RuleOutcome::Reject:
        return "reject";
    case RuleOutcome::Review:
        return "review";
    }
    return "review";
}

SourceResult<RuleSet> loadRules(const std::filesystem::path& file)
{
    const TomlReader reader(file.string());
    auto parsed = reader.parse(file);
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    return readRules(reader, *parsed);
}

SourceResult<RuleSet> parseRules(std::string_view text, std::string_view file)
{
    const TomlReader reader{std::string(file)};
    try {
        const toml::table root = toml::parse(text, file);
        return readRules(reader, root);
    } catch (const toml::parse_error& error) {
        return std::unexpected(
            reader.at(error.source(), "TOML syntax error: " + std::string(error.description()) +
                                          "; fix the syntax at this place"));
    }
}

RuleDecision evaluate(const RuleSet& rules, const RequestFacts& facts)
{
    for (const AuthorisationRule& rule : rules.rules) {
        if (matches(rule, facts)) {
            return RuleDecision{rule.then, rule.name, rule.source, rule.reason, rules.version};
        }
    }
    return RuleDecision{rules.fallback, "(default)", rules.file,
                        rules.fallback == RuleOutcome::Approve ? "no rule matched; approved by default"
                                                               : "no rule matched; the default applies",
                        rules.version};
}

SourceResult<void> RuleBook::reload()
{
    auto loaded = loadRules(file_);
    if (!loaded) {
        return std::unexpected(loaded.error());
    }
    current_ = std::move(*loaded);
    return {};
}

} // namespace retour::central
