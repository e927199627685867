#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace retour::test {

// Locations fixed at configure time (tests/support/CMakeLists.txt).
std::filesystem::path sourceDir();    // the repository root
std::string mosquittoProgram();       // MOSQUITTO_BROKER, "" when not found
std::string mosquittoPasswdProgram(); // MOSQUITTO_PASSWD, "" when not found

} // namespace retour::test

// The data every kind of test shares, kept once under tests/fixtures/ and loaded by name:
// rmas/<name>.toml (central's seed format) and scenarios/<name>.toml (the simulated scanner and
// scale's script, drivers/include/retour/drivers/sim.h). tests/fixtures/README.md lists them.
namespace retour::test::fixtures {

// tests/fixtures/<name> in the source tree, e.g. path("rmas/end_to_end.toml"). Throws
// std::runtime_error when there is no such fixture, so that a misspelt name fails the test's set-up
// instead of seeding nothing.
std::filesystem::path path(std::string_view name);
// The fixture's text.
std::string text(std::string_view name);

} // namespace retour::test::fixtures
