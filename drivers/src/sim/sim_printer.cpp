#include "common/unique_fd.h"
#include "sim/sim_devices.h"

#include <cerrno>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>

namespace retour::drivers::detail {

namespace {

bool isFileNameSafe(const std::string& id)
{
    if (id.empty() || id.front() == '.') {
        return false;
    }
    for (const char c : id) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                        c == '-' || c == '_' || c == '.';
        if (!ok) {
            return false;
        }
    }
    return true;
}

Result<void> writeFileAtomically(const std::filesystem::path& file, const std::string& bytes,
                                 const std::string& label)
{
    const std::filesystem::path temp = file.parent_path() / ("." + file.filename().string() + ".tmp");
    UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd) {
        return std::unexpected(errnoError(errno, label + ": create " + temp.string()));
    }
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd.get(), bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            const int err = errno;
            ::unlink(temp.c_str());
            return std::unexpected(errnoError(err, label + ": write " + temp.string()));
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0) {
        const int err = errno;
        ::unlink(temp.c_str());
        return std::unexpected(errnoError(err, label + ": fsync " + temp.string()));
    }
    fd.reset();
    if (::rename(temp.c_str(), file.c_str()) != 0) {
        const int err = errno;
        ::unlink(temp.c_str());
        return std::unexpected(errnoError(err, label + ": rename to " + file.string()));
    }
    return {};
}

} // namespace

SimPrinter::SimPrinter(DeviceUri uri, std::filesystem::path out, PrinterStatus state,
                       std::shared_ptr<SimPrinterSwitch> scenario)
    : uri_(std::move(uri)), out_(std::move(out)), state_(std::move(state)), scenario_(std::move(scenario))
{}

PrinterStatus SimPrinter::current() const
{
    if (scenario_) {
        if (const std::string name = scenario_->get(); !name.empty()) {
            if (auto state = simPrinterState(name)) {
                return *state;
            }
        }
    }
    return state_;
}

Result<void> SimPrinter::print(const LabelJob& job)
{
    const std::string label = "printer " + uri_.text;
    if (!isFileNameSafe(job.id)) {
        return std::unexpected(Error{ErrorCode::Refused, label + " refuses job '" + job.id +
                                                             "': a sim job id must be a file name "
                                                             "(letters, digits, '-', '_', '.')"});
    }
    if (const PrinterStatus state = current(); !state.ready) {
        return std::unexpected(
            Error{ErrorCode::Refused, label + " refuses job '" + job.id + "': " + state.detail});
    }
    const std::filesystem::path file = out_ / (job.id + ".zpl");
    std::error_code ec;
    if (printed_.contains(job.id) || std::filesystem::exists(file, ec)) {
        printed_.insert(job.id);
        return {}; // idempotent: the label for this job exists already
    }
    std::filesystem::create_directories(out_, ec);
    if (ec) {
        return std::unexpected(
            Error{ErrorCode::Io, label + ": cannot create " + out_.string() + ": " + ec.message()});
    }
    if (auto written = writeFileAtomically(file, job.zpl, label); !written) {
        return written;
    }
    printed_.insert(job.id);
    return {};
}

} // namespace retour::drivers::detail
