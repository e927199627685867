#include "bench_fixture.h"

#include "tests/support/wait.h"

#include <fstream>
#include <set>
#include <sqlite3.h>
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

BenchFixture::BenchFixture(std::string rmasToml, std::string scenarioToml)
{
    writeText(dir_ / "central/rmas.toml", rmasToml);
    writeText(dir_ / "station/scenario.toml", scenarioToml);
    fs::create_directories(dir_ / "station/frames");
    fs::create_directories(dir_ / "station/labels");
    for (int i = 1; i <= 3; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "frame_%03d.png", i);
        const Run chart =
            runProgram(RETOUR_HWCONFIG_BIN,
                       {"test-chart", "--out", (dir_ / "station/frames" / name).string(), "--code",
                        "LPN-TEST-" + std::to_string(i), "--caption", "frame " + std::to_string(i)},
                       std::chrono::seconds(30));
        if (chart.status != 0)
            throw std::runtime_error("test-chart failed: " + chart.err);
    }
}

BenchFixture::~BenchFixture()
{
    if (tap_) {
        tap_->stop();
    }
}

void BenchFixture::startWiretap()
{
    sync::MqttOptions options;
    options.host = broker_->host();
    options.port = broker_->port();
    options.clientId = "e2e-wiretap";
    options.username = "central";
    options.password = MosquittoBroker::passwordFor("central");
    options.cleanStart = true;
    sync::MqttSession::Callbacks callbacks;
    callbacks.onMessage = [this](const std::string& topic, const std::string& payload, bool) {
        const std::lock_guard lock(tapMutex_);
        seen_.emplace_back(topic, payload);
    };
    tap_ = sync::MqttSession::create(options, callbacks).value();
    (void)tap_->subscribe("returns/#", 1);
    (void)tap_->start();
    waitUntil([this] { return tap_->connected(); }, std::chrono::seconds(10));
}

std::vector<std::pair<std::string, std::string>> BenchFixture::wiretap()
{
    const std::lock_guard lock(tapMutex_);
    return seen_;
}

std::vector<std::vector<std::string>> queryRows(const std::filesystem::path& db, const std::string& sql)
{
    sqlite3* handle = nullptr;
    if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(handle);
        throw std::runtime_error("cannot open " + db.string());
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
        const std::string message = sql + ": " + sqlite3_errmsg(handle);
        sqlite3_close(handle);
        throw std::runtime_error(message);
    }
    std::vector<std::vector<std::string>> rows;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
            const auto* text = sqlite3_column_text(stmt, i);
            row.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
        }
        rows.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(handle);
    return rows;
}

std::vector<std::pair<std::string, std::string>> BenchFixture::centralStoredEvents()
{
    std::vector<std::pair<std::string, std::string>> out;
    for (auto& row :
         queryRows(dir_ / "central/central.db", "SELECT topic, payload FROM events ORDER BY rowid")) {
        out.emplace_back(std::move(row[0]), std::move(row[1]));
    }
    return out;
}

void BenchFixture::startBroker()
{
    broker_.emplace(std::vector<std::string>{"bench-01"});
    writeCentralConfig();
    writeStationConfig(broker_->port());
}

void BenchFixture::writeCentralConfig()
{
    writeText(dir_ / "central/central.toml",
              "[central]\nsite = \"test-site\"\ndatabase = \"central.db\"\n\n[broker]\nhost = \"127.0.0.1\"\n"
              "port = " +
                  std::to_string(broker_->port()) + "\nusername = \"central\"\npassword = \"" +
                  MosquittoBroker::passwordFor("central") + "\"\n\n[seed]\nrmas = \"rmas.toml\"\n" +
                  centralExtra_);
}

void BenchFixture::writeScenario(const std::string& scenarioToml)
{
    writeText(dir_ / "station/scenario.toml", scenarioToml);
}

void BenchFixture::writeStationConfig(int brokerPort, bool devices)
{
    std::string text =
        "[station]\nsite = \"test-site\"\nid = \"bench-01\"\ndata_dir = \"data\"\noperator = \"op-1\"\n\n"
        "[broker]\nhost = \"127.0.0.1\"\nport = " +
        std::to_string(brokerPort) + "\nusername = \"bench-01\"\npassword = \"" +
        MosquittoBroker::passwordFor("bench-01") + "\"\n\n[devices]\n";
    if (devices) {
        text +=
            "scanner = \"sim:scanner?script=scenario.toml\"\nscale = \"sim:scale?script=scenario.toml\"\n";
    }
    text += "printer = \"" +
            (printer_.empty() ? "sim:printer?out=" + (dir_ / "station/labels").string() : printer_) + "\"\n";
    if (camera_) {
        text += "camera = \"file:" + (dir_ / "station/frames/frame_%03d.png").string() + "?loop=1\"\n";
    }
    text += "\n";
    text +=
        "[rules]\ndisposition = \"" + std::string(RETOUR_SOURCE_DIR) + "/config/rules/disposition.toml\"\n";
    writeText(stationConfig(), text + stationExtra_);
}

void BenchFixture::startCentral()
{
    central_.emplace(ChildProcess::Options{{RETOUR_CENTRAL_BIN, "run", "--config", centralConfig().string()},
                                           dir_ / "central/central.out",
                                           dir_ / "central/central.log",
                                           true,
                                           {}});
}

void BenchFixture::stopCentral()
{
    if (central_) {
        central_->kill(SIGTERM);
        central_->wait(std::chrono::seconds(10));
        central_.reset();
    }
}

BenchFixture::Run BenchFixture::runProgram(const std::string& binary, std::vector<std::string> args,
                                           std::chrono::seconds timeout)
{
    args.insert(args.begin(), binary);
    const int n = ++runs_;
    const fs::path out = dir_ / ("run-" + std::to_string(n) + ".out");
    const fs::path err = dir_ / ("run-" + std::to_string(n) + ".err");
    ChildProcess process(ChildProcess::Options{args, out, err, false, {}});
    const auto exit = process.wait(timeout);
    if (!exit) {
        process.kill(SIGKILL);
        process.wait(std::chrono::seconds(5));
        return {-1, readFile(out), readFile(err) + "\n(killed after the timeout)"};
    }
    return {exit->signal != 0 ? 128 + exit->signal : exit->code, readFile(out), readFile(err)};
}

BenchFixture::Run BenchFixture::station(std::vector<std::string> args, std::chrono::seconds timeout)
{
    args.insert(args.begin() + 1, {"--config", stationConfig().string()});
    return runProgram(RETOUR_STATION_BIN, std::move(args), timeout);
}

ChildProcess BenchFixture::spawnStation(std::vector<std::string> args, const fs::path& log)
{
    args.insert(args.begin() + 1, {"--config", stationConfig().string()});
    args.insert(args.begin(), RETOUR_STATION_BIN);
    return ChildProcess(ChildProcess::Options{args, log.string() + ".out", log, false, {}});
}

BenchFixture::Run BenchFixture::central(std::vector<std::string> args, std::chrono::seconds timeout)
{
    args.insert(args.begin() + 1, {"--config", centralConfig().string()});
    return runProgram(RETOUR_CENTRAL_BIN, std::move(args), timeout);
}

nlohmann::json BenchFixture::stationReport()
{
    const Run run = station({"report", "--json"});
    if (run.status != 0)
        throw std::runtime_error("retour-station report failed: " + run.err);
    return nlohmann::json::parse(run.out);
}

nlohmann::json BenchFixture::centralReturns()
{
    const Run run = central({"returns", "--json"});
    if (run.status != 0)
        throw std::runtime_error("retour-central returns failed: " + run.err);
    return nlohmann::json::parse(run.out);
}

nlohmann::json BenchFixture::centralEvents()
{
    const Run run = central({"events", "--json"});
    if (run.status != 0)
        throw std::runtime_error("retour-central events failed: " + run.err);
    return nlohmann::json::parse(run.out);
}

std::string BenchFixture::centralStoredWhatTheBrokerCarried(const std::map<std::string, int>& types)
{
    stopCentral();
    const nlohmann::json stored = centralEvents();
    std::set<std::string> storedIds;
    std::map<std::string, int> storedTypes;
    std::string problems;
    for (const auto& event : stored["events"]) {
        if (!storedIds.insert(event["event_id"].get<std::string>()).second)
            problems += "event " + event["event_id"].get<std::string>() + " stored twice; ";
        ++storedTypes[event["type"].get<std::string>()];
    }
    std::set<std::string> carried;
    for (const auto& [topic, payload] : wiretap()) {
        const auto doc = nlohmann::json::parse(payload, nullptr, false);
        if (topic.find("/bench-01/evt/") != std::string::npos && doc.is_object())
            carried.insert(doc.value("event_id", ""));
    }
    if (storedIds != carried)
        problems += std::to_string(storedIds.size()) + " event id(s) stored, " +
                    std::to_string(carried.size()) + " carried, not the same; ";
    if (storedTypes != types) {
        problems += "stored by type:";
        for (const auto& [type, n] : storedTypes)
            problems += " " + type + "=" + std::to_string(n);
        problems += "; ";
    }
    if (stored.value("dead_letters", nlohmann::json()) != 0)
        problems += "dead letters: " + stored.value("dead_letters", nlohmann::json()).dump() + "; ";
    return problems.empty() ? problems : problems + "central's events: " + stored.dump(2);
}

} // namespace retour::test
