#include "print_command.h"

#include "read_command.h"
#include "retour/drivers/device.h"
#include "retour/drivers/sim.h"

#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

namespace retour::hwconfig {

int runPrint(const PrintRequest& request, std::ostream& out, std::ostream& err)
{
    auto uri = drivers::parseDeviceUri(request.uri);
    if (!uri) {
        return fail(err, uri.error().message, 2);
    }
    std::ifstream in(request.file, std::ios::binary);
    if (!in) {
        err << "retour-hw-config: cannot read '" << request.file << "'\n";
        return 2;
    }
    std::ostringstream zpl;
    zpl << in.rdbuf();
    drivers::SimWorld sim;
    auto printer = drivers::makeLabelPrinter(*uri, drivers::DeviceContext{&sim});
    if (!printer) {
        return fail(err, printer.error());
    }
    auto status = (*printer)->status();
    if (!status) {
        return fail(err, status.error().message);
    }
    if (request.json) {
        out << statusJson(*status).dump() << '\n';
    }
    if (!status->ready) {
        err << "retour-hw-config: not printed: " << status->detail << '\n';
        return 1;
    }
    const std::string id =
        request.jobId.empty() ? std::filesystem::path(request.file).filename().string() : request.jobId;
    auto printed = (*printer)->print(drivers::LabelJob{id, zpl.str()});
    if (!printed) {
        err << "retour-hw-config: not printed: " << printed.error().message << '\n';
        return 1;
    }
    if (request.json) {
        out << nlohmann::ordered_json{{"type", "print"}, {"job_id", id}, {"printed", true}}.dump() << '\n';
    } else {
        out << "printed " << id << " (" << zpl.str().size() << " bytes) on " << uri->text << '\n';
    }
    return 0;
}

} // namespace retour::hwconfig
