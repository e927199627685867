#pragma once

#include <filesystem>
#include <string>

namespace retour::test {

// Locations fixed at configure time (tests/support/CMakeLists.txt).
std::filesystem::path sourceDir();    // the repository root
std::string mosquittoProgram();       // MOSQUITTO_BROKER, "" when not found
std::string mosquittoPasswdProgram(); // MOSQUITTO_PASSWD, "" when not found

} // namespace retour::test
