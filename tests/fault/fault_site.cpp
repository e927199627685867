#include "fault_site.h"

#include "tests/support/paths.h"
#include "tests/support/site/site_config.h"
#include "tests/support/sqlite_query.h"
#include "tests/support/wait.h"

#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace retour::test {

namespace fs = std::filesystem;

FaultSite::FaultSite()
{
    broker_ = std::make_unique<MosquittoBroker>(std::vector<std::string>{kStation, "bench-02"});
    writeCentralConfig();
    writeStationConfig(kStation);

    tap_ = std::make_unique<Wiretap>(*broker_, "fault-wiretap");

    // The station's database and schema, as the station makes them.
    ChildProcess init(ChildProcess::Options{
        {RETOUR_STATION_BIN, "outbox", "--config", (dir_ / "station/station.toml").string()},
        dir_ / "station/init.out",
        dir_ / "station/init.err",
        false,
        {}});
    const auto exit = init.wait(std::chrono::seconds(30));
    if (!exit || exit->code != 0) {
        throw std::runtime_error("retour-station outbox failed: " + readFile(dir_ / "station/init.err"));
    }
}

FaultSite::~FaultSite()
{
    // RETOUR_FAULT_VERBOSE=DIR keeps the logs of the last site there for diagnosis.
    if (const char* keep = std::getenv("RETOUR_FAULT_VERBOSE"); keep != nullptr && *keep != '\0') {
        std::error_code ignored;
        fs::create_directories(keep, ignored);
        for (const char* log : {"station/station.log", "central/central.log"}) {
            fs::copy_file(dir_ / log, fs::path(keep) / fs::path(log).filename(),
                          fs::copy_options::overwrite_existing, ignored);
        }
    }
}

void FaultSite::writeCentralConfig()
{
    CentralConfig config;
    config.site = kSite;
    config.brokerPort = broker_->port();
    config.rmas = fixtures::path("rmas/none.toml").string();
    writeFile(dir_ / "central/central.toml", config.toml());
}

void FaultSite::writeStationConfig(const std::string& brokerUser)
{
    StationConfig config;
    config.site = kSite;
    config.id = kStation;
    config.brokerPort = broker_->port();
    config.brokerUser = brokerUser;
    config.printer = simPrinter(dir_ / "station/labels");
    writeFile(dir_ / "station/station.toml", config.toml());
}

void FaultSite::startCentral()
{
    central_.emplace(ChildProcess::Options{
        {RETOUR_CENTRAL_BIN, "run", "--config", (dir_ / "central/central.toml").string()},
        dir_ / "central/central.out",
        dir_ / "central/central.log",
        true,
        {}});
}

void FaultSite::killCentral(int signal)
{
    if (central_) {
        central_->kill(signal);
        central_->wait(std::chrono::seconds(20));
        central_.reset();
    }
}

bool FaultSite::centralRunning()
{
    return central_ && central_->running();
}

void FaultSite::startStation(std::chrono::seconds timeout, const std::string& brokerUser)
{
    writeStationConfig(brokerUser);
    std::vector<std::string> argv{RETOUR_STATION_BIN,
                                  "run",
                                  "--config",
                                  (dir_ / "station/station.toml").string(),
                                  "--exit-when-done",
                                  "--timeout",
                                  std::to_string(timeout.count())};
    if (std::getenv("RETOUR_FAULT_VERBOSE") != nullptr) {
        argv.insert(argv.begin() + 1, "--verbose");
    }
    station_.emplace(
        ChildProcess::Options{argv, dir_ / "station/station.out", dir_ / "station/station.log", true, {}});
}

void FaultSite::killStation(int signal)
{
    if (station_) {
        station_->kill(signal);
        station_->wait(std::chrono::seconds(20));
    }
}

std::optional<ChildProcess::Exit> FaultSite::waitStation(std::chrono::seconds timeout)
{
    if (!station_) {
        return std::nullopt;
    }
    return station_->wait(timeout);
}

std::string FaultSite::stationLog() const
{
    return readFile(dir_ / "station/station.log");
}

std::string FaultSite::centralLog() const
{
    return readFile(dir_ / "central/central.log");
}

FaultSite::Appended FaultSite::append(int count, int maxPages)
{
    static int runs = 0;
    const std::string n = std::to_string(++runs);
    std::vector<std::string> args{RETOUR_OUTBOX_TOOL, stationDatabase().string(), kSite, kStation,
                                  std::to_string(count)};
    if (maxPages > 0) {
        args.push_back(std::to_string(maxPages));
    }
    ChildProcess tool(ChildProcess::Options{
        args, dir_ / ("append-" + n + ".out"), dir_ / ("append-" + n + ".err"), false, {}});
    Appended result;
    const auto exit = tool.wait(std::chrono::seconds(120));
    result.status = exit ? exit->code : -1;
    result.error = readFile(dir_ / ("append-" + n + ".err"));
    std::istringstream lines(readFile(dir_ / ("append-" + n + ".out")));
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty()) {
            result.ids.push_back(line);
        }
    }
    return result;
}

std::int64_t FaultSite::stationDomainRows()
{
    const std::string rows = queryValue(stationDatabase(), "SELECT count(*) FROM fault_items");
    return rows.empty() ? -1 : std::stoll(rows);
}

FaultSite::Held FaultSite::centralHeld()
{
    Held held;
    const auto rows =
        tryQueryRows(dir_ / "central/central.db",
                     std::string("SELECT event_id FROM events WHERE station = '") + kStation + "'");
    for (const auto& row : rows.value_or(Rows{})) {
        held.ids.insert(row.front());
        ++held.rows;
    }
    return held;
}

nlohmann::json FaultSite::stationOutbox()
{
    ChildProcess tool(ChildProcess::Options{
        {RETOUR_STATION_BIN, "outbox", "--config", (dir_ / "station/station.toml").string(), "--json"},
        dir_ / "outbox.out",
        dir_ / "outbox.err",
        false,
        {}});
    const auto exit = tool.wait(std::chrono::seconds(30));
    if (!exit || exit->code != 0) {
        return nullptr;
    }
    return nlohmann::json::parse(readFile(dir_ / "outbox.out"), nullptr, false);
}

std::vector<std::pair<std::string, std::string>> FaultSite::wiretap()
{
    return tap_->messages();
}

} // namespace retour::test
