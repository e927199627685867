#pragma once

#include "tests/support/child_process.h"
#include "tests/support/mosquitto_broker.h"
#include "tests/support/site/wiretap.h"
#include "tests/support/temp_dir.h"

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace retour::test {

// `scenario` followed by `confirms` CMD:CONFIRM steps, the item taken off the scale and the parcel
// closed: an operator who confirms again and again until the station takes the confirm.
std::string withRepeatedConfirms(std::string scenario, int confirms);

// One bench and its central service, as separate processes on a real broker: writes the
// configuration files, starts and stops the programs and reads their reports.
class BenchFixture
{
public:
    explicit BenchFixture(std::string rmasToml, std::string scenarioToml);

    MosquittoBroker& broker() { return *broker_; }
    const std::filesystem::path& dir() const { return dir_.path(); }
    std::filesystem::path stationConfig() const { return dir_ / "station/station.toml"; }
    std::filesystem::path centralConfig() const { return dir_ / "central/central.toml"; }

    void startBroker();
    void startCentral();
    void stopCentral();
    // Rewrite the station's configuration, without the simulated scanner and scale when `devices`
    // is false (a second run after the scenario was played).
    void writeStationConfig(int brokerPort, bool devices = true);
    // TOML appended to the station's configuration from the next writeStationConfig() on (e.g. an
    // [outbox] table); call before startBroker().
    void setStationConfigExtra(std::string toml) { stationExtra_ = std::move(toml); }
    // TOML appended to central's configuration (e.g. [http], [returns.refunds]); call before
    // startBroker().
    void setCentralConfigExtra(std::string toml) { centralExtra_ = std::move(toml); }
    // Replace the simulated scanner and scale's script (station/scenario.toml).
    void writeScenario(const std::string& scenarioToml);
    // Without a camera the workflow takes no photos (no photo files in the data directory).
    void setStationCamera(bool camera) { camera_ = camera; }
    // The station's printer URI instead of the sim printer writing to station/labels; call before
    // startBroker().
    void setStationPrinter(std::string uri) { printer_ = std::move(uri); }

    // Run a program to completion; returns its exit status, stdout and stderr.
    struct Run
    {
        int status;
        std::string out;
        std::string err;
    };
    Run station(std::vector<std::string> args, std::chrono::seconds timeout = std::chrono::seconds(120));
    // Start the station with `args` and leave it running; its stderr (the log) goes to `log`.
    ChildProcess spawnStation(std::vector<std::string> args, const std::filesystem::path& log);
    Run central(std::vector<std::string> args, std::chrono::seconds timeout = std::chrono::seconds(30));

    // A subscriber (user central, returns/#) that keeps every message the broker carries, for the
    // contract check; call after startBroker().
    void startWiretap();
    std::vector<std::pair<std::string, std::string>> wiretap();
    // Every event central stored (topic and payload as received), read from its database.
    std::vector<std::pair<std::string, std::string>> centralStoredEvents();

    nlohmann::json stationReport();
    nlohmann::json centralReturns();
    nlohmann::json centralEvents();
    // Stops central, then compares what it stored with what the broker carried from bench-01
    // (every copy, resends included): each event stored once, the same event ids, these counts by
    // type, no dead letters. "" when so, else what differs, with central's events.
    std::string centralStoredWhatTheBrokerCarried(const std::map<std::string, int>& types);

private:
    Run runProgram(const std::string& binary, std::vector<std::string> args, std::chrono::seconds timeout);
    void writeCentralConfig();

    TempDir dir_{"retour-e2e"};
    std::optional<MosquittoBroker> broker_;
    std::optional<ChildProcess> central_;
    int runs_ = 0;
    std::string stationExtra_;
    std::string printer_;
    std::string centralExtra_;
    bool camera_ = true;
    std::optional<Wiretap> tap_;
};

} // namespace retour::test
