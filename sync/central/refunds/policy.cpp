// The refund policy file and its pure decisions (see policy.h).
#include "refunds/policy.h"

#include "app/rule_tables.h"

#include <algorithm>
#include <cmath>

namespace retour::central {

namespace {

constexpr std::pair<RefundTrigger, std::string_view> kTriggers[] = {
    {RefundTrigger::Authorised, "authorised"}, {RefundTrigger::CarrierScan, "carrier_scan"},
    {RefundTrigger::DropOff, "drop_off"},      {RefundTrigger::Receipt, "receipt"},
    {RefundTrigger::Inspection, "inspection"}, {RefundTrigger::Review, "review"},
};

bool oneOf(const std::vector<std::string>& allowed, std::string_view value)
{
    return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

std::int64_t cents(double value)
{
    return static_cast<std::int64_t>(std::llround(value * 100.0));
}

SourceResult<std::vector<std::string>> strings(const TomlReader& reader, const toml::table& table,
                                               std::string_view key, std::string_view where)
{
    auto value = reader.optStringArray(table, key, where);
    if (!value) {
        return std::unexpected(value.error());
    }
    return value->value_or(std::vector<std::string>{});
}

SourceResult<TriggerRule> readTrigger(const TomlReader& reader, const toml::table& table, std::size_t index)
{
    const std::string where = "[[trigger]] #" + std::to_string(index + 1);
    if (auto unknown = reader.unknownKey(
            table, {"name", "channel", "category", "min_value", "max_value", "trigger", "keep_item"},
            where)) {
        return std::unexpected(*unknown);
    }
    TriggerRule rule;
    auto name = reader.string(table, "name", where);
    if (!name) {
        return std::unexpected(name.error());
    }
    rule.name = *name;
    rule.source = rule.name + " @ " + ruleSource(reader, table);
    auto channels = strings(reader, table, "channel", where);
    auto categories = strings(reader, table, "category", where);
    auto minValue = reader.optNumber(table, "min_value", where);
    auto maxValue = reader.optNumber(table, "max_value", where);
    auto trigger = reader.string(table, "trigger", where);
    auto keep = reader.optBool(table, "keep_item", where);
    if (auto error = firstError(channels, categories, minValue, maxValue, trigger, keep)) {
        return std::unexpected(*error);
    }
    for (const std::string& channel : *channels) {
        if (!isKnownChannel(channel)) {
            return std::unexpected(reader.at(table.get("channel")->source(),
                                             "unknown channel \"" + channel + "\" in " + where +
                                                 "; use portal, customer_service, store, preprinted, "
                                                 "unannounced or tradein"));
        }
    }
    rule.channels = *channels;
    rule.categories = *categories;
    rule.minValue = *minValue;
    rule.maxValue = *maxValue;
    auto parsed = parseRefundTrigger(*trigger);
    if (!parsed) {
        return std::unexpected(
            reader.at(table.get("trigger")->source(),
                      "unknown trigger \"" + *trigger + "\" in " + where +
                          "; use authorised, carrier_scan, drop_off, receipt, inspection or review"));
    }
    rule.trigger = *parsed;
    rule.keepItem = keep->value_or(false);
    if (rule.keepItem && rule.trigger != RefundTrigger::Authorised) {
        return std::unexpected(reader.at(
            table.get("keep_item")->source(),
            "keep_item in " + where + " needs trigger = \"authorised\" (the item is never sent back)"));
    }
    return rule;
}

SourceResult<AmountRule> readAmount(const TomlReader& reader, const toml::table& table, std::size_t index)
{
    const std::string where = "[[amount]] #" + std::to_string(index + 1);
    if (auto unknown = reader.unknownKey(
            table, {"name", "grade", "disposition", "finding", "category", "weight", "refund", "fee_percent"},
            where)) {
        return std::unexpected(*unknown);
    }
    AmountRule rule;
    auto name = reader.string(table, "name", where);
    if (!name) {
        return std::unexpected(name.error());
    }
    rule.name = *name;
    rule.source = rule.name + " @ " + ruleSource(reader, table);
    auto grades = strings(reader, table, "grade", where);
    auto dispositions = strings(reader, table, "disposition", where);
    auto findings = strings(reader, table, "finding", where);
    auto categories = strings(reader, table, "category", where);
    auto weight = reader.optString(table, "weight", where);
    auto refund = reader.string(table, "refund", where);
    auto fee = reader.optNumber(table, "fee_percent", where);
    if (auto error = firstError(grades, dispositions, findings, categories, weight, refund, fee)) {
        return std::unexpected(*error);
    }
    rule.grades = *grades;
    rule.dispositions = *dispositions;
    rule.findings = *findings;
    rule.categories = *categories;
    if (*weight && **weight != "ok" && **weight != "mismatch" && **weight != "not_checked") {
        return std::unexpected(
            reader.at(table.get("weight")->source(),
                      "weight in " + where + " is \"" + **weight + "\"; use ok, mismatch or not_checked"));
    }
    rule.weight = *weight;
    if (*refund == "full") {
        rule.refund = RefundKind::Full;
    } else if (*refund == "fee") {
        rule.refund = RefundKind::Fee;
    } else if (*refund == "none") {
        rule.refund = RefundKind::None;
    } else {
        return std::unexpected(
            reader.at(table.get("refund")->source(),
                      "refund in " + where + " is \"" + *refund + "\"; use full, fee or none"));
    }
    if (rule.refund == RefundKind::Fee) {
        if (!*fee) {
            return std::unexpected(reader.at(table.source(), where +
                                                                 " has refund = \"fee\" but no fee_percent; "
                                                                 "add fee_percent = 15"));
        }
        if (**fee < 0 || **fee > 100) {
            return std::unexpected(reader.at(table.get("fee_percent")->source(),
                                             "fee_percent in " + where + " must be within 0..100"));
        }
        rule.feePercent = **fee;
    } else if (*fee) {
        return std::unexpected(reader.at(table.get("fee_percent")->source(),
                                         "fee_percent in " + where + " needs refund = \"fee\""));
    }
    return rule;
}

bool amountMatches(const AmountRule& rule, const Inspection& inspection)
{
    if (!oneOf(rule.grades, inspection.grade) || !oneOf(rule.dispositions, inspection.dispositionCode) ||
        !oneOf(rule.categories, inspection.category.value_or("generic"))) {
        return false;
    }
    if (rule.weight && *rule.weight != inspection.weightResult) {
        return false;
    }
    if (!rule.findings.empty()) {
        bool any = false;
        for (const std::string& finding : inspection.findings) {
            any = any || oneOf(rule.findings, finding);
        }
        return any;
    }
    return true;
}

std::int64_t unitCents(const Return& ret, const ReturnLine& line)
{
    if (ret.tradeInValue && !line.unitPrice.value_or(0)) {
        // A trade-in is paid its provisional value, shared by its units.
        std::int64_t units = 0;
        for (const ReturnLine& l : ret.lines) {
            units += l.quantity;
        }
        return units > 0 ? cents(*ret.tradeInValue) / units : 0;
    }
    return cents(line.unitPrice.value_or(0));
}

} // namespace

std::string_view toString(RefundTrigger trigger)
{
    for (const auto& [value, name] : kTriggers) {
        if (value == trigger) {
            return name;
        }
    }
    return "inspection";
}

std::optional<RefundTrigger> parseRefundTrigger(std::string_view text)
{
    for (const auto& [value, name] : kTriggers) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

bool triggerFired(RefundTrigger trigger, ReturnState state)
{
    using enum ReturnState;
    const bool received = state == Received || state == Inspected;
    switch (trigger) {
    case RefundTrigger::Authorised:
        return state == Authorised || state == InTransit || received;
    case RefundTrigger::CarrierScan:
    case RefundTrigger::DropOff:
        return state == InTransit || received;
    case RefundTrigger::Receipt:
        return received;
    case RefundTrigger::Inspection:
        return state == Inspected;
    case RefundTrigger::Review:
        return false; // a person decides (customer service refunds by hand)
    }
    return false;
}

SourceResult<RefundPolicy> loadRefundPolicy(const std::filesystem::path& file)
{
    const TomlReader reader(file.string());
    auto parsed = reader.parse(file);
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    const toml::table& root = *parsed;
    if (auto unknown =
            reader.unknownKey(root, {"version", "currency", "trigger", "amount"}, "the refund policy")) {
        return std::unexpected(*unknown);
    }
    RefundPolicy policy;
    policy.file = file.string();
    auto version = reader.optString(root, "version", "the refund policy");
    if (!version) {
        return std::unexpected(version.error());
    }
    policy.version = version->value_or("");
    auto currency = reader.optString(root, "currency", "the refund policy");
    if (!currency) {
        return std::unexpected(currency.error());
    }
    policy.currency = currency->value_or("EUR");
    if (policy.currency.size() != 3 || !std::all_of(policy.currency.begin(), policy.currency.end(),
                                                    [](char c) { return c >= 'A' && c <= 'Z'; })) {
        return std::unexpected(
            reader.at(root.get("currency")->source(),
                      "currency \"" + policy.currency + "\" is not an ISO 4217 code like \"EUR\""));
    }
    CENTRAL_TRY_ASSIGN(triggers, readRuleTables<TriggerRule>(reader, root, "trigger",
                                                             [&](const toml::table& table, std::size_t i) {
                                                                 return readTrigger(reader, table, i);
                                                             }));
    policy.triggers = std::move(triggers);
    CENTRAL_TRY_ASSIGN(amounts, readRuleTables<AmountRule>(reader, root, "amount",
                                                           [&](const toml::table& table, std::size_t i) {
                                                               return readAmount(reader, table, i);
                                                           }));
    policy.amounts = std::move(amounts);
    return policy;
}

std::int64_t returnValueCents(const Return& ret)
{
    std::int64_t total = 0;
    for (const ReturnLine& line : ret.lines) {
        total += unitCents(ret, line) * line.quantity;
    }
    return total;
}

TriggerChoice chooseTrigger(const RefundPolicy& policy, const Return& ret)
{
    const double value = static_cast<double>(returnValueCents(ret)) / 100.0;
    for (const TriggerRule& rule : policy.triggers) {
        if (!oneOf(rule.channels, ret.channel)) {
            continue;
        }
        if (!rule.categories.empty() &&
            !std::all_of(ret.lines.begin(), ret.lines.end(),
                         [&](const ReturnLine& line) { return oneOf(rule.categories, line.category); })) {
            continue;
        }
        if ((rule.minValue && value < *rule.minValue) || (rule.maxValue && value > *rule.maxValue)) {
            continue;
        }
        return TriggerChoice{rule.trigger, rule.keepItem, rule.source};
    }
    return TriggerChoice{RefundTrigger::Inspection, false, "(default)"};
}

ReturnState RefundDecision::settledState() const
{
    if (amountCents <= 0) {
        return ReturnState::Rejected;
    }
    return amountCents >= fullCents ? ReturnState::Refunded : ReturnState::PartiallyRefunded;
}

RefundDecision decideRefund(const RefundPolicy& policy, const Return& ret,
                            const std::vector<Inspection>& inspections, const TriggerChoice& trigger,
                            ReturnState state)
{
    RefundDecision decision;
    decision.trigger = trigger;
    decision.currency = policy.currency;
    const bool graded = state == ReturnState::Inspected;
    for (const ReturnLine& line : ret.lines) {
        const std::int64_t unit = unitCents(ret, line);
        if (!graded) {
            RefundLine out{line.lineId,
                           line.sku,
                           std::nullopt,
                           unit * line.quantity,
                           unit * line.quantity,
                           trigger.rule,
                           std::string(trigger.keepItem ? "kept by the customer, " : "") + "refunded on " +
                               std::string(toString(trigger.trigger)) + " before inspection"};
            decision.lines.push_back(std::move(out));
            continue;
        }
        std::int64_t counted = 0;
        for (const Inspection& inspection : inspections) {
            if (inspection.lineId != line.lineId || counted >= line.quantity) {
                continue;
            }
            ++counted;
            RefundLine out{line.lineId, line.sku, inspection.inspectionId, unit, unit, "(default)", ""};
            const AmountRule* rule = nullptr;
            for (const AmountRule& candidate : policy.amounts) {
                if (amountMatches(candidate, inspection)) {
                    rule = &candidate;
                    break;
                }
            }
            if (rule != nullptr) {
                out.rule = rule->source;
                if (rule->refund == RefundKind::None) {
                    out.amountCents = 0;
                } else if (rule->refund == RefundKind::Fee) {
                    out.amountCents = unit - static_cast<std::int64_t>(std::llround(
                                                 static_cast<double>(unit) * rule->feePercent / 100.0));
                }
            }
            out.basis = "grade " + inspection.grade + ", " + inspection.dispositionCode +
                        (inspection.weightResult == "mismatch" ? ", weight mismatch" : "");
            decision.lines.push_back(std::move(out));
        }
        for (; counted < line.quantity; ++counted) {
            decision.lines.push_back(RefundLine{line.lineId, line.sku, std::nullopt, 0, unit, "(missing)",
                                                "not found in the parcel"});
        }
    }
    for (const RefundLine& line : decision.lines) {
        decision.amountCents += line.amountCents;
        decision.fullCents += line.fullCents;
    }
    return decision;
}

} // namespace retour::central
