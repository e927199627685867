#pragma once

#include <filesystem>
#include <string>

namespace retour::test {

// The configuration files of one site as the process tests write them: a station (bench) and
// central on a MosquittoBroker, each with its broker account (MosquittoBroker::passwordFor) and the
// repository's rules. Only what the tests vary is a field.

struct StationConfig
{
    std::string site = "test-site";
    std::string id = "bench-01";
    std::string operatorId = "op-1";
    std::filesystem::path operators; // [station] operators; none when empty
    int brokerPort = 0;              // no [broker] table when 0 (a bench that works alone)
    std::string brokerUser;          // the station's own account (id) when empty
    // [devices]: each URI left out when empty.
    std::string scanner;
    std::string scale;
    std::string printer;
    std::string camera;
    bool checklists = false; // [rules] checklists = config/rules/checklists.toml
    std::string uiListen;    // [ui] listen; no [ui] table when empty
    std::string extra;       // TOML appended as it is (e.g. an [outbox] table)

    std::string toml() const;
};

struct CentralConfig
{
    std::string site = "test-site";
    int brokerPort = 0;
    std::string rmas = "rmas.toml"; // [seed] rmas, relative to the configuration file
    std::string extra;              // TOML appended as it is (e.g. [http], [returns.refunds])

    std::string toml() const;
};

// The simulated scanner and scale both reading `script` (a scenario relative to the station's
// configuration file, drivers/include/retour/drivers/sim.h).
std::string simScanner(const std::string& script = "scenario.toml");
std::string simScale(const std::string& script = "scenario.toml");
// The sim printer writing each job to a file in `dir`.
std::string simPrinter(const std::filesystem::path& dir);
// An image-sequence camera looping over `pattern` (printf-style, e.g. frame_%03d.png).
std::string fileCamera(const std::filesystem::path& pattern);

} // namespace retour::test
