// The shared test support (tests/support) and the broker credential script
// (config/broker/add-station), which every integration test relies on.
#include "tests/support/child_process.h"
#include "tests/support/net.h"
#include "tests/support/paths.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait.h"

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace retour::test {
namespace {

using namespace std::chrono_literals;

TEST(TempDir, IsUniqueAndRemovedWithItsContent)
{
    std::filesystem::path kept;
    {
        TempDir a, b;
        EXPECT_NE(a.path(), b.path());
        EXPECT_TRUE(std::filesystem::is_directory(a.path()));
        std::filesystem::create_directory(a / "sub");
        std::ofstream(a / "sub" / "file") << "x";
        kept = a.path();
    }
    EXPECT_FALSE(std::filesystem::exists(kept));
}

TEST(Net, FreeTcpPortCanBeBound)
{
    const int port = freeTcpPort();
    ASSERT_GT(port, 0);
    ASSERT_LT(port, 65536);
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(::listen(fd, 1), 0);
    EXPECT_TRUE(waitForTcpPort("127.0.0.1", port, 1s));
    ::close(fd);
}

TEST(Wait, ReturnsThePredicate)
{
    std::atomic<bool> flag{false};
    std::thread setter([&] { flag = true; });
    EXPECT_TRUE(waitUntil([&] { return flag.load(); }, 10s));
    setter.join();
    EXPECT_FALSE(waitUntil([] { return false; }, 20ms));
}

TEST(ChildProcess, CapturesOutputAndExitCode)
{
    TempDir dir;
    ChildProcess child({.argv = {"sh", "-c", "echo out; echo err >&2; exit 3"},
                        .stdoutPath = dir / "out",
                        .stderrPath = dir / "err",
                        .append = false,
                        .extraEnv = {}});
    const auto exit = child.wait(10s);
    ASSERT_TRUE(exit.has_value());
    EXPECT_EQ(exit->code, 3);
    EXPECT_EQ(exit->signal, 0);
    EXPECT_EQ(child.readStdout(), "out\n");
    EXPECT_EQ(child.readStderr(), "err\n");
}

TEST(ChildProcess, PassesExtraEnvironment)
{
    TempDir dir;
    ChildProcess child({.argv = {"sh", "-c", "printf %s \"$RETOUR_PROBE\""},
                        .stdoutPath = dir / "out",
                        .stderrPath = dir / "err",
                        .append = false,
                        .extraEnv = {"RETOUR_PROBE=42"}});
    ASSERT_TRUE(child.wait(10s).has_value());
    EXPECT_EQ(child.readStdout(), "42");
}

TEST(ChildProcess, WaitTimesOutThenKill)
{
    ChildProcess child(std::vector<std::string>{"sleep", "30"});
    EXPECT_TRUE(child.running());
    EXPECT_FALSE(child.wait(20ms).has_value());
    child.kill(SIGKILL);
    const auto exit = child.wait(10s);
    ASSERT_TRUE(exit.has_value());
    EXPECT_EQ(exit->signal, SIGKILL);
    EXPECT_FALSE(child.running());
}

TEST(ChildProcess, DestructorKillsARunningChild)
{
    pid_t pid = -1;
    {
        ChildProcess child(std::vector<std::string>{"sleep", "30"});
        pid = child.pid();
    }
    EXPECT_NE(::kill(pid, 0), 0); // reaped: no such process
}

// Run only as the helper of DiesWithTheTestProcess: starts a child, reports its pid, hangs.
TEST(ChildProcessHelper, DISABLED_SpawnAndHang)
{
    const char* pidFile = std::getenv("RETOUR_PID_FILE");
    ASSERT_NE(pidFile, nullptr);
    ChildProcess sleeper(std::vector<std::string>{"sleep", "300"});
    // The child is started through a wrapper that arms its parent-death signal and then execs
    // sleep: report the pid only once that exec happened, or a kill in between races the arming.
    const auto comm = "/proc/" + std::to_string(sleeper.pid()) + "/comm";
    ASSERT_TRUE(waitUntil(
        [&] {
            std::ifstream in(comm);
            std::string name;
            std::getline(in, name);
            return name == "sleep";
        },
        20s));
    std::ofstream(std::string(pidFile) + ".tmp") << sleeper.pid();
    std::filesystem::rename(std::string(pidFile) + ".tmp", pidFile);
    while (true) {
        ::pause();
    }
}

bool processGone(pid_t pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) {
        return true;
    }
    const auto close = line.rfind(')');
    return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

TEST(ChildProcess, DiesWithTheTestProcess)
{
    // A test killed without running destructors (crash, ctest timeout) leaves no child behind.
    TempDir dir;
    const auto pidFile = dir / "child.pid";
    ChildProcess helper(
        {.argv = {std::filesystem::read_symlink("/proc/self/exe").string(), "--gtest_also_run_disabled_tests",
                  "--gtest_filter=ChildProcessHelper.DISABLED_SpawnAndHang"},
         .stdoutPath = dir / "out",
         .stderrPath = dir / "err",
         .append = false,
         .extraEnv = {"RETOUR_PID_FILE=" + pidFile.string()}});
    ASSERT_TRUE(waitUntil([&] { return std::filesystem::exists(pidFile); }, 20s)) << helper.readStdout();
    pid_t grandchild = 0;
    std::ifstream(pidFile) >> grandchild;
    ASSERT_GT(grandchild, 0);
    EXPECT_FALSE(processGone(grandchild));
    helper.kill(SIGKILL);
    ASSERT_TRUE(helper.wait(10s).has_value());
    EXPECT_TRUE(waitUntil([&] { return processGone(grandchild); }, 10s));
    if (!processGone(grandchild)) {
        ::kill(grandchild, SIGKILL);
    }
}

TEST(ChildProcess, UnknownProgramThrows)
{
    EXPECT_THROW(ChildProcess(std::vector<std::string>{"/nonexistent/retour-program"}), std::runtime_error);
}

class AddStation : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if (mosquittoPasswdProgram().empty()) {
            GTEST_SKIP() << "mosquitto_passwd not installed";
        }
    }
    ChildProcess::Exit run(std::vector<std::string> args)
    {
        args.insert(args.begin(), (sourceDir() / "config/broker/add-station").string());
        ChildProcess child({.argv = args,
                            .stdoutPath = dir_ / "out",
                            .stderrPath = dir_ / "err",
                            .append = false,
                            .extraEnv = {"MOSQUITTO_PASSWD=" + mosquittoPasswdProgram()}});
        output_ = "";
        auto exit = child.wait(30s);
        EXPECT_TRUE(exit.has_value());
        output_ = child.readStdout() + child.readStderr();
        return exit.value_or(ChildProcess::Exit{});
    }
    std::string line(const std::string& user)
    {
        std::ifstream in(file_);
        for (std::string l; std::getline(in, l);) {
            if (l.starts_with(user + ":")) {
                return l;
            }
        }
        return "";
    }

    TempDir dir_;
    std::filesystem::path file_ = dir_ / "passwd";
    std::string output_;
};

TEST_F(AddStation, CreatesTheFileAndKeepsOtherUsers)
{
    ASSERT_EQ(run({file_.string(), "central", "pw-central"}).code, 0) << output_;
    EXPECT_NE(output_.find("created password file"), std::string::npos) << output_;
    EXPECT_NE(output_.find("added credentials of central"), std::string::npos) << output_;
    ASSERT_EQ(run({file_.string(), "bench-01", "pw-1"}).code, 0) << output_;
    EXPECT_NE(output_.find("station 'bench-01'"), std::string::npos) << output_;
    const std::string central = line("central");
    const std::string bench = line("bench-01");
    EXPECT_FALSE(central.empty());
    EXPECT_FALSE(bench.empty());
    EXPECT_EQ(bench.find("pw-1"), std::string::npos) << "stored hashed";

    // Changing one password rewrites only that entry.
    ASSERT_EQ(run({file_.string(), "bench-01", "pw-2"}).code, 0) << output_;
    EXPECT_NE(output_.find("updated credentials"), std::string::npos) << output_;
    EXPECT_EQ(line("central"), central);
    EXPECT_NE(line("bench-01"), bench);
    EXPECT_EQ(std::filesystem::status(file_).permissions() & std::filesystem::perms::others_read,
              std::filesystem::perms::none);
}

TEST_F(AddStation, GeneratesAndPrintsAPasswordWhenNoneIsGiven)
{
    ASSERT_EQ(run({file_.string(), "bench-07"}).code, 0) << output_;
    EXPECT_NE(output_.find("password for bench-07: "), std::string::npos) << output_;
    EXPECT_FALSE(line("bench-07").empty());
}

TEST_F(AddStation, RefusesNamesThatWouldBreakTopicsOrTheAcl)
{
    for (const char* name : {"a/b", "bench+1", "bench#", "", "-x", "rma", "has space"}) {
        EXPECT_EQ(run({file_.string(), name, "pw"}).code, 2) << name << ": " << output_;
    }
    EXPECT_FALSE(std::filesystem::exists(file_));
    EXPECT_EQ(run({file_.string()}).code, 2);
}

} // namespace
} // namespace retour::test
