#pragma once

#include <iosfwd>
#include <string>

namespace retour::hwconfig {

struct ReadRequest
{
    std::string uri;
    int count = 0; // events (or frames) to read; 0 = until the timeout (cameras: 1)
    double timeoutSeconds = 10;
    bool json = false;
};

// `retour-hw-config read URI`: open one device and print what it produces, one line per event
// (JSON lines with --json). Returns the exit status: 0 when `count` events arrived (or, with
// count 0, at the timeout), 1 when the device failed or fewer events came, 2 for a bad URI.
int runRead(const ReadRequest& request, std::ostream& out, std::ostream& err);

} // namespace retour::hwconfig
