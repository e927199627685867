#include "tests/support/paths.h"

#include "tests/support/temp_dir.h"

#include <stdexcept>

#ifndef RETOUR_SOURCE_DIR
#error "RETOUR_SOURCE_DIR must be defined by tests/support/CMakeLists.txt"
#endif
#ifndef RETOUR_MOSQUITTO_BROKER
#define RETOUR_MOSQUITTO_BROKER ""
#endif
#ifndef RETOUR_MOSQUITTO_PASSWD
#define RETOUR_MOSQUITTO_PASSWD ""
#endif

namespace retour::test {

std::filesystem::path sourceDir()
{
    return RETOUR_SOURCE_DIR;
}

std::string mosquittoProgram()
{
    return RETOUR_MOSQUITTO_BROKER;
}

std::string mosquittoPasswdProgram()
{
    return RETOUR_MOSQUITTO_PASSWD;
}

} // namespace retour::test

namespace retour::test::fixtures {

std::filesystem::path path(std::string_view name)
{
    std::filesystem::path file = sourceDir() / "tests/fixtures" / name;
    if (!std::filesystem::is_regular_file(file)) {
        throw std::runtime_error("no test fixture " + file.string());
    }
    return file;
}

std::string text(std::string_view name)
{
    return readFile(path(name));
}

} // namespace retour::test::fixtures
