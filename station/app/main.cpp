// retour-station: the returns inspection bench program (docs/architecture.md "What it is for").
#include "cli/cli.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace {

// SIGINT/SIGTERM are blocked in every thread (set before any thread starts) and read from a
// signalfd by the event loop, so a signal stops the station cleanly between two events.
int blockStopSignals()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    if (pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) {
        return -1;
    }
    return ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

} // namespace

int main(int argc, char** argv)
{
    using namespace retour::station;
    auto logger = spdlog::stderr_color_mt("retour-station");
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %v");

    CLI::App app{"retour-station: returns inspection bench (scanner, scale, camera, label printer, sync)"};
    app.require_subcommand(1);
    bool verbose = false;
    app.add_flag("-v,--verbose", verbose, "Debug logging");

    RunArgs run;
    long timeoutSeconds = 0;
    auto* runApp = app.add_subcommand("run", "Run the bench: devices, workflow, labels and sync");
    runApp->add_option("--config", run.config, "Station config file (TOML)")->required();
    runApp->add_flag(
        "--exit-when-done", run.exitWhenDone,
        "Exit 0 once the sim scenario is delivered, the bench idle, every label printed and every "
        "event acknowledged");
    runApp
        ->add_option("--timeout", timeoutSeconds,
                     "Stop after SECONDS (with --exit-when-done: exit 1, saying "
                     "what is still pending)")
        ->check(CLI::PositiveNumber);
    UiOverrides ui;
    runApp->add_option("--ui-listen", ui.listen,
                       "Serve the operator UI on HOST:PORT (port 0: any free port; overrides [ui] listen)");
    runApp->add_option("--ui-dir", ui.dir, "Folder of the operator UI's pages (overrides [ui] dir)");

    SyncArgs sync;
    long syncTimeout = 30;
    auto* syncApp = app.add_subcommand("sync", "Connect and cache the site's RMAs");
    syncApp->add_option("--config", sync.config, "Station config file (TOML)")->required();
    syncApp->add_option("--wait-rmas", sync.waitRmas, "Exit 0 once N RMAs are cached")->required();
    syncApp->add_option("--timeout", syncTimeout, "Give up after SECONDS (exit 1)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);

    std::filesystem::path reportConfig;
    bool reportJson = false;
    auto* reportApp = app.add_subcommand("report", "Parcels and inspected items in the local store");
    reportApp->add_option("--config", reportConfig, "Station config file (TOML)")->required();
    reportApp->add_flag("--json", reportJson, "JSON output");
    bool reportCounters = false;
    reportApp->add_flag("--counters", reportCounters,
                        "Only the counters of the current window (shift or day): items/hour, grades, "
                        "dispositions and flags of the bench and of each operator");

    std::filesystem::path outboxConfig;
    bool outboxJson = false;
    auto* outboxApp = app.add_subcommand("outbox", "Events waiting for central's acknowledgement");
    outboxApp->add_option("--config", outboxConfig, "Station config file (TOML)")->required();
    outboxApp->add_flag("--json", outboxJson, "JSON output");

    std::filesystem::path verifyConfig;
    bool verifyJson = false;
    auto* verifyApp = app.add_subcommand("verify-photos",
                                         "Re-hash the photo store: exit 1 if a photo is missing or changed");
    verifyApp->add_option("--config", verifyConfig, "Station config file (TOML)")->required();
    verifyApp->add_flag("--json", verifyJson, "JSON output");

    auto* operatorsApp =
        app.add_subcommand("operators", "The operators file (who signs in, by badge or PIN)");
    operatorsApp->require_subcommand(1);
    std::string pinSalt;
    auto* hashPinApp = operatorsApp->add_subcommand(
        "hash-pin", "Read a PIN on standard input; print the salt and pin_sha256 lines of an [[operator]]");
    hashPinApp->add_option(
        "--salt", pinSalt,
        "The salt (the file's salt = \"…\"); default: a fresh random salt for this operator");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::info);

    if (*runApp) {
        if (timeoutSeconds > 0) {
            run.timeout = std::chrono::seconds(timeoutSeconds);
        }
        run.signalFd = blockStopSignals();
        return runStation(run, ui);
    }
    if (*syncApp) {
        sync.timeout = std::chrono::seconds(syncTimeout);
        sync.signalFd = blockStopSignals();
        return syncRmas(sync);
    }
    if (*reportApp) {
        return reportCounters ? printCounters(reportConfig, reportJson)
                              : printReport(reportConfig, reportJson);
    }
    if (*hashPinApp) {
        return runHashPin(std::cin, std::cout, std::cerr, pinSalt);
    }
    if (*verifyApp) {
        return verifyPhotos(verifyConfig, verifyJson);
    }
    return printOutbox(outboxConfig, outboxJson);
}
