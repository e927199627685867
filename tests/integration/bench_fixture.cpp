#include "bench_fixture.h"

#include "tests/support/site/site_config.h"
#include "tests/support/sqlite_query.h"
#include "tests/support/wait.h"

#include <set>
#include <stdexcept>

namespace retour::test {

namespace fs = std::filesystem;

std::string withRepeatedConfirms(std::string scenario, int confirms)
{
    for (int i = 0; i < confirms; ++i)
        scenario += "[[step]]\nscan = \"CMD:CONFIRM\"\n";
    return scenario + "[[step]]\nclear = true\n[[step]]\nscan = \"CMD:CLOSE\"\n";
}

BenchFixture::BenchFixture(std::string rmasToml, std::string scenarioToml)
{
    writeFile(dir_ / "central/rmas.toml", rmasToml);
    writeFile(dir_ / "station/scenario.toml", scenarioToml);
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

void BenchFixture::startWiretap()
{
    tap_.emplace(*broker_, "e2e-wiretap");
    waitUntil([this] { return tap_->connected(); }, std::chrono::seconds(10));
}

std::vector<std::pair<std::string, std::string>> BenchFixture::wiretap()
{
    return tap_ ? tap_->messages() : std::vector<std::pair<std::string, std::string>>{};
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
    CentralConfig config;
    config.brokerPort = broker_->port();
    config.extra = centralExtra_;
    writeFile(centralConfig(), config.toml());
}

void BenchFixture::writeScenario(const std::string& scenarioToml)
{
    writeFile(dir_ / "station/scenario.toml", scenarioToml);
}

void BenchFixture::writeStationConfig(int brokerPort, bool devices)
{
    StationConfig config;
    config.brokerPort = brokerPort;
    if (devices) {
        config.scanner = simScanner();
        config.scale = simScale();
    }
    config.printer = printer_.empty() ? simPrinter(dir_ / "station/labels") : printer_;
    if (camera_) {
        config.camera = fileCamera(dir_ / "station/frames/frame_%03d.png");
    }
    config.extra = stationExtra_;
    writeFile(stationConfig(), config.toml());
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
