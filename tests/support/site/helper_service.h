#pragma once

#include "tests/support/child_process.h"

#include <filesystem>
#include <string>
#include <vector>

namespace retour::test {

// The local stand-in services of tests/support/site (payment_service.py: the payment adapter's HTTP
// endpoint; smtp_sink.py: an SMTP server that keeps each mail), run as separate processes on
// Debian's python3, as central talks to them in production.
//
// Starts `script` with --dir `dir` --port `port` (0: a free port of its choosing) and `extra`,
// its log appended to <dir>/<script>.log, and waits (10 s at most) until it has written the port
// it listens on to <dir>/port. Throws std::runtime_error with the log when it does not (test
// set-up). Thread contract: thread-compatible.
ChildProcess startHelperService(const std::string& script, const std::filesystem::path& dir,
                                const std::vector<std::string>& extra = {}, int port = 0);

// The port a helper service started in `dir` listens on.
int helperServicePort(const std::filesystem::path& dir);

// Debian's python3 that runs them ("" when none was found at configure time).
std::string python3Program();

} // namespace retour::test
