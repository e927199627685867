#pragma once

#include <chrono>
#include <string>

namespace retour::test {

// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it back, close). Another
// process may take it before it is used; good enough for tests on a CI machine.
int freeTcpPort();

// True once a TCP connection to host:port succeeds within the timeout.
bool waitForTcpPort(const std::string& host, int port, std::chrono::milliseconds timeout);

} // namespace retour::test
