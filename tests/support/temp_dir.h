#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace retour::test {

// Temporary directories and the file helpers every test shares.

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
    // Writes `content` to the file `name` in this directory (writeFile below) and
    // returns its path.
    std::filesystem::path write(std::string_view name, std::string_view content) const;

private:
    std::filesystem::path path_;
};

// Writes `content` byte for byte to `path`, creating its parent directories. Throws
// std::runtime_error naming the file when it cannot be written (test set-up).
void writeFile(const std::filesystem::path& path, std::string_view content);

// The whole content of a file ("" when it cannot be read: tests poll files other processes are
// still creating).
std::string readFile(const std::filesystem::path& path);

} // namespace retour::test
