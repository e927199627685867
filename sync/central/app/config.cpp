// The service's TOML configuration (see config.h for the keys).
#include "app/config.h"

#include "app/desk_config.h"
#include "app/toml_reader.h"
#include "retour/contract/message.h"

#include <fstream>

namespace retour::central {

namespace {

std::filesystem::path resolve(const std::filesystem::path& configFile, const std::string& value)
{
    const std::filesystem::path path(value);
    if (path.is_absolute()) {
        return path;
    }
    return configFile.parent_path() / path;
}

// The first line of a password file (without its line end), as mosquitto_passwd users write them.
SourceResult<std::string> readPasswordFile(const TomlReader& reader, const toml::node& where,
                                           const std::filesystem::path& path)
{
    std::ifstream in(path);
    if (!in) {
        return std::unexpected(reader.at(where.source(), "cannot read password_file " + path.string() +
                                                             "; create it or fix the path"));
    }
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    if (line.empty()) {
        return std::unexpected(
            reader.at(where.source(),
                      "password_file " + path.string() + " is empty; write the password on its first line"));
    }
    return line;
}

SourceResult<void> readCentral(const TomlReader& reader, const toml::table& table,
                               const std::filesystem::path& file, Config& config)
{
    constexpr std::string_view where = "[central]";
    if (auto unknown = reader.unknownKey(table, {"site", "database", "storage"}, where)) {
        return std::unexpected(*unknown);
    }
    auto site = reader.string(table, "site", where);
    if (!site) {
        return std::unexpected(site.error());
    }
    if (!sync::topics::isValidLevel(*site)) {
        return std::unexpected(reader.at(table.get("site")->source(),
                                         "site \"" + *site +
                                             "\" cannot be an MQTT topic level; use letters, digits "
                                             "and '-' (no '/', '+', '#' or leading '$')"));
    }
    config.site = std::move(*site);
    auto database = reader.optString(table, "database", where);
    if (!database) {
        return std::unexpected(database.error());
    }
    config.database = resolve(file, database->value_or("central.db"));
    auto storage = reader.optString(table, "storage", where);
    if (!storage) {
        return std::unexpected(storage.error());
    }
    if (*storage) {
        const auto backend = parseStorageBackend(**storage);
        if (!backend) {
            return std::unexpected(
                reader.at(table.get("storage")->source(),
                          "storage \"" + **storage + "\" is not a backend; use \"sqlite\""));
        }
        config.storageBackend = *backend;
    }
    return {};
}

SourceResult<void> readBroker(const TomlReader& reader, const toml::table& table,
                              const std::filesystem::path& file, Config& config)
{
    constexpr std::string_view where = "[broker]";
    if (auto unknown =
            reader.unknownKey(table,
                              {"host", "port", "username", "password", "password_file", "client_id",
                               "shared_subscription", "ca_file", "cert_file", "key_file"},
                              where)) {
        return std::unexpected(*unknown);
    }
    BrokerConfig& broker = config.broker;
    auto host = reader.optString(table, "host", where);
    if (!host) {
        return std::unexpected(host.error());
    }
    if (*host) {
        if ((*host)->empty()) {
            return std::unexpected(reader.at(table.get("host")->source(),
                                             "host in [broker] is empty; give the "
                                             "broker's host name or address"));
        }
        broker.host = std::move(**host);
    }
    auto port = reader.optInteger(table, "port", where);
    if (!port) {
        return std::unexpected(port.error());
    }
    if (*port) {
        if (**port < 1 || **port > 65535) {
            return std::unexpected(
                reader.at(table.get("port")->source(),
                          "port " + std::to_string(**port) +
                              " in [broker] is out of range; use 1-65535 (mosquitto: 1883)"));
        }
        broker.port = static_cast<int>(**port);
    }
    auto username = reader.optString(table, "username", where);
    if (!username) {
        return std::unexpected(username.error());
    }
    broker.username = username->value_or("");
    auto password = reader.optString(table, "password", where);
    if (!password) {
        return std::unexpected(password.error());
    }
    auto passwordFile = reader.optString(table, "password_file", where);
    if (!passwordFile) {
        return std::unexpected(passwordFile.error());
    }
    if (*password && *passwordFile) {
        return std::unexpected(reader.at(table.get("password_file")->source(),
                                         "[broker] has both password and password_file; keep only one"));
    }
    if (*password) {
        broker.password = std::move(**password);
    } else if (*passwordFile) {
        auto secret = readPasswordFile(reader, *table.get("password_file"), resolve(file, **passwordFile));
        if (!secret) {
            return std::unexpected(secret.error());
        }
        broker.password = std::move(*secret);
    }
    auto clientId = reader.optString(table, "client_id", where);
    if (!clientId) {
        return std::unexpected(clientId.error());
    }
    if (*clientId && (*clientId)->empty()) {
        return std::unexpected(reader.at(table.get("client_id")->source(),
                                         "client_id in [broker] is empty; remove it to use central-<site>"));
    }
    broker.clientId = clientId->value_or("");
    for (auto [key, target] : {std::pair{"ca_file", &broker.caFile}, std::pair{"cert_file", &broker.certFile},
                               std::pair{"key_file", &broker.keyFile}}) {
        auto value = reader.optString(table, key, where);
        if (!value) {
            return std::unexpected(value.error());
        }
        if (*value) {
            const auto path = resolve(file, **value);
            if (!std::ifstream(path)) {
                return std::unexpected(reader.at(table.get(key)->source(),
                                                 std::string(key) + " " + path.string() +
                                                     " in [broker] cannot be read; check the path and its "
                                                     "permissions"));
            }
            *target = path.string();
        }
    }
    if (broker.certFile.empty() != broker.keyFile.empty() ||
        (!broker.certFile.empty() && broker.caFile.empty())) {
        return std::unexpected(reader.at(table.source(), "[broker] cert_file and key_file go together, and "
                                                         "need ca_file (the site CA) too"));
    }
    auto shared = reader.optBool(table, "shared_subscription", where);
    if (!shared) {
        return std::unexpected(shared.error());
    }
    broker.sharedSubscription = shared->value_or(true);
    return {};
}

SourceResult<void> readSeed(const TomlReader& reader, const toml::table& table,
                            const std::filesystem::path& file, Config& config)
{
    constexpr std::string_view where = "[seed]";
    if (auto unknown = reader.unknownKey(table, {"rmas"}, where)) {
        return std::unexpected(*unknown);
    }
    auto rmas = reader.optString(table, "rmas", where);
    if (!rmas) {
        return std::unexpected(rmas.error());
    }
    if (*rmas) {
        config.seedRmas = resolve(file, **rmas);
    }
    return {};
}

} // namespace

SourceResult<Config> loadConfig(const std::filesystem::path& file)
{
    const TomlReader reader(file.string());
    auto parsed = reader.parse(file);
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    const toml::table& root = *parsed;
    if (auto unknown = reader.unknownKey(root, {"central", "broker", "seed", "http", "rules", "returns"},
                                         "the config file")) {
        return std::unexpected(*unknown);
    }

    Config config;
    config.file = file;
    const std::filesystem::path absolute = std::filesystem::absolute(file);

    auto central = reader.optTable(root, "central", "the config file");
    if (!central) {
        return std::unexpected(central.error());
    }
    if (*central == nullptr) {
        return std::unexpected(SourceError{file.string(), 1, 1,
                                           "missing [central] table; add [central] with site = \"…\" and "
                                           "database = \"central.db\""});
    }
    if (auto ok = readCentral(reader, **central, absolute, config); !ok) {
        return std::unexpected(ok.error());
    }

    auto broker = reader.optTable(root, "broker", "the config file");
    if (!broker) {
        return std::unexpected(broker.error());
    }
    if (*broker != nullptr) {
        if (auto ok = readBroker(reader, **broker, absolute, config); !ok) {
            return std::unexpected(ok.error());
        }
    }
    if (config.broker.clientId.empty()) {
        config.broker.clientId = "central-" + config.site;
    }

    auto seed = reader.optTable(root, "seed", "the config file");
    if (!seed) {
        return std::unexpected(seed.error());
    }
    if (*seed != nullptr) {
        if (auto ok = readSeed(reader, **seed, absolute, config); !ok) {
            return std::unexpected(ok.error());
        }
    }
    if (auto ok = readDeskSections(reader, root, absolute, config); !ok) {
        return std::unexpected(ok.error());
    }
    return config;
}

} // namespace retour::central
