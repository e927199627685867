#pragma once

#include "tests/support/child_process.h"
#include "tests/support/mosquitto_broker.h"
#include "tests/support/temp_dir.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace retour::test {

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

    // Run a program to completion; returns its exit status, stdout and stderr.
    struct Run
    {
        int status;
        std::string out;
        std::string err;
    };
    Run station(std::vector<std::string> args, std::chrono::seconds timeout = std::chrono::seconds(120));
    Run central(std::vector<std::string> args, std::chrono::seconds timeout = std::chrono::seconds(30));

    nlohmann::json stationReport();
    nlohmann::json centralReturns();
    nlohmann::json centralEvents();

private:
    Run runProgram(const std::string& binary, std::vector<std::string> args, std::chrono::seconds timeout);
    void writeCentralConfig();

    TempDir dir_{"retour-e2e"};
    std::optional<MosquittoBroker> broker_;
    std::optional<ChildProcess> central_;
    int runs_ = 0;
};

} // namespace retour::test
