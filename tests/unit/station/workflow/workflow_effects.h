#pragma once

// The workflow tests' bench (rules, settings, ids and time) and picking effects out of the
// workflow's answer.
#include "workflow/workflow.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace retour::station::testing {

inline const std::filesystem::path kRulesDir = std::filesystem::path(RETOUR_SOURCE_DIR) / "config/rules";

// config/rules/disposition.toml, with config/rules/checklists.toml when asked; null (and the test
// failed) when either does not load.
inline std::shared_ptr<const RuleSet> demoRules(bool withChecklists = false)
{
    auto rules = loadRules(kRulesDir / "disposition.toml");
    EXPECT_TRUE(rules.has_value()) << rules.error().message;
    if (!rules) {
        return nullptr;
    }
    if (withChecklists) {
        auto checklists = loadChecklists(kRulesDir / "checklists.toml");
        EXPECT_TRUE(checklists.has_value()) << checklists.error().message;
        if (!checklists) {
            return nullptr;
        }
        rules->checklists = std::move(*checklists);
    }
    return std::make_shared<const RuleSet>(std::move(*rules));
}

// Bench bench-01, operator op-17.
inline WorkflowSettings benchSettings()
{
    WorkflowSettings settings;
    settings.stationId = "bench-01";
    settings.operatorId = "op-17";
    return settings;
}

// Ids id-1, id-2, … counted in `ids`; one fixed time.
inline WorkflowServices testServices(int& ids)
{
    return WorkflowServices{[&ids] { return "id-" + std::to_string(++ids); },
                            [] { return std::string("2026-11-26T11:29:56.123Z"); }};
}

// Every command of type T in the answer, in order.
template <class T> std::vector<T> all(const std::vector<Effect>& commands)
{
    std::vector<T> found;
    for (const auto& command : commands) {
        if (const auto* c = std::get_if<T>(&command)) {
            found.push_back(*c);
        }
    }
    return found;
}

// True when an operator message of the answer contains `text`.
inline bool said(const std::vector<Effect>& commands, std::string_view text)
{
    for (const auto& message : all<OperatorMessage>(commands)) {
        if (message.text.find(text) != std::string::npos) {
            return true;
        }
    }
    return false;
}

} // namespace retour::station::testing
