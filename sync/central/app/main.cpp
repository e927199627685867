// retour-central: the central returns service (docs/architecture.md "What it is for").
//   run      hold the ledger, ingest station events, publish RMAs
//   returns  print the ledger (read-only; works while `run` runs)
//   events   print the station events held and the dead-letter count (read-only)
//   import   orders or catalogue from CSV
//   stock    export the stock movements as CSV, or print the stock levels (read-only)
//   refunds  print every refund decision and its state (read-only)
//   report   returns reports: reasons, rates, grades, dispositions, recovery, fraud, throughput
//   expire   authorised returns without a parcel after [returns] expire_after_days → expired
#include "app/config.h"
#include "app/service.h"
#include "app/signals.h"
#include "desk/desk.h"
#include "desk/orders.h"
#include "desk/seed.h"
#include "ledger/ledger.h"
#include "ledger/publisher.h"
#include "reports/commands.h"
#include "reports/listings.h"
#include "retour/contract/message.h"
#include "retour/link/mqtt_session.h"
#include "storage/storage.h"

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sstream>
#include <thread>

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

    auto storage = openStorage(config->storage(), OpenMode::ReadWrite);
    if (!storage) {
        return reportError(storage.error());
    }
    spdlog::info("ledger {} (schema version {})", config->database.string(),
                 latestSchemaVersion(config->storageBackend));
    Store& store = (*storage)->ledger();
    Ledger ledger(store);
    if (config->seedRmas) {
        const std::string at = retour::sync::formatTimestamp(std::chrono::system_clock::now());
        auto outcome = applySeed(store, ledger, seed, config->seedRmas->filename().string(), at);
        if (!outcome) {
            return reportError(outcome.error());
        }
        spdlog::info("seed {}: {} RMA(s) authorised, {} already in the ledger", config->seedRmas->string(),
                     outcome->added, outcome->existing);
    }

    Service service(*config, store);
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
    auto storage = openStorage(config->storage(), OpenMode::ReadOnly);
    if (!storage) {
        return reportError(storage.error());
    }
    auto report = returnsReport((*storage)->ledger());
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
    auto storage = openStorage(config->storage(), OpenMode::ReadOnly);
    if (!storage) {
        return reportError(storage.error());
    }
    auto report = eventsReport((*storage)->ledger(), station);
    if (!report) {
        return reportError(report.error());
    }
    std::cout << (json ? report->dump(2) + "\n" : formatEventsTable(*report));
    return 0;
}

// `import orders|catalogue FILE.csv`: every bad row is printed (FILE:LINE:COL) and nothing is
// imported; otherwise all rows in one transaction.
// The returns desk over the ledger's file for a one-shot command (no rules: it decides nothing,
// and publishes nothing itself).
struct OfflineDesk
{
    std::unique_ptr<Storage> storage;
    std::unique_ptr<Ledger> ledger;
    std::unique_ptr<RuleBook> rules;
    std::unique_ptr<Desk> desk;

    static Result<std::unique_ptr<OfflineDesk>> open(const Config& config)
    {
        auto out = std::make_unique<OfflineDesk>();
        auto storage = openStorage(config.storage(), OpenMode::ReadWrite);
        if (!storage) {
            return std::unexpected(storage.error());
        }
        out->storage = std::move(*storage);
        out->ledger = std::make_unique<Ledger>(out->storage->ledger());
        out->rules = std::make_unique<RuleBook>(config.file, RuleSet{});
        out->desk = std::make_unique<Desk>(out->storage->ledger(), out->storage->orders(), *out->ledger,
                                           *out->rules, Desk::Options{});
        return out;
    }
};

// The stations drop what expired: an empty retained RMA each, through a short MQTT session (the
// running service does the same in its own expiry pass). Best effort: a broker that cannot be
// reached within the timeout is reported, the ledger has moved either way.
bool publishRemovals(const Config& config, const std::vector<Return>& expired)
{
    if (expired.empty()) {
        return true;
    }
    retour::sync::MqttOptions options = mqttOptions(config.broker);
    options.clientId += "-expire";
    options.cleanStart = true;
    std::atomic<int> acknowledged = 0;
    retour::sync::MqttSession::Callbacks callbacks;
    callbacks.onConnection = [](bool, const std::string&) {};
    callbacks.onPublished = [&acknowledged](int, bool ok, int) { acknowledged += ok ? 1 : 0; };
    callbacks.onMessage = [](const std::string&, const std::string&, bool) {};
    auto session = retour::sync::MqttSession::create(std::move(options), std::move(callbacks));
    if (!session || !(*session)->start()) {
        std::cerr << "retour-central: cannot reach the broker; the stations drop the expired RMAs when "
                     "the service next publishes them\n";
        return false;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    const auto waitFor = [&](const std::function<bool()>& done) {
        while (!done() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return done();
    };
    int sent = 0;
    if (waitFor([&] { return (*session)->connected(); })) {
        Publisher publisher(
            config.site,
            [&](const std::string& topic, const std::string& payload, int qos, bool retain) -> Result<int> {
                auto id = (*session)->publish(topic, payload, qos, retain);
                if (!id) {
                    return fail(ErrorCode::Broker, id.error().message);
                }
                ++sent;
                return *id;
            });
        for (const Return& ret : expired) {
            (void)publisher.update(ret);
        }
    }
    const bool ok = sent == static_cast<int>(expired.size()) && waitFor([&] { return acknowledged >= sent; });
    (*session)->stop();
    if (!ok) {
        std::cerr << "retour-central: the broker did not take every removal; the stations keep those RMAs "
                     "until the service publishes them again\n";
    }
    return ok;
}

int expireCommand(const std::string& configPath, int days)
{
    auto config = loadConfig(configPath);
    if (!config) {
        return reportSourceError(config.error());
    }
    auto desk = OfflineDesk::open(*config);
    if (!desk) {
        return reportError(desk.error());
    }
    auto expired = (*desk)->desk->expire(days > 0 ? days : config->expireAfterDays);
    if (!expired) {
        return reportError(expired.error());
    }
    for (const Return& ret : *expired) {
        std::cout << ret.rmaId << " expired\n";
    }
    std::cout << expired->size() << " return(s) expired\n";
    return publishRemovals(*config, *expired) ? 0 : kExitFailure;
}

int importCommand(const std::string& configPath, const std::string& kind, const std::string& file)
{
    auto config = loadConfig(configPath);
    if (!config) {
        return reportSourceError(config.error());
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return reportSourceError(SourceError{file, 1, 1, "cannot read the file; check the path"});
    }
    std::ostringstream text;
    text << in.rdbuf();
    const auto printErrors = [](const SourceErrors& errors) {
        for (const SourceError& error : errors) {
            std::cerr << "retour-central: " << error.format() << '\n';
        }
        std::cerr << "retour-central: " << errors.size() << " error(s); nothing imported\n";
        return kExitUsage;
    };
    auto desk = OfflineDesk::open(*config);
    if (!desk) {
        return reportError(desk.error());
    }
    Result<std::size_t> imported = std::size_t{0};
    if (kind == "orders") {
        auto parsed = parseOrdersCsv(text.str(), file);
        if (!parsed) {
            return printErrors(parsed.error());
        }
        imported = (*desk)->desk->importOrders(*parsed);
    } else {
        auto parsed = parseCatalogueCsv(text.str(), file);
        if (!parsed) {
            return printErrors(parsed.error());
        }
        imported = (*desk)->desk->importCatalogue(*parsed);
    }
    if (!imported) {
        return reportError(imported.error());
    }
    std::cout << "imported " << *imported << (kind == "orders" ? " order(s)" : " catalogue item(s)")
              << " from " << file << '\n';
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

    std::string importKind;
    std::string importFile;
    auto* import =
        app.add_subcommand("import", "Import orders or the catalogue from a CSV file (all or nothing)");
    import->add_option("kind", importKind, "orders or catalogue")
        ->required()
        ->check(CLI::IsMember({"orders", "catalogue"}));
    import->add_option("file", importFile, "CSV file with a header row")->required();
    import->add_option("-c,--config", configPath, "Config file (TOML)")->required();

    std::string stockAction;
    std::string since;
    bool csv = false;
    auto* stock =
        app.add_subcommand("stock", "The inventory ledger: export movements as CSV, or print levels");
    stock->add_option("action", stockAction, "export or levels")
        ->required()
        ->check(CLI::IsMember({"export", "levels"}));
    stock->add_option("-c,--config", configPath, "Config file (TOML)")->required();
    stock->add_option("--since", since, "Only movements at or after this RFC 3339 time (export)");
    stock->add_flag("--json", json, "JSON output (levels)");
    auto* refunds =
        app.add_subcommand("refunds", "Print every refund decision, its state and any failure reason");
    refunds->add_option("-c,--config", configPath, "Config file (TOML)")->required();
    refunds->add_flag("--json", json, "JSON output");
    int expireDays = 0;
    auto* expire = app.add_subcommand(
        "expire", "Expire authorised returns whose parcel did not come in time; the stations drop them");
    expire->add_option("-c,--config", configPath, "Config file (TOML)")->required();
    expire
        ->add_option("--days", expireDays, "Days after authorisation (default: [returns] expire_after_days)")
        ->check(CLI::Range(1, 3650));
    auto* report = app.add_subcommand("report", "Returns reports (JSON, or CSV with --csv)");
    report->add_option("-c,--config", configPath, "Config file (TOML)")->required();
    report->add_option("--since", since, "Only what happened at or after this RFC 3339 time");
    report->add_flag("--csv", csv, "CSV output: section,key,count,value");

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
    if (expire->parsed()) {
        return expireCommand(configPath, expireDays);
    }
    if (import->parsed()) {
        return importCommand(configPath, importKind, importFile);
    }
    if (stock->parsed() || refunds->parsed() || report->parsed()) {
        auto config = loadConfig(configPath);
        if (!config) {
            return reportSourceError(config.error());
        }
        if (stock->parsed()) {
            return stockCommand(*config, stockAction, since, json);
        }
        return refunds->parsed() ? refundsCommand(*config, json) : reportCommand(*config, since, csv);
    }
    return eventsCommand(configPath, station, json);
}
