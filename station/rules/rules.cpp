#include "rules/rules.h"

#include "config/toml_source.h"

#include <algorithm>
#include <array>
#include <regex>
#include <set>

namespace retour::station {

namespace {

constexpr std::array<std::pair<Disposition, std::string_view>, 9> kDispositions{{
    {Disposition::RestockNew, "restock_new"},
    {Disposition::OpenBox, "open_box"},
    {Disposition::Refurbish, "refurbish"},
    {Disposition::ResaleSecondHand, "resale_second_hand"},
    {Disposition::ReturnToVendor, "return_to_vendor"},
    {Disposition::Donate, "donate"},
    {Disposition::Recycle, "recycle"},
    {Disposition::Destroy, "destroy"},
    {Disposition::Quarantine, "quarantine"},
}};

std::string dispositionList()
{
    std::string list;
    for (const auto& [code, name] : kDispositions) {
        list += (list.empty() ? "" : ", ") + std::string(name);
    }
    return list;
}

template <class T> bool contains(const std::vector<T>& values, const T& value)
{
    return std::find(values.begin(), values.end(), value) != values.end();
}

constexpr ErrorCode kCode = ErrorCode::Rules;

// A letter from a one-character string element, checked against [first, last].
Result<std::vector<char>> letters(const toml::table& table, std::string_view key, std::string_view tableName,
                                  char first, char last, const std::filesystem::path& file)
{
    auto values = located(kCode, base::TomlReader(file).optStringArray(table, key, tableName));
    if (!values) {
        return std::unexpected(values.error());
    }
    std::vector<char> out;
    if (!*values) {
        return out;
    }
    const auto* array = table.get(key)->as_array();
    for (std::size_t i = 0; i < (*values)->size(); ++i) {
        const std::string& value = (**values)[i];
        if (value.size() != 1 || value[0] < first || value[0] > last) {
            return std::unexpected(located(
                kCode, base::TomlReader(file).at(array->get(i)->source(),
                                                 std::string(tableName) + " \"" + std::string(key) +
                                                     "\": \"" + value + "\" is not one of " +
                                                     std::string(1, first) + ".." + std::string(1, last))));
        }
        out.push_back(value[0]);
    }
    return out;
}

Result<std::vector<std::string>> strings(const toml::table& table, std::string_view key,
                                         std::string_view tableName, const std::filesystem::path& file)
{
    auto values = located(kCode, base::TomlReader(file).optStringArray(table, key, tableName));
    if (!values) {
        return std::unexpected(values.error());
    }
    return values->value_or(std::vector<std::string>{});
}

Result<void> parseWhen(const toml::node& node, Rule& rule, const std::filesystem::path& file)
{
    const auto* when = node.as_table();
    if (when == nullptr) {
        return std::unexpected(
            located(kCode, base::TomlReader(file).at(node.source(),
                                                     "rule \"" + rule.name +
                                                         "\": \"when\" must be a table, e.g. when = { grade "
                                                         "= [\"A\"] }")));
    }
    const std::string tableName = "rule \"" + rule.name + "\" when";
    if (auto ok = located(
            kCode, base::TomlReader(file).unknownKey(*when,
                                                     {"grade", "function", "cosmetic", "category", "channel",
                                                      "reason", "min_value", "max_value", "findings"},
                                                     tableName));
        !ok) {
        return ok;
    }
    auto grades = letters(*when, "grade", tableName, 'A', 'E', file);
    auto cosmetics = letters(*when, "cosmetic", tableName, 'A', 'D', file);
    auto categories = strings(*when, "category", tableName, file);
    auto channels = strings(*when, "channel", tableName, file);
    auto reasons = strings(*when, "reason", tableName, file);
    auto findings = strings(*when, "findings", tableName, file);
    auto functions = located(kCode, base::TomlReader(file).optIntegerArray(*when, "function", tableName));
    auto minValue = located(kCode, base::TomlReader(file).optNumber(*when, "min_value", tableName));
    auto maxValue = located(kCode, base::TomlReader(file).optNumber(*when, "max_value", tableName));
    for (const Error* error :
         {grades ? nullptr : &grades.error(), cosmetics ? nullptr : &cosmetics.error(),
          categories ? nullptr : &categories.error(), channels ? nullptr : &channels.error(),
          reasons ? nullptr : &reasons.error(), findings ? nullptr : &findings.error(),
          functions ? nullptr : &functions.error(), minValue ? nullptr : &minValue.error(),
          maxValue ? nullptr : &maxValue.error()}) {
        if (error != nullptr) {
            return std::unexpected(*error);
        }
    }
    rule.grades = *grades;
    rule.cosmetics = *cosmetics;
    rule.categories = *categories;
    rule.channels = *channels;
    rule.reasons = *reasons;
    rule.findings = *findings;
    rule.minValue = *minValue;
    rule.maxValue = *maxValue;
    if (*functions) {
        const auto* array = when->get("function")->as_array();
        for (std::size_t i = 0; i < (*functions)->size(); ++i) {
            const auto f = (**functions)[i];
            if (!GradeTable::validFunction(static_cast<int>(f))) {
                return std::unexpected(located(
                    kCode,
                    base::TomlReader(file).at(array->get(i)->source(),
                                              tableName + " \"function\": " + std::to_string(f) +
                                                  " is not a function grade (0 works, 1 minor fault, 2 major "
                                                  "fault, 3 dead)")));
            }
            rule.functions.push_back(static_cast<int>(f));
        }
    }
    return {};
}

Result<Rule> parseRule(const toml::node& node, std::size_t index, const std::filesystem::path& file)
{
    const auto* table = node.as_table();
    if (table == nullptr) {
        return std::unexpected(
            located(kCode, base::TomlReader(file).at(node.source(), "each [[rule]] must be a table")));
    }
    const std::string tableName = "[[rule]] #" + std::to_string(index + 1);
    if (auto ok = located(kCode, base::TomlReader(file).unknownKey(
                                     *table, {"name", "when", "disposition", "location"}, tableName));
        !ok) {
        return std::unexpected(ok.error());
    }
    Rule rule;
    rule.line = static_cast<int>(node.source().begin.line);
    auto name = located(kCode, base::TomlReader(file).optString(*table, "name", tableName));
    auto disposition = located(kCode, base::TomlReader(file).optString(*table, "disposition", tableName));
    auto location = located(kCode, base::TomlReader(file).optString(*table, "location", tableName));
    for (const Error* error : {name ? nullptr : &name.error(), disposition ? nullptr : &disposition.error(),
                               location ? nullptr : &location.error()}) {
        if (error != nullptr) {
            return std::unexpected(*error);
        }
    }
    if (!*name || (*name)->empty()) {
        return std::unexpected(located(
            kCode, base::TomlReader(file).at(
                       node.source(), tableName + " has no name: add name = \"…\" (it is recorded with each "
                                                  "decision)")));
    }
    rule.name = **name;
    if (!*disposition) {
        return std::unexpected(
            located(kCode, base::TomlReader(file).at(node.source(),
                                                     "rule \"" + rule.name +
                                                         "\" has no disposition: add disposition = one of " +
                                                         dispositionList())));
    }
    const auto code = parseDisposition(**disposition);
    if (!code) {
        return std::unexpected(
            located(kCode, base::TomlReader(file).at(table->get("disposition")->source(),
                                                     "rule \"" + rule.name + "\": unknown disposition \"" +
                                                         **disposition + "\" (use one of " +
                                                         dispositionList() + ")")));
    }
    rule.disposition = *code;
    if (!*location || (*location)->empty()) {
        return std::unexpected(
            located(kCode, base::TomlReader(file).at(node.source(),
                                                     "rule \"" + rule.name +
                                                         "\" has no location: add location = \"…\" (the "
                                                         "destination printed on the label)")));
    }
    rule.location = **location;
    if (const toml::node* when = table->get("when")) {
        if (auto ok = parseWhen(*when, rule, file); !ok) {
            return std::unexpected(ok.error());
        }
    }
    return rule;
}

Result<void> parseGrades(const toml::node& node, GradeTable& grades, const std::filesystem::path& file)
{
    const auto* table = node.as_table();
    if (table == nullptr) {
        return std::unexpected(
            located(kCode, base::TomlReader(file).at(node.source(), "[grades] must be a table")));
    }
    if (auto ok = located(kCode, base::TomlReader(file).unknownKey(*table, {"0", "1", "2", "3"},
                                                                   "[grades] (function 0..3)"));
        !ok) {
        return ok;
    }
    for (const auto& [key, row] : *table) {
        const int function = key.str()[0] - '0';
        const auto* array = row.as_array();
        if (array == nullptr || array->size() != 4) {
            return std::unexpected(located(
                kCode, base::TomlReader(file).at(
                           row.source(), "[grades] " + std::string(key.str()) +
                                             " must be an array of 4 grades, one per cosmetic A, B, C, D")));
        }
        for (std::size_t i = 0; i < 4; ++i) {
            const toml::node& entry = (*array)[i];
            const auto* value = entry.as_string();
            if (value == nullptr || value->get().size() != 1 || !GradeTable::validGrade(value->get()[0])) {
                return std::unexpected(
                    located(kCode, base::TomlReader(file).at(
                                       entry.source(), "[grades] " + std::string(key.str()) +
                                                           ": each entry must be a grade \"A\"..\"E\"")));
            }
            grades.set(function, static_cast<char>('A' + i), value->get()[0]);
        }
    }
    return {};
}

Result<void> parseTradeIn(const toml::node& node, GradeTable& grades, const std::filesystem::path& file)
{
    const auto* table = node.as_table();
    if (table == nullptr) {
        return std::unexpected(
            located(kCode, base::TomlReader(file).at(node.source(), "[trade_in] must be a table")));
    }
    if (auto ok = located(kCode, base::TomlReader(file).unknownKey(*table, {"A", "B", "C", "D", "E"},
                                                                   "[trade_in] (grades)"));
        !ok) {
        return ok;
    }
    for (const auto& [key, value] : *table) {
        auto factor = located(kCode, base::TomlReader(file).optNumber(*table, key.str(), "[trade_in]"));
        if (!factor) {
            return std::unexpected(factor.error());
        }
        if (**factor < 0.0 || **factor > 1.0) {
            return std::unexpected(
                located(kCode, base::TomlReader(file).at(
                                   value.source(),
                                   "[trade_in] " + std::string(key.str()) +
                                       " must be a share between 0.0 and 1.0 of the provisional value")));
        }
        grades.setTradeInFactor(key.str()[0], **factor);
    }
    return {};
}

// [preprinted_label] prefixes = [...], pattern = "regex": how the site's pre-printed return labels
// look, so that one no cached RMA has opens a return at the bench (identify.h).
Result<void> parsePreprinted(const toml::node& node, PreprintedLabelFormat& format,
                             const std::filesystem::path& file)
{
    const auto* table = node.as_table();
    if (table == nullptr) {
        return std::unexpected(
            located(kCode, base::TomlReader(file).at(node.source(), "[preprinted_label] must be a table")));
    }
    if (auto ok = located(
            kCode, base::TomlReader(file).unknownKey(*table, {"prefixes", "pattern"}, "[preprinted_label]"));
        !ok) {
        return ok;
    }
    auto prefixes =
        located(kCode, base::TomlReader(file).optStringArray(*table, "prefixes", "[preprinted_label]"));
    if (!prefixes) {
        return std::unexpected(prefixes.error());
    }
    if (*prefixes) {
        for (const auto& prefix : **prefixes) {
            if (prefix.empty()) {
                return std::unexpected(
                    located(kCode, base::TomlReader(file).at(
                                       table->get("prefixes")->source(),
                                       "[preprinted_label] prefixes: an empty prefix would match every "
                                       "scan; remove it")));
            }
        }
        format.prefixes = std::move(**prefixes);
    }
    auto pattern = located(kCode, base::TomlReader(file).optString(*table, "pattern", "[preprinted_label]"));
    if (!pattern) {
        return std::unexpected(pattern.error());
    }
    if (*pattern && !(*pattern)->empty()) {
        try {
            format.regex = std::make_shared<const std::regex>(**pattern, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
            return std::unexpected(located(
                kCode,
                base::TomlReader(file).at(table->get("pattern")->source(),
                                          "[preprinted_label] pattern is not a valid regular expression (" +
                                              std::string(e.what()) + ")")));
        }
        format.pattern = **pattern;
    }
    return {};
}

Result<RuleSet> build(const toml::table& root, const std::filesystem::path& file)
{
    RuleSet set;
    set.file = file;
    if (auto ok =
            located(kCode, base::TomlReader(file).unknownKey(
                               root, {"grades", "trade_in", "preprinted_label", "rule"}, "the rules file"));
        !ok) {
        return std::unexpected(ok.error());
    }
    if (const toml::node* grades = root.get("grades")) {
        if (auto ok = parseGrades(*grades, set.grades, file); !ok) {
            return std::unexpected(ok.error());
        }
    }
    if (const toml::node* tradeIn = root.get("trade_in")) {
        if (auto ok = parseTradeIn(*tradeIn, set.grades, file); !ok) {
            return std::unexpected(ok.error());
        }
    }
    if (const toml::node* preprinted = root.get("preprinted_label")) {
        if (auto ok = parsePreprinted(*preprinted, set.preprintedLabel, file); !ok) {
            return std::unexpected(ok.error());
        }
    }
    const toml::node* rules = root.get("rule");
    if (rules == nullptr || rules->as_array() == nullptr || rules->as_array()->empty()) {
        return std::unexpected(located(
            kCode,
            base::TomlReader(file).at(rules != nullptr ? rules->source() : root.source(),
                                      "no [[rule]] found: add at least one rule, the last one a catch-all "
                                      "without \"when\"")));
    }
    std::set<std::string> names;
    const auto& array = *rules->as_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
        auto rule = parseRule(*array.get(i), i, file);
        if (!rule) {
            return std::unexpected(rule.error());
        }
        if (!names.insert(rule->name).second) {
            return std::unexpected(
                located(kCode, base::TomlReader(file).at(
                                   array.get(i)->source(),
                                   "rule name \"" + rule->name +
                                       "\" is used twice: names must be unique, decisions record them")));
        }
        set.rules.push_back(std::move(*rule));
    }
    return set;
}

} // namespace

std::string_view toString(Disposition disposition)
{
    for (const auto& [code, name] : kDispositions) {
        if (code == disposition) {
            return name;
        }
    }
    return "quarantine";
}

std::optional<Disposition> parseDisposition(std::string_view text)
{
    for (const auto& [code, name] : kDispositions) {
        if (name == text) {
            return code;
        }
    }
    return std::nullopt;
}

bool Rule::matches(const RuleFacts& facts) const
{
    if (!grades.empty() && !contains(grades, facts.grade)) {
        return false;
    }
    if (!functions.empty() && !contains(functions, facts.function)) {
        return false;
    }
    if (!cosmetics.empty() && !contains(cosmetics, facts.cosmetic)) {
        return false;
    }
    if (!categories.empty() && !contains(categories, facts.category)) {
        return false;
    }
    if (!channels.empty() && !contains(channels, facts.channel)) {
        return false;
    }
    if (!reasons.empty() && !contains(reasons, facts.reason)) {
        return false;
    }
    if (minValue && (!facts.value || *facts.value < *minValue)) {
        return false;
    }
    if (maxValue && (!facts.value || *facts.value > *maxValue)) {
        return false;
    }
    if (!findings.empty() && std::none_of(findings.begin(), findings.end(), [&](const std::string& f) {
            return contains(facts.findings, f);
        })) {
        return false;
    }
    return true;
}

Decision RuleSet::decide(const RuleFacts& facts) const
{
    for (const auto& rule : rules) {
        if (rule.matches(facts)) {
            return Decision{rule.disposition, rule.location, rule.name};
        }
    }
    return Decision{Disposition::Quarantine, "QUARANTINE", std::string(kNoRuleMatched)};
}

Result<RuleSet> parseRules(std::string_view text, const std::filesystem::path& file)
{
    auto root = located(kCode, base::TomlReader(file).parseText(text));
    if (!root) {
        return std::unexpected(root.error());
    }
    return build(*root, file);
}

Result<RuleSet> loadRules(const std::filesystem::path& file)
{
    auto root = located(kCode, base::TomlReader(file).parse());
    if (!root) {
        return std::unexpected(root.error());
    }
    return build(*root, file);
}

} // namespace retour::station
