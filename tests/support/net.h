#pragma once

#include <chrono>
#include <string>

namespace retour::test {

// A TCP port on 127.0.0.1 that was free a moment ago, picked at random below the kernel's ephemeral
// range (net.cpp says why). Another test may still take it before it is used, rarely.
int freeTcpPort();

// True once a TCP connection to host:port succeeds within the timeout.
bool waitForTcpPort(const std::string& host, int port, std::chrono::milliseconds timeout);

} // namespace retour::test
