#pragma once

#include <iosfwd>
#include <string>

namespace retour::hwconfig {

struct PrintRequest
{
    std::string uri;
    std::string file;  // ZPL to send
    std::string jobId; // idempotency key; default: the file name
    bool json = false;
};

// `retour-hw-config print URI FILE.zpl`: check the printer's status, send the file, report. Exit
// status: 0 printed, 1 refused (the reason, e.g. "paper out", on stderr) or the printer failed,
// 2 bad URI or unreadable file.
int runPrint(const PrintRequest& request, std::ostream& out, std::ostream& err);

} // namespace retour::hwconfig
