#pragma once

// Picking the workflow's commands out of its answer, for the workflow tests.
#include "workflow/workflow.h"

#include <string_view>
#include <variant>
#include <vector>

namespace retour::station::testing {

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
