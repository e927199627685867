// Starting the payment service and SMTP sink stand-ins (see helper_service.h).
#include "tests/support/site/helper_service.h"

#include "tests/support/paths.h"
#include "tests/support/wait.h"

#include <stdexcept>

namespace retour::test {

std::string python3Program()
{
    return RETOUR_PYTHON3;
}

ChildProcess startHelperService(const std::string& script, const std::filesystem::path& dir,
                                const std::vector<std::string>& extra, int port)
{
    std::filesystem::create_directories(dir);
    std::filesystem::remove(dir / "port");
    ChildProcess::Options options;
    options.argv = {python3Program(), (sourceDir() / "tests/support/site" / script).string(),
                    "--dir",          dir.string(),
                    "--port",         std::to_string(port)};
    options.argv.insert(options.argv.end(), extra.begin(), extra.end());
    options.stderrPath = dir / (script + ".log");
    options.append = true;
    ChildProcess process(std::move(options));
    if (!waitUntil([&] { return std::filesystem::exists(dir / "port"); })) {
        throw std::runtime_error(script + " did not start in " + dir.string() + ": " +
                                 readFile(dir / (script + ".log")));
    }
    return process;
}

int helperServicePort(const std::filesystem::path& dir)
{
    return std::stoi(readFile(dir / "port"));
}

} // namespace retour::test
