#pragma once

#include <filesystem>
#include <string_view>

namespace retour::test {

// A fresh directory under $TMPDIR (or /tmp), unique per instance (mkdtemp), removed with all its
// content on destruction. Thread contract: thread-compatible.
class TempDir
{
public:
    explicit TempDir(std::string_view prefix = "retour-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

} // namespace retour::test
