#include "fault_site.h"

#include "tests/support/wait.h"

#include <cstdlib>
#include <fstream>
#include <sqlite3.h>
#include <sstream>
#include <stdexcept>

namespace retour::test {

namespace fs = std::filesystem;

namespace {

void writeText(const fs::path& path, const std::string& text)
{
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

} // namespace

FaultSite::FaultSite()
{
    broker_ = std::make_unique<MosquittoBroker>(std::vector<std::string>{kStation, "bench-02"});
    writeCentralConfig();
    writeStationConfig(kStation);
    writeText(dir_ / "central/rmas.toml", "# no RMAs: the fault tests send label.printed events\n");

    sync::MqttOptions options;
    options.host = broker_->host();
    options.port = broker_->port();
    options.clientId = "fault-wiretap";
    options.username = "central";
    options.password = MosquittoBroker::passwordFor("central");
    options.cleanStart = true;
    options.reconnectMin = std::chrono::milliseconds(100);
    options.reconnectMax = std::chrono::milliseconds(500);
    sync::MqttSession::Callbacks callbacks;
    callbacks.onMessage = [this](const std::string& topic, const std::string& payload, bool) {
        const std::lock_guard lock(mutex_);
        seen_.emplace_back(topic, payload);
    };
    tap_ = sync::MqttSession::create(options, callbacks).value();
    (void)tap_->subscribe("returns/#", 1);
    (void)tap_->start();

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
    tap_->stop();
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
    writeText(dir_ / "central/central.toml",
              std::string("[central]\nsite = \"") + kSite +
                  "\"\ndatabase = \"central.db\"\n\n[broker]\nhost = \"127.0.0.1\"\nport = " +
                  std::to_string(broker_->port()) + "\nusername = \"central\"\npassword = \"" +
                  MosquittoBroker::passwordFor("central") + "\"\n\n[seed]\nrmas = \"rmas.toml\"\n");
}

void FaultSite::writeStationConfig(const std::string& brokerUser)
{
    writeText(dir_ / "station/station.toml",
              std::string("[station]\nsite = \"") + kSite + "\"\nid = \"" + kStation +
                  "\"\ndata_dir = \"data\"\noperator = \"op-1\"\n\n[broker]\nhost = \"127.0.0.1\"\nport = " +
                  std::to_string(broker_->port()) + "\nusername = \"" + brokerUser + "\"\npassword = \"" +
                  MosquittoBroker::passwordFor(brokerUser) + "\"\n\n[devices]\nprinter = \"sim:printer?out=" +
                  (dir_ / "station/labels").string() + "\"\n\n[rules]\ndisposition = \"" + RETOUR_SOURCE_DIR +
                  "/config/rules/disposition.toml\"\n");
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

namespace {

std::int64_t scalar(const fs::path& db, const std::string& sql)
{
    sqlite3* handle = nullptr;
    std::int64_t value = -1;
    if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(handle, 5000);
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
            sqlite3_step(stmt) == SQLITE_ROW) {
            value = sqlite3_column_int64(stmt, 0);
        }
        sqlite3_finalize(stmt);
    }
    sqlite3_close(handle);
    return value;
}

} // namespace

std::int64_t FaultSite::stationDomainRows()
{
    return scalar(stationDatabase(), "SELECT count(*) FROM fault_items");
}

FaultSite::Held FaultSite::centralHeld()
{
    Held held;
    const fs::path db = dir_ / "central/central.db";
    sqlite3* handle = nullptr;
    if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(handle, 5000);
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(handle, "SELECT event_id FROM events WHERE station = ?", -1, &stmt, nullptr) ==
            SQLITE_OK) {
            sqlite3_bind_text(stmt, 1, kStation, -1, SQLITE_STATIC);
            while (sqlite3_step(stmt) == SQLITE_ROW) {
                held.ids.insert(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
                ++held.rows;
            }
        }
        sqlite3_finalize(stmt);
    }
    sqlite3_close(handle);
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
    const std::lock_guard lock(mutex_);
    return seen_;
}

} // namespace retour::test
