#pragma once

// What the tests that run `retour-central run` against a real mosquitto share: a station's MQTT
// session, central's broker credentials and config, the process and the HTTP port it logs.
#include "retour/link/mqtt_session.h"
#include "tests/support/child_process.h"
#include "tests/support/mosquitto_broker.h"
#include "tests/support/temp_dir.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

namespace retour::central::test {

// A session of station `id` with its own credentials (clean start); a callback left empty is
// never called.
inline std::unique_ptr<sync::MqttSession> stationSession(const retour::test::MosquittoBroker& broker,
                                                         const std::string& id, const std::string& clientId,
                                                         const sync::MqttSession::Callbacks& callbacks)
{
    sync::MqttOptions options;
    options.host = broker.host();
    options.port = broker.port();
    options.clientId = clientId;
    options.username = id;
    options.password = retour::test::MosquittoBroker::passwordFor(id);
    options.cleanStart = true;
    return sync::MqttSession::create(options, callbacks).value();
}

// central.pw in `dir`, and the head of a central.toml using it: [central] with central.db and
// [broker] on `port` (`extraBrokerKeys` go after [broker]'s own).
inline std::string centralConfigHead(const std::filesystem::path& dir, int port,
                                     const std::string& brokerHost = "",
                                     const std::string& extraBrokerKeys = "")
{
    retour::test::writeFile(dir / "central.pw", retour::test::MosquittoBroker::passwordFor("central") + "\n");
    return "[central]\nsite = \"demo-site\"\ndatabase = \"central.db\"\n"
           "[broker]\n" +
           (brokerHost.empty() ? "" : "host = \"" + brokerHost + "\"\n") + "port = " + std::to_string(port) +
           "\nusername = \"central\"\npassword_file = \"central.pw\"\n" + extraBrokerKeys;
}

// `retour-central run --config dir/central.toml [extraArgs]`, its log appended to dir/central.log.
inline retour::test::ChildProcess::Options centralRun(const std::filesystem::path& dir,
                                                      std::vector<std::string> extraArgs = {})
{
    retour::test::ChildProcess::Options options;
    options.argv = {RETOUR_CENTRAL_EXE, "run", "--config", (dir / "central.toml").string()};
    options.argv.insert(options.argv.end(), extraArgs.begin(), extraArgs.end());
    options.stderrPath = dir / "central.log";
    options.append = true;
    return options;
}

// The HTTP port central last logged binding ([http] listen port 0), 0 when none.
inline int lastHttpPort(const std::string& log)
{
    static const std::regex listening(R"(HTTP API listening on http://127\.0\.0\.1:(\d+)/)");
    std::smatch match;
    int last = 0;
    for (auto from = log.cbegin(); std::regex_search(from, log.cend(), match, listening);
         from = match[0].second) {
        last = std::stoi(match[1]);
    }
    return last;
}

// A JSON-lines file, one document a non-empty line.
inline std::vector<nlohmann::json> readJsonLines(const std::filesystem::path& path)
{
    std::vector<nlohmann::json> out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty()) {
            out.push_back(nlohmann::json::parse(line, nullptr, false));
        }
    }
    return out;
}

} // namespace retour::central::test
