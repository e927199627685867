#include "retour/base/toml.h"
#include "retour/drivers/sim.h"
#include "sim/sim_devices.h"

#include <cerrno>
#include <cmath>
#include <fstream>
#include <sstream>

// Scenario files for the sim devices (format: sim.h). Every error names file:line:column.

namespace retour::drivers {

namespace {

Error scenarioError(const std::filesystem::path& file, const toml::source_region& where,
                    const std::string& what)
{
    return Error{ErrorCode::Protocol, base::TomlReader(file).at(where, what).format()};
}

Result<SimStep> parseStep(const std::filesystem::path& file, const toml::table& step, bool& noteOnly)
{
    SimStep out{};
    out.line = static_cast<int>(step.source().begin.line);
    noteOnly = false;
    std::vector<std::string> actions;
    const toml::node* symbology = nullptr;
    const toml::key* symbologyKey = nullptr;

    for (const auto& [key, value] : step) {
        const std::string name(key.str());
        if (name == "scan") {
            const auto* text = value.as_string();
            if (text == nullptr || text->get().empty()) {
                return std::unexpected(
                    scenarioError(file, value.source(), "scan must be a non-empty string"));
            }
            out.target = SimStep::Target::Scanner;
            out.scanText = text->get();
            actions.push_back(name);
        } else if (name == "weigh") {
            const auto grams = value.value<double>();
            if (!(value.is_integer() || value.is_floating_point()) || !grams || !std::isfinite(*grams) ||
                *grams < 0) {
                return std::unexpected(scenarioError(
                    file, value.source(), "weigh must be a number of grams >= 0, e.g. weigh = 512.0"));
            }
            out.target = SimStep::Target::Scale;
            out.grams = *grams;
            actions.push_back(name);
        } else if (name == "clear") {
            const auto* flag = value.as_boolean();
            if (flag == nullptr || !flag->get()) {
                return std::unexpected(
                    scenarioError(file, value.source(), "clear must be true (clear = true)"));
            }
            out.target = SimStep::Target::Scale;
            out.grams = 0;
            out.clear = true;
            actions.push_back(name);
        } else if (name == "printer") {
            const auto* state = value.as_string();
            if (state == nullptr || !detail::simPrinterState(state->get())) {
                return std::unexpected(scenarioError(
                    file, value.source(),
                    "printer must be one of \"ready\", \"paper-out\", \"head-open\", \"paused\" or "
                    "\"ribbon-out\""));
            }
            out.target = SimStep::Target::Printer;
            out.printerState = state->get();
            actions.push_back(name);
        } else if (name == "symbology") {
            const auto* text = value.as_string();
            if (text == nullptr) {
                return std::unexpected(scenarioError(file, value.source(), "symbology must be a string"));
            }
            out.symbology = text->get();
            symbology = &value;
            symbologyKey = &key;
        } else if (name == "note") {
            if (!value.is_string()) {
                return std::unexpected(scenarioError(file, value.source(), "note must be a string"));
            }
        } else {
            return std::unexpected(
                scenarioError(file, key.source(),
                              "unknown key '" + name +
                                  "' in [[step]] (use scan, symbology, weigh, clear, printer or note)"));
        }
    }
    if (actions.size() > 1) {
        return std::unexpected(scenarioError(file, step.source(),
                                             "a step does exactly one thing, this one has " + actions[0] +
                                                 " and " + actions[1] +
                                                 ": split it into two [[step]] tables"));
    }
    if (symbology != nullptr && (actions.empty() || actions[0] != "scan")) {
        return std::unexpected(
            scenarioError(file, symbologyKey->source(), "symbology belongs to a scan step (scan = \"…\")"));
    }
    if (actions.empty()) {
        if (step.contains("note")) {
            noteOnly = true;
            return out;
        }
        return std::unexpected(
            scenarioError(file, step.source(), "empty step: give one of scan, weigh, clear or printer"));
    }
    return out;
}

} // namespace

Result<SimScenario> loadSimScenario(const std::filesystem::path& file)
{
    errno = 0;
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        const int err = errno != 0 ? errno : ENOENT;
        return std::unexpected(errnoError(err, "sim scenario " + file.string() + ": cannot open"));
    }
    std::ostringstream content;
    content << in.rdbuf();

    auto parsed = base::TomlReader(file).parseText(content.str());
    if (!parsed) {
        return std::unexpected(Error{ErrorCode::Protocol, parsed.error().format()});
    }
    const toml::table& root = *parsed;

    SimScenario scenario;
    scenario.file = file;
    bool haveSteps = false;
    for (const auto& [key, value] : root) {
        const std::string name(key.str());
        if (name == "step_delay_ms") {
            const auto* ms = value.as_integer();
            if (ms == nullptr || ms->get() < 0 || ms->get() > 3'600'000) {
                return std::unexpected(scenarioError(file, value.source(),
                                                     "step_delay_ms must be an integer from 0 to 3600000"));
            }
            scenario.stepDelay = std::chrono::milliseconds(ms->get());
        } else if (name == "step") {
            const auto* steps = value.as_array();
            if (steps == nullptr || !steps->is_array_of_tables()) {
                return std::unexpected(
                    scenarioError(file, value.source(), "step must be an array of tables: write [[step]]"));
            }
            haveSteps = true;
            for (const auto& node : *steps) {
                bool noteOnly = false;
                auto step = parseStep(file, *node.as_table(), noteOnly);
                if (!step) {
                    return std::unexpected(step.error());
                }
                if (!noteOnly) {
                    scenario.steps.push_back(std::move(*step));
                }
            }
        } else {
            return std::unexpected(scenarioError(
                file, key.source(), "unknown key '" + name + "' (use step_delay_ms and [[step]])"));
        }
    }
    if (!haveSteps) {
        return std::unexpected(Error{ErrorCode::Protocol, file.string() +
                                                              ":1:1: no [[step]] tables: the scenario "
                                                              "does nothing"});
    }
    return scenario;
}

} // namespace retour::drivers
