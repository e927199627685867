#pragma once

#include <chrono>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

namespace retour::station {

// The subcommands of retour-station. Each returns the process exit status: 0 success, 1 failure
// or timeout, 2 bad configuration (the message "retour-station: FILE:LINE:COL: …" is on stderr).

struct RunArgs
{
    std::filesystem::path config;
    bool exitWhenDone = false;
    std::optional<std::chrono::seconds> timeout;
    int signalFd = -1;
};
// The operator UI from the command line: overrides [ui] listen ("HOST:PORT", port 0 = any free
// port) and [ui] dir, and turns the UI on without a [ui] table.
struct UiOverrides
{
    std::optional<std::string> listen;
    std::optional<std::filesystem::path> dir;
};
int runStation(const RunArgs& command, const UiOverrides& ui = {});

struct SyncArgs
{
    std::filesystem::path config;
    long waitRmas = 0;
    std::chrono::seconds timeout{30};
    int signalFd = -1;
};
int syncRmas(const SyncArgs& command);

int printReport(const std::filesystem::path& config, bool json);
// The counters of the current window for the bench and each operator (counters.h); JSON as in the
// status document's "counters".
int printCounters(const std::filesystem::path& config, bool json);
int printOutbox(const std::filesystem::path& config, bool json);
// Re-hash every stored photo; exit 1 when any is missing or changed (verify_photos.cpp).
int verifyPhotos(const std::filesystem::path& config, bool json);

// `retour-station operators hash-pin`: reads a PIN (one line) from `in` and prints the salt and
// pin_sha256 lines of an [[operator]] of the operators file (operators.h). An empty salt: a fresh
// random one. Exit 0, or 2 when the PIN cannot be typed at the bench ([A-Za-z0-9_-]{1,40}).
int runHashPin(std::istream& in, std::ostream& out, std::ostream& err, const std::string& salt);

} // namespace retour::station
