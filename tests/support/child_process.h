#pragma once

#include "tests/support/temp_dir.h"

#include <chrono>
#include <csignal>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace retour::test {

// A child program started with posix_spawnp, stdin from /dev/null, stdout and stderr to files.
// Killed (SIGKILL) and reaped on destruction if still running; when started from the main thread
// it is also killed if the test process dies without destructors (crash, ctest timeout), through
// setpriv --pdeathsig. Start failures throw std::runtime_error (test set-up).
// Thread contract: thread-compatible.
class ChildProcess
{
public:
    struct Options
    {
        std::vector<std::string> argv; // argv[0] is looked up in PATH unless it contains '/'
        std::filesystem::path stdoutPath = "/dev/null";
        std::filesystem::path stderrPath = "/dev/null";
        bool append = false;               // append to the output files instead of truncating
        std::vector<std::string> extraEnv; // "NAME=value", added to this process's environment
    };
    struct Exit
    {
        int code = -1;  // exit status when the child exited
        int signal = 0; // the signal that killed it, 0 when it exited
    };

    explicit ChildProcess(Options options);
    // Output to /dev/null, this process's environment. (gcc 12 warns about designated
    // initialisers that leave out fields, even defaulted ones, hence this shorthand.)
    explicit ChildProcess(std::vector<std::string> argv);
    ~ChildProcess();
    ChildProcess(ChildProcess&& other) noexcept;
    ChildProcess& operator=(ChildProcess&& other) noexcept;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    // True while the child has not been reaped (reaps it if it has just exited).
    bool running();
    // Send a signal (SIGTERM by default); no-op once reaped.
    void kill(int sig = SIGTERM);
    // Wait for the exit; nullopt when still running after `timeout`.
    std::optional<Exit> wait(std::chrono::milliseconds timeout);
    // The exit status once reaped.
    std::optional<Exit> exitStatus() const { return exit_; }

    std::string readStdout() const;
    std::string readStderr() const;

private:
    void reap(int status);

    Options options_;
    pid_t pid_ = -1;
    std::optional<Exit> exit_;
};

} // namespace retour::test
