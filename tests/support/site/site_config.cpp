#include "tests/support/site/site_config.h"

#include "tests/support/mosquitto_broker.h"
#include "tests/support/paths.h"

namespace retour::test {

namespace {

std::string quoted(const std::string& value)
{
    return "\"" + value + "\"";
}

std::string line(const std::string& key, const std::string& value)
{
    return value.empty() ? "" : key + " = " + quoted(value) + "\n";
}

std::string broker(int port, const std::string& user)
{
    return "[broker]\nhost = \"127.0.0.1\"\nport = " + std::to_string(port) + "\n" + line("username", user) +
           line("password", MosquittoBroker::passwordFor(user));
}

std::string rules(const std::string& name)
{
    return (sourceDir() / "config/rules" / name).string();
}

} // namespace

std::string StationConfig::toml() const
{
    return "[station]\n" + line("site", site) + line("id", id) + "data_dir = \"data\"\n" +
           line("operator", operatorId) + line("operators", operators.string()) + "\n" +
           (brokerPort == 0 ? "" : broker(brokerPort, brokerUser.empty() ? id : brokerUser) + "\n") +
           "[devices]\n" + line("scanner", scanner) + line("scale", scale) + line("printer", printer) +
           line("camera", camera) + "\n[rules]\n" + line("disposition", rules("disposition.toml")) +
           (checklists ? line("checklists", rules("checklists.toml")) : "") +
           (uiListen.empty() ? "" : "\n[ui]\n" + line("listen", uiListen)) + extra;
}

std::string CentralConfig::toml() const
{
    return "[central]\n" + line("site", site) + "database = \"central.db\"\n\n" +
           broker(brokerPort, "central") + "\n[seed]\n" + line("rmas", rmas) + extra;
}

std::string simScanner(const std::string& script)
{
    return "sim:scanner?script=" + script;
}

std::string simScale(const std::string& script)
{
    return "sim:scale?script=" + script;
}

std::string simPrinter(const std::filesystem::path& dir)
{
    return "sim:printer?out=" + dir.string();
}

std::string fileCamera(const std::filesystem::path& pattern)
{
    return "file:" + pattern.string() + "?loop=1";
}

} // namespace retour::test
