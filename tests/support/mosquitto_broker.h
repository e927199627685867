#pragma once

#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::test {

// A real mosquitto for one test: the project's own config/broker/mosquitto.conf and
// config/broker/acl, with only the test's differences (a free loopback port, `user root` when
// the tests run as root (docs/protocols/mqtt-broker.md), a temporary persistence folder and password file,
// logs to a file). Users are added with config/broker/add-station: "central" always, plus the given stations;
// each one's password is passwordFor(name).
//
// The constructor returns once the port accepts connections; set-up failures throw
// std::runtime_error carrying the broker's log. The destructor kills the broker.
// Thread contract: thread-compatible (one test thread drives it).
class MosquittoBroker
{
public:
    // Both programs were found at configure time (MOSQUITTO_BROKER, MOSQUITTO_PASSWD); tests
    // GTEST_SKIP otherwise.
    static bool available();

    explicit MosquittoBroker(std::vector<std::string> stations = {});
    ~MosquittoBroker();
    MosquittoBroker(const MosquittoBroker&) = delete;
    MosquittoBroker& operator=(const MosquittoBroker&) = delete;

    std::string host() const { return "127.0.0.1"; }
    int port() const { return port_; }
    static std::string passwordFor(std::string_view user) { return "pw-" + std::string(user); }

    // Add a user to the password file; a running broker reloads it (SIGHUP) before this returns.
    void addUser(const std::string& name);

    // Clean shutdown (SIGTERM): the broker writes its persistence file. Waits for the exit.
    void stop();
    // Crash (SIGKILL): nothing is saved beyond the last autosave.
    void kill();
    // Start again on the same port with the same persistence, users and config.
    void restart();
    bool running();

    std::string log() const;
    const std::filesystem::path& directory() const { return dir_.path(); }
    const std::filesystem::path& configPath() const { return config_; }

private:
    void writeConfig();
    void start();

    TempDir dir_{"retour-broker"};
    int port_ = 0;
    std::filesystem::path config_, passwordFile_, logFile_;
    std::optional<ChildProcess> process_;
};

} // namespace retour::test
