#include "tests/support/child_process.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <signal.h>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <utility>

extern char** environ;

namespace retour::test {

namespace {

// The program as posix_spawnp would find it, or "" (so that a missing program still throws
// although setpriv is what we start).
std::string resolveProgram(const std::string& name, const std::vector<std::string>& extraEnv)
{
    if (name.find('/') != std::string::npos) {
        return ::access(name.c_str(), X_OK) == 0 ? name : "";
    }
    std::string path = "/usr/local/bin:/usr/bin:/bin";
    if (const char* env = std::getenv("PATH")) {
        path = env;
    }
    for (const std::string& e : extraEnv) {
        if (e.starts_with("PATH=")) {
            path = e.substr(5);
        }
    }
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t colon = std::min(path.find(':', start), path.size());
        const std::string dir = path.substr(start, colon - start);
        const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        start = colon + 1;
    }
    return "";
}

constexpr const char* kSetpriv = "/usr/bin/setpriv";

} // namespace

ChildProcess::ChildProcess(Options options) : options_(std::move(options))
{
    if (options_.argv.empty()) {
        throw std::runtime_error("ChildProcess: empty argv");
    }
    // A test that crashes, or that ctest kills at its timeout, never runs this class's
    // destructor: ask the kernel to SIGKILL the child when we die (util-linux setpriv
    // --pdeathsig, which then execs the program: same pid). The signal follows the spawning
    // thread, not the process, so only children of the main thread get it.
    std::vector<std::string> command = options_.argv;
    if (::gettid() == ::getpid() && ::access(kSetpriv, X_OK) == 0) {
        const std::string program = resolveProgram(options_.argv[0], options_.extraEnv);
        if (program.empty()) {
            throw std::runtime_error("ChildProcess: cannot start " + options_.argv[0] + ": not found");
        }
        command[0] = program;
        command.insert(command.begin(), {kSetpriv, "--pdeathsig", "KILL", "--"});
    }
    std::vector<char*> argv;
    for (std::string& arg : command) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);

    std::vector<std::string> envStrings;
    for (char** e = environ; *e != nullptr; ++e) {
        envStrings.emplace_back(*e);
    }
    envStrings.insert(envStrings.end(), options_.extraEnv.begin(), options_.extraEnv.end());
    std::vector<char*> envp;
    for (std::string& e : envStrings) {
        envp.push_back(e.data());
    }
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const int flags = O_WRONLY | O_CREAT | (options_.append ? O_APPEND : O_TRUNC);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, options_.stdoutPath.c_str(), flags, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, options_.stderrPath.c_str(), flags, 0644);

    // The child starts with default signal handling and an empty mask, whatever the test runner set.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    const int rc = ::posix_spawnp(&pid_, argv[0], &actions, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        pid_ = -1;
        throw std::runtime_error("ChildProcess: cannot start " + options_.argv[0] + ": " + std::strerror(rc));
    }
}

ChildProcess::ChildProcess(std::vector<std::string> argv)
    : ChildProcess(Options{.argv = std::move(argv),
                           .stdoutPath = "/dev/null",
                           .stderrPath = "/dev/null",
                           .append = false,
                           .extraEnv = {}})
{}

ChildProcess::~ChildProcess()
{
    if (pid_ > 0 && !exit_) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
    }
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : options_(std::move(other.options_)), pid_(std::exchange(other.pid_, -1)), exit_(other.exit_)
{}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept
{
    if (this != &other) {
        if (pid_ > 0 && !exit_) {
            ::kill(pid_, SIGKILL);
            int status = 0;
            ::waitpid(pid_, &status, 0);
        }
        options_ = std::move(other.options_);
        pid_ = std::exchange(other.pid_, -1);
        exit_ = other.exit_;
    }
    return *this;
}

void ChildProcess::reap(int status)
{
    Exit exit;
    if (WIFEXITED(status)) {
        exit.code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        exit.signal = WTERMSIG(status);
    }
    exit_ = exit;
}

bool ChildProcess::running()
{
    if (pid_ <= 0 || exit_) {
        return false;
    }
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
        reap(status);
        return false;
    }
    return true;
}

void ChildProcess::kill(int sig)
{
    if (pid_ > 0 && !exit_) {
        ::kill(pid_, sig);
    }
}

std::optional<ChildProcess::Exit> ChildProcess::wait(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (running()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return exit_;
}

std::string ChildProcess::readStdout() const
{
    return readFile(options_.stdoutPath);
}

std::string ChildProcess::readStderr() const
{
    return readFile(options_.stderrPath);
}

} // namespace retour::test
