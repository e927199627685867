#include "tests/support/paths.h"

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
