#include "retour/base/durable_file.h"
#include "tests/support/temp_dir.h"

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/stat.h>

namespace retour::base {
namespace {

std::string contentOf(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream out;
    out << in.rdbuf();
    return out.str();
}

TEST(DurableFileTest, WritesWholeContentReplacingTheOldAndLeavesNoTemporaryFile)
{
    retour::test::TempDir dir("retour-base-durable");
    const auto file = dir / "state.json";
    ASSERT_TRUE(writeFileDurably(file, std::string_view("first")));
    EXPECT_EQ(contentOf(file), "first");
    const std::string binary("a\0b\xff", 4);
    ASSERT_TRUE(writeFileDurably(file, std::string_view(binary)));
    EXPECT_EQ(contentOf(file), binary);

    struct stat st
    {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0644U);
    int entries = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        ++entries;
    }
    EXPECT_EQ(entries, 1) << "no temporary file left beside it";
}

TEST(DurableFileTest, FailuresNameThePathAndLeaveTheOldContent)
{
    retour::test::TempDir dir("retour-base-durable");
    auto missingDir = writeFileDurably(dir / "no" / "such" / "file", std::string_view("x"));
    ASSERT_FALSE(missingDir);
    EXPECT_EQ(missingDir.error().kind, ErrorKind::Io);
    EXPECT_EQ(missingDir.error().code, ENOENT);
    EXPECT_NE(missingDir.error().message.find((dir / "no" / "such" / "file").string()), std::string::npos);

    // Renaming over a directory fails: the directory stays, the temporary file is removed.
    std::filesystem::create_directory(dir / "taken");
    std::ofstream(dir / "taken" / "inside") << "kept";
    auto overDir = writeFileDurably(dir / "taken", std::string_view("x"));
    ASSERT_FALSE(overDir);
    EXPECT_NE(overDir.error().message.find("cannot rename"), std::string::npos) << overDir.error().message;
    EXPECT_EQ(contentOf(dir / "taken" / "inside"), "kept");
    int entries = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        ++entries;
    }
    EXPECT_EQ(entries, 1);
}

TEST(DurableFileTest, MakesMissingDirectoriesAndRefusesAFileInTheWay)
{
    retour::test::TempDir dir("retour-base-durable");
    ASSERT_TRUE(makeDurableDirectory(dir / "a" / "b" / "c"));
    EXPECT_TRUE(std::filesystem::is_directory(dir / "a" / "b" / "c"));
    EXPECT_TRUE(makeDurableDirectory(dir / "a" / "b")) << "an existing directory is fine";
    std::ofstream(dir / "plain") << "x";
    auto refused = makeDurableDirectory(dir / "plain");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ENOTDIR);
}

} // namespace
} // namespace retour::base
