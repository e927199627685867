// `retour-hw-config print` (print_command.h) against a loopback Zebra (tests/devices/zpl/
// fake_zebra.h) in every ~HS state: the exit status, the reason printed, and what reached the
// printer (the job only when it was ready; nothing but the status queries otherwise).
#include "fake_zebra.h"
#include "print_command.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <unistd.h>

namespace retour::hwconfig {
namespace {

using retour::test::FakeZebra;
namespace fake = retour::test;

const std::string kLabel = "^XA^FO40,40^A0N,56,56^FDRETURN RECEIVED^FS^XZ";

class PrintCommand : public ::testing::Test
{
protected:
    void SetUp() override
    {
        dir_ = std::filesystem::temp_directory_path() /
               ("retour-print-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
        file_ = (dir_ / "label.zpl").string();
        std::ofstream(file_, std::ios::binary) << kLabel;
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    struct Outcome
    {
        int status;
        std::string out;
        std::string err;
    };
    Outcome print(const std::string& uri, bool json = false)
    {
        std::ostringstream out;
        std::ostringstream err;
        const int status = runPrint(PrintRequest{uri, file_, "", json}, out, err);
        return {status, out.str(), err.str()};
    }

    std::filesystem::path dir_;
    std::string file_;
};

TEST_F(PrintCommand, ReadyPrinterGetsTheFileAndExitsZero)
{
    FakeZebra zebra({{FakeZebra::Mode::Answer, fake::kReady, fake::kHqesReady},   // status
                     {FakeZebra::Mode::Answer, fake::kReady, fake::kHqesReady}}); // the job
    const auto result = print(zebra.uri(2000), true);
    EXPECT_EQ(result.status, 0) << result.err;
    EXPECT_NE(result.out.find("\"ready\":true"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("{\"type\":\"print\",\"job_id\":\"label.zpl\",\"printed\":true}"),
              std::string::npos)
        << result.out;
    bool jobSeen = false;
    for (const auto& bytes : zebra.waitForConnections(1)) {
        jobSeen = jobSeen || bytes.find(kLabel) != std::string::npos;
    }
    EXPECT_TRUE(jobSeen) << "the label reached the printer";
}

TEST_F(PrintCommand, EveryHostStatusErrorIsRefusedWithItsReason)
{
    struct Case
    {
        const std::string* reply;
        const char* reason;
    };
    for (const Case c : {Case{&fake::kPaperOut, "paper out"}, Case{&fake::kHeadOpen, "head open"},
                         Case{&fake::kPaused, "paused"}, Case{&fake::kRibbonOut, "ribbon out"},
                         Case{&fake::kBufferFull, "receive buffer full"}}) {
        FakeZebra zebra({{FakeZebra::Mode::Answer, *c.reply, fake::kHqesReady}});
        const auto result = print(zebra.uri(2000));
        EXPECT_EQ(result.status, 1) << c.reason;
        EXPECT_NE(result.err.find(std::string("not printed: ") + c.reason), std::string::npos) << result.err;
        for (const auto& bytes : zebra.waitForConnections(1)) {
            EXPECT_EQ(bytes.find(kLabel), std::string::npos) << c.reason
                                                             << ": nothing is sent to a printer that "
                                                                "cannot print";
        }
    }
}

TEST_F(PrintCommand, ExtendedStatusFaultIsRefused)
{
    FakeZebra zebra({{FakeZebra::Mode::Answer, fake::kReady, fake::kHqesCutter}});
    const auto result = print(zebra.uri(2000));
    EXPECT_EQ(result.status, 1);
    EXPECT_NE(result.err.find("not printed: "), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("cutter"), std::string::npos) << result.err;
}

TEST_F(PrintCommand, PrinterThatDropsTheSocketFailsWithExitOne)
{
    FakeZebra zebra({{FakeZebra::Mode::Close, ""}});
    const auto result = print(zebra.uri(1000));
    EXPECT_EQ(result.status, 1);
    EXPECT_NE(result.err.find("retour-hw-config: "), std::string::npos) << result.err;
    EXPECT_FALSE(result.err.empty());
}

TEST_F(PrintCommand, SilentPrinterTimesOutWithExitOne)
{
    FakeZebra zebra({{FakeZebra::Mode::Silent, ""}});
    const auto result = print(zebra.uri(300));
    EXPECT_EQ(result.status, 1);
    EXPECT_NE(result.err.find("~HS"), std::string::npos) << result.err;
}

} // namespace
} // namespace retour::hwconfig
