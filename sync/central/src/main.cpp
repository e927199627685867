// retour-central: the central returns service (DESIGN.md "central returns service").
//   run      hold the ledger, ingest station events, publish RMAs
//   returns  print the ledger (read-only; works while `run` runs)
//   events   print the station events held and the dead-letter count (read-only)
#include "retour/central/config.h"
#include "retour/central/ledger.h"
#include "retour/central/report.h"
#include "retour/central/seed.h"
#include "retour/central/service.h"
#include "retour/central/signals.h"
#include "retour/central/store.h"
#include "retour/sync/message.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace {

using namespace retour::central;

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2; // bad command line, config or seed file

int reportSourceError(const SourceError& error)
{
    std::cerr << "retour-central: " << error.format() << '\n';
    return kExitUsage;
}

int reportError(const Error& error)
{
    std::cerr << "retour-central: " << error.message << '\n';
    return kExitFailure;
}

int runCommand(const std::string& configPath)
{
    auto config = loadConfig(configPath);
    if (!config) {
        return reportSourceError(config.error());
    }
    std::vector<Return> seed;
    if (config->seedRmas) {
        auto loaded = loadSeed(*config->seedRmas);
        if (!loaded) {
            return reportSourceError(loaded.error());
        }
        seed = std::move(*loaded);
    }

    auto store = openSqliteStore(config->database, OpenMode::ReadWrite);
    if (!store) {
        return reportError(store.error());
    }
    spdlog::info("ledger {} (schema version {})", config->database.string(), latestSchemaVersion());
    Ledger ledger(**store);
    if (config->seedRmas) {
        const std::string at = retour::sync::formatTimestamp(std::chrono::system_clock::now());
        auto outcome = applySeed(**store, ledger, seed, config->seedRmas->filename().string(), at);
        if (!outcome) {
            return reportError(outcome.error());
        }
        spdlog::info("seed {}: {} RMA(s) authorised, {} already in the ledger", config->seedRmas->string(),
                     outcome->added, outcome->existing);
    }

    Service service(*config, **store);
    // Before the session's network thread exists, so that it inherits the blocked signals. A
    // signal before this point ends the process the default way; every write so far is one
    // SQLite transaction, so nothing is left half-done.
    const SignalWatcher signals(
        [&service](int signal) { service.requestStop(signal == SIGINT ? "SIGINT" : "SIGTERM"); });
    auto result = service.run();
    if (!result) {
        return reportError(result.error());
    }
    return 0;
}

int returnsCommand(const std::string& configPath, bool json)
{
    auto config = loadConfig(configPath);
    if (!config) {
        return reportSourceError(config.error());
    }
    auto store = openSqliteStore(config->database, OpenMode::ReadOnly);
    if (!store) {
        return reportError(store.error());
    }
    auto report = returnsReport(**store);
    if (!report) {
        return reportError(report.error());
    }
    std::cout << (json ? report->dump(2) + "\n" : formatReturnsTable(*report));
    return 0;
}

int eventsCommand(const std::string& configPath, const std::string& station, bool json)
{
    auto config = loadConfig(configPath);
    if (!config) {
        return reportSourceError(config.error());
    }
    auto store = openSqliteStore(config->database, OpenMode::ReadOnly);
    if (!store) {
        return reportError(store.error());
    }
    auto report = eventsReport(**store, station);
    if (!report) {
        return reportError(report.error());
    }
    std::cout << (json ? report->dump(2) + "\n" : formatEventsTable(*report));
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"retour-central: the central returns service. Holds the returns ledger, ingests the "
                 "stations' events over MQTT and publishes the expected returns (RMAs) to them."};
    app.require_subcommand(1);
    app.set_version_flag("--version", "retour-central 0.1.0");

    std::string configPath;
    std::string logLevel = "info";
    bool json = false;
    std::string station;

    auto* run =
        app.add_subcommand("run", "Run the service: seed the ledger, connect to the broker, ingest events");
    run->add_option("-c,--config", configPath, "Config file (TOML)")->required();
    run->add_option("--log-level", logLevel, "trace, debug, info, warn or error")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));

    auto* returns = app.add_subcommand("returns", "Print every return of the ledger (read-only)");
    returns->add_option("-c,--config", configPath, "Config file (TOML)")->required();
    returns->add_flag("--json", json, "JSON output");

    auto* events = app.add_subcommand("events", "Print the station events held and the dead-letter count");
    events->add_option("-c,--config", configPath, "Config file (TOML)")->required();
    events->add_option("--station", station, "Only this station's events");
    events->add_flag("--json", json, "JSON output");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int code = app.exit(error);
        return code == 0 ? 0 : kExitUsage;
    }

    auto logger = spdlog::stderr_color_mt("retour-central");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::from_str(logLevel));

    if (run->parsed()) {
        return runCommand(configPath);
    }
    if (returns->parsed()) {
        return returnsCommand(configPath, json);
    }
    return eventsCommand(configPath, station, json);
}
