#include "retour/base/durable_file.h"
#include "sim/sim_devices.h"

#include <system_error>

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
    // Whole or not at all: a crash never leaves half a label under the job's name.
    if (auto written = base::writeFileDurably(file, std::string_view(job.zpl)); !written) {
        return std::unexpected(Error{ErrorCode::Io, label + ": " + written.error().message});
    }
    printed_.insert(job.id);
    return {};
}

} // namespace retour::drivers::detail
