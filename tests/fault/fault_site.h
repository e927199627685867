#pragma once

#include "tests/support/child_process.h"
#include "tests/support/mosquitto_broker.h"
#include "tests/support/site/wiretap.h"
#include "tests/support/temp_dir.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace retour::test {

// One site for the fault tests: a real mosquitto with the project's configuration, a real
// retour-central and a real retour-station (no devices: it only drains its outbox), plus a second
// writer that commits events into the station's database through the real sync::Outbox
// (fault_outbox_tool) and a wiretap (user central, returns/#) that keeps every message on the
// broker for the contract check.
//
// Thread contract: one test thread.
class FaultSite
{
public:
    static constexpr const char* kSite = "fault-site";
    static constexpr const char* kStation = "bench-01";

    FaultSite();
    ~FaultSite();

    MosquittoBroker& broker() { return *broker_; }
    const std::filesystem::path& dir() const { return dir_.path(); }
    std::filesystem::path stationDatabase() const { return dir_ / "station/data/station.db"; }

    void startCentral();
    void killCentral(int signal);
    bool centralRunning();
    // `retour-station run` draining until everything is acknowledged (exit 0) or `timeout`.
    // brokerUser: the credentials it connects with (another station's to test the ACL).
    void startStation(std::chrono::seconds timeout = std::chrono::seconds(50),
                      const std::string& brokerUser = kStation);
    void killStation(int signal);
    // Waits for the station's exit; nullopt when still running after `timeout`.
    std::optional<ChildProcess::Exit> waitStation(std::chrono::seconds timeout);
    std::string stationLog() const;
    std::string centralLog() const;

    // Commit `count` events at the station (each with a domain row, in one transaction); returns
    // the ids committed, in order. maxPages > 0 limits the database file (SQLITE_FULL).
    struct Appended
    {
        std::vector<std::string> ids;
        int status = 0;
        std::string error;
    };
    Appended append(int count, int maxPages = 0);
    // Rows of the domain table the events were committed with.
    std::int64_t stationDomainRows();

    // What central holds for the station: every event id, and how many rows (a duplicate would
    // make rows > ids.size()).
    struct Held
    {
        std::set<std::string> ids;
        std::int64_t rows = 0;
    };
    Held centralHeld();
    nlohmann::json stationOutbox(); // `retour-station outbox --json`

    // Every message the wiretap saw, for validateMessages.
    std::vector<std::pair<std::string, std::string>> wiretap();

private:
    void writeStationConfig(const std::string& brokerUser);
    void writeCentralConfig();

    TempDir dir_{"retour-fault"};
    std::unique_ptr<MosquittoBroker> broker_;
    std::optional<ChildProcess> central_;
    std::optional<ChildProcess> station_;
    std::unique_ptr<Wiretap> tap_;
};

} // namespace retour::test
