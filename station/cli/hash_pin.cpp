#include "cli/cli.h"
#include "config/operators.h"

#include <algorithm>
#include <istream>
#include <ostream>
#include <string>

namespace retour::station {

int runHashPin(std::istream& in, std::ostream& out, std::ostream& err, const std::string& salt)
{
    std::string pin;
    std::getline(in, pin);
    while (!pin.empty() && (pin.back() == '\r' || pin.back() == ' ')) {
        pin.pop_back();
    }
    // The UI's sign-in form and CMD:SIGNIN carry [A-Za-z0-9_-] (web_server.h validCommand).
    const bool typeable = !pin.empty() && pin.size() <= 40 && std::all_of(pin.begin(), pin.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
               c == '-';
    });
    if (!typeable) {
        err << "retour-station: a PIN is 1-40 letters, digits, '_' or '-' (type it on standard input)\n";
        return 2;
    }
    std::string useSalt = salt;
    if (useSalt.empty()) {
        auto fresh = newPinSalt();
        if (!fresh) {
            err << "retour-station: " << fresh.error().message << "\n";
            return 1;
        }
        useSalt = *fresh;
    }
    if (useSalt.find_first_of("\"\\\n") != std::string::npos) {
        err << "retour-station: the salt may not hold quotes, backslashes or line breaks\n";
        return 2;
    }
    out << "salt = \"" << useSalt << "\"\n"
        << "pin_sha256 = \"" << hashPin(useSalt, pin) << "\"\n";
    return 0;
}

} // namespace retour::station
