#include "retour/base/durable_file.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace retour::base {

namespace {

std::unexpected<Error> ioError(const std::string& what, const std::filesystem::path& path, int error)
{
    return fail(ErrorKind::Io, what + " " + path.string() + ": " + std::generic_category().message(error),
                error);
}

// Closes a file descriptor on every path out of a function.
class Fd
{
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd()
    {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    // close(2) reports deferred write errors (NFS, quota), so its result matters once.
    int release()
    {
        const int rc = ::close(fd_);
        fd_ = -1;
        return rc;
    }

private:
    int fd_;
};

Result<void> syncDirectory(const std::filesystem::path& dir)
{
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) {
        return ioError("cannot open directory", dir, errno);
    }
    if (::fsync(fd.get()) != 0) {
        return ioError("cannot fsync directory", dir, errno);
    }
    return {};
}

Result<void> writeAll(int fd, std::span<const unsigned char> bytes, const std::filesystem::path& path)
{
    while (!bytes.empty()) {
        const ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            return ioError("cannot write", path, errno);
        }
        bytes = bytes.subspan(static_cast<std::size_t>(written));
    }
    return {};
}

} // namespace

Result<void> makeDurableDirectory(const std::filesystem::path& dir)
{
    // Walk up to the first existing ancestor, so that every directory created below it is synced
    // into its parent.
    std::vector<std::filesystem::path> missing;
    std::error_code ec;
    for (auto p = dir; !p.empty() && !std::filesystem::exists(p, ec); p = p.parent_path()) {
        missing.push_back(p);
        if (p == p.parent_path()) {
            break;
        }
    }
    if (missing.empty()) {
        if (!std::filesystem::is_directory(dir, ec)) {
            return ioError("cannot use directory", dir, ENOTDIR);
        }
        return {};
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (::mkdir(it->c_str(), 0755) != 0 && errno != EEXIST) {
            return ioError("cannot create directory", *it, errno);
        }
        const auto parent = it->parent_path();
        if (auto synced = syncDirectory(parent.empty() ? std::filesystem::path(".") : parent); !synced) {
            return synced;
        }
    }
    return {};
}

Result<void> writeFileDurably(const std::filesystem::path& file, std::span<const unsigned char> bytes)
{
    const auto parent = file.parent_path();
    const auto dir = parent.empty() ? std::filesystem::path(".") : parent;
    std::string pattern = (dir / ("." + file.filename().string() + ".XXXXXX")).string();
    Fd fd(::mkostemp(pattern.data(), O_CLOEXEC));
    if (fd.get() < 0) {
        return ioError("cannot create a temporary file for", file, errno);
    }
    const std::filesystem::path temp = pattern;
    auto failed = [&](std::unexpected<Error> error) {
        ::unlink(temp.c_str());
        return error;
    };
    if (auto written = writeAll(fd.get(), bytes, temp); !written) {
        return failed(std::unexpected(written.error()));
    }
    if (::fchmod(fd.get(), 0644) != 0) {
        return failed(ioError("cannot chmod", temp, errno));
    }
    if (::fsync(fd.get()) != 0) {
        return failed(ioError("cannot fsync", temp, errno));
    }
    if (fd.release() != 0) {
        return failed(ioError("cannot close", temp, errno));
    }
    if (::rename(temp.c_str(), file.c_str()) != 0) {
        return failed(ioError("cannot rename " + temp.string() + " to", file, errno));
    }
    return syncDirectory(dir);
}

Result<void> writeFileDurably(const std::filesystem::path& file, std::string_view bytes)
{
    return writeFileDurably(file,
                            std::span(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()));
}

} // namespace retour::base
