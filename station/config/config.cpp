#include "config/config.h"

#include "config/counters_config.h"
#include "config/toml_source.h"
#include "web/ui_config.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <fstream>
#include <tuple>

namespace retour::station {

namespace {

constexpr ErrorCode kCode = ErrorCode::Config;

std::filesystem::path resolve(const std::filesystem::path& dir, const std::filesystem::path& path)
{
    return (path.is_absolute() ? path : dir / path).lexically_normal();
}

// Error at a key's value, or at the table when the key is absent.
Result<void> readStation(const toml::table& root, StationConfig& config)
{
    const toml::node* node = root.get("station");
    if (node == nullptr || node->as_table() == nullptr) {
        return std::unexpected(located(
            kCode, base::TomlReader(config.file)
                       .at(node != nullptr ? node->source() : root.source(),
                           "missing [station] table: add [station] with site = \"…\" and id = \"…\"")));
    }
    const auto& table = *node->as_table();
    if (auto ok = located(
            kCode, base::TomlReader(config.file)
                       .unknownKey(table, {"site", "id", "data_dir", "operator", "operators"}, "[station]"));
        !ok) {
        return ok;
    }
    for (auto [key, target] : {std::pair{"site", &config.site}, std::pair{"id", &config.stationId}}) {
        auto value = located(kCode, base::TomlReader(config.file).optString(table, key, "[station]"));
        if (!value) {
            return std::unexpected(value.error());
        }
        if (!*value) {
            return std::unexpected(
                located(kCode, base::TomlReader(config.file)
                                   .at(table.source(), std::string("[station] has no \"") + key + "\": add " +
                                                           key + " = \"…\"")));
        }
        if (!isValidId(**value)) {
            return std::unexpected(
                errorAtKey(kCode, table, key, config.file,
                           std::string("[station] ") + key + " \"" + **value +
                               "\" may only use letters, digits, '-' and '_' (it is an MQTT "
                               "topic level and part of every LPN)"));
        }
        *target = **value;
    }
    auto op = located(kCode, base::TomlReader(config.file).optString(table, "operator", "[station]"));
    auto data = located(kCode, base::TomlReader(config.file).optString(table, "data_dir", "[station]"));
    if (!op || !data) {
        return std::unexpected(op ? data.error() : op.error());
    }
    if (*op) {
        config.operatorId = **op;
    }
    config.dataDir = resolve(config.dir, data->value_or("data"));
    auto operators = located(kCode, base::TomlReader(config.file).optString(table, "operators", "[station]"));
    if (!operators) {
        return std::unexpected(operators.error());
    }
    if (*operators) {
        config.operatorsFile = resolve(config.dir, **operators);
    }
    return {};
}

Result<void> readBroker(const toml::table& root, StationConfig& config)
{
    const toml::node* node = root.get("broker");
    if (node == nullptr) {
        return {};
    }
    const auto* table = node->as_table();
    if (table == nullptr) {
        return std::unexpected(
            located(kCode, base::TomlReader(config.file).at(node->source(), "[broker] must be a table")));
    }
    if (auto ok = located(kCode, base::TomlReader(config.file)
                                     .unknownKey(*table,
                                                 {"host", "port", "username", "password", "password_file",
                                                  "ca_file", "cert_file", "key_file"},
                                                 "[broker]"));
        !ok) {
        return ok;
    }
    BrokerConfig broker;
    auto host = located(kCode, base::TomlReader(config.file).optString(*table, "host", "[broker]"));
    auto port = located(kCode, base::TomlReader(config.file).optInteger(*table, "port", "[broker]"));
    auto user = located(kCode, base::TomlReader(config.file).optString(*table, "username", "[broker]"));
    auto password = located(kCode, base::TomlReader(config.file).optString(*table, "password", "[broker]"));
    auto passwordFile =
        located(kCode, base::TomlReader(config.file).optString(*table, "password_file", "[broker]"));
    for (const Error* error :
         {host ? nullptr : &host.error(), port ? nullptr : &port.error(), user ? nullptr : &user.error(),
          password ? nullptr : &password.error(), passwordFile ? nullptr : &passwordFile.error()}) {
        if (error != nullptr) {
            return std::unexpected(*error);
        }
    }
    broker.host = host->value_or(broker.host);
    if (*port) {
        if (**port < 1 || **port > 65535) {
            return std::unexpected(
                errorAtKey(kCode, *table, "port", config.file, "[broker] port must be between 1 and 65535"));
        }
        broker.port = static_cast<int>(**port);
    }
    broker.username = user->value_or("");
    if (*password && *passwordFile) {
        return std::unexpected(errorAtKey(kCode, *table, "password_file", config.file,
                                          "[broker] has both password and password_file: keep one"));
    }
    broker.password = password->value_or("");
    if (*passwordFile) {
        const auto path = resolve(config.dir, **passwordFile);
        std::ifstream in(path);
        if (!in) {
            return std::unexpected(errorAtKey(kCode, *table, "password_file", config.file,
                                              "[broker] password_file " + path.string() +
                                                  " cannot be read (check the path and its permissions)"));
        }
        std::getline(in, broker.password);
        while (!broker.password.empty() && std::isspace(static_cast<unsigned char>(broker.password.back()))) {
            broker.password.pop_back();
        }
    }
    for (auto [key, target] : {std::pair{"ca_file", &broker.caFile}, std::pair{"cert_file", &broker.certFile},
                               std::pair{"key_file", &broker.keyFile}}) {
        auto value = located(kCode, base::TomlReader(config.file).optString(*table, key, "[broker]"));
        if (!value) {
            return std::unexpected(value.error());
        }
        if (*value) {
            const auto path = resolve(config.dir, **value);
            if (!std::ifstream(path)) {
                return std::unexpected(
                    errorAtKey(kCode, *table, key, config.file,
                               std::string("[broker] ") + key + " " + path.string() +
                                   " cannot be read (check the path and its permissions)"));
            }
            *target = path.string();
        }
    }
    if (broker.certFile.empty() != broker.keyFile.empty()) {
        return std::unexpected(errorAtKey(kCode, *table, broker.certFile.empty() ? "key_file" : "cert_file",
                                          config.file, "[broker] cert_file and key_file go together"));
    }
    if (!broker.certFile.empty() && broker.caFile.empty()) {
        return std::unexpected(
            errorAtKey(kCode, *table, "cert_file", config.file,
                       "[broker] a client certificate needs ca_file (the broker's CA) too"));
    }
    config.broker = broker;
    return {};
}

Result<void> readOutbox(const toml::table& root, StationConfig& config)
{
    const toml::node* node = root.get("outbox");
    if (node == nullptr) {
        return {};
    }
    const auto* table = node->as_table();
    if (table == nullptr) {
        return std::unexpected(
            located(kCode, base::TomlReader(config.file).at(node->source(), "[outbox] must be a table")));
    }
    if (auto ok = located(
            kCode, base::TomlReader(config.file).unknownKey(*table, {"capacity", "window"}, "[outbox]"));
        !ok) {
        return ok;
    }
    for (auto [key, target, most] : {std::tuple{"capacity", &config.outbox.capacity, std::int64_t{100000000}},
                                     std::tuple{"window", &config.outbox.window, std::int64_t{65000}}}) {
        auto value = located(kCode, base::TomlReader(config.file).optInteger(*table, key, "[outbox]"));
        if (!value) {
            return std::unexpected(value.error());
        }
        if (*value) {
            if (**value < 1 || **value > most) {
                return std::unexpected(errorAtKey(kCode, *table, key, config.file,
                                                  std::string("[outbox] ") + key + " must be between 1 and " +
                                                      std::to_string(most)));
            }
            *target = static_cast<std::size_t>(**value);
        }
    }
    return {};
}

bool kindFits(drivers::DeviceKind wanted, drivers::DeviceKind actual)
{
    // usb:/hidraw:/evdev: are recognised from their descriptors once opened.
    return actual == wanted ||
           (actual == drivers::DeviceKind::Unknown && wanted != drivers::DeviceKind::Camera &&
            wanted != drivers::DeviceKind::Printer);
}

Result<void> readDevices(const toml::table& root, StationConfig& config)
{
    const toml::node* node = root.get("devices");
    if (node == nullptr) {
        return {};
    }
    const auto* table = node->as_table();
    if (table == nullptr) {
        return std::unexpected(
            located(kCode, base::TomlReader(config.file).at(node->source(), "[devices] must be a table")));
    }
    if (auto ok =
            located(kCode, base::TomlReader(config.file)
                               .unknownKey(*table, {"scanner", "scale", "printer", "camera"}, "[devices]"));
        !ok) {
        return ok;
    }
    using Slot = std::tuple<const char*, drivers::DeviceKind, std::optional<drivers::DeviceUri>*>;
    const std::array<Slot, 4> slots{
        Slot{"scanner", drivers::DeviceKind::Scanner, &config.scanner},
        Slot{"scale", drivers::DeviceKind::Scale, &config.scale},
        Slot{"printer", drivers::DeviceKind::Printer, &config.printer},
        Slot{"camera", drivers::DeviceKind::Camera, &config.camera},
    };
    for (const auto& [key, kind, target] : slots) {
        auto text = located(kCode, base::TomlReader(config.file).optString(*table, key, "[devices]"));
        if (!text) {
            return std::unexpected(text.error());
        }
        if (!*text) {
            continue;
        }
        auto uri = drivers::parseDeviceUri(**text);
        if (!uri) {
            return std::unexpected(errorAtKey(kCode, *table, key, config.file,
                                              std::string("[devices] ") + key + ": " + uri.error().message));
        }
        const auto actual = drivers::kindOf(*uri);
        if (!kindFits(kind, actual)) {
            return std::unexpected(errorAtKey(kCode, *table, key, config.file,
                                              std::string("[devices] ") + key + " = \"" + **text +
                                                  "\" names a " + drivers::toString(actual) + ", not a " +
                                                  drivers::toString(kind) + " (use a " + key +
                                                  " URI, see "
                                                  "docs/architecture.md \"Devices\")"));
        }
        // Relative paths in the URI resolve against the config directory.
        if (uri->scheme == "sim") {
            for (const char* param : {"script", "out"}) {
                if (auto it = uri->params.find(param); it != uri->params.end()) {
                    it->second = resolve(config.dir, it->second).string();
                }
            }
        } else if (uri->scheme == "file") {
            uri->target = resolve(config.dir, uri->target).string();
        }
        *target = std::move(*uri);
    }
    return {};
}

Result<void> readRules(const toml::table& root, StationConfig& config)
{
    config.rulesFile = resolve(config.dir, "rules/disposition.toml");
    const toml::node* node = root.get("rules");
    if (node == nullptr) {
        return {};
    }
    const auto* table = node->as_table();
    if (table == nullptr) {
        return std::unexpected(
            located(kCode, base::TomlReader(config.file).at(node->source(), "[rules] must be a table")));
    }
    if (auto ok =
            located(kCode, base::TomlReader(config.file)
                               .unknownKey(*table, {"disposition", "checklists", "grade_terms"}, "[rules]"));
        !ok) {
        return ok;
    }
    auto checklists =
        located(kCode, base::TomlReader(config.file).optString(*table, "checklists", "[rules]"));
    if (!checklists) {
        return std::unexpected(checklists.error());
    }
    if (*checklists) {
        config.checklistsFile = resolve(config.dir, **checklists);
    }
    auto terms = located(kCode, base::TomlReader(config.file).optString(*table, "grade_terms", "[rules]"));
    if (!terms) {
        return std::unexpected(terms.error());
    }
    if (*terms) {
        config.gradeTermsFile = resolve(config.dir, **terms);
    }
    auto path = located(kCode, base::TomlReader(config.file).optString(*table, "disposition", "[rules]"));
    if (!path) {
        return std::unexpected(path.error());
    }
    if (*path) {
        config.rulesFile = resolve(config.dir, **path);
    }
    return {};
}

Result<void> readWeight(const toml::table& root, StationConfig& config)
{
    const toml::node* node = root.get("weight");
    if (node == nullptr) {
        return {};
    }
    const auto* table = node->as_table();
    if (table == nullptr) {
        return std::unexpected(
            located(kCode, base::TomlReader(config.file).at(node->source(), "[weight] must be a table")));
    }
    if (auto ok = located(
            kCode,
            base::TomlReader(config.file).unknownKey(*table, {"tolerance_g", "tolerance_pct"}, "[weight]"));
        !ok) {
        return ok;
    }
    for (auto [key, target] : {std::pair{"tolerance_g", &config.weight.grams},
                               std::pair{"tolerance_pct", &config.weight.percent}}) {
        auto value = located(kCode, base::TomlReader(config.file).optNumber(*table, key, "[weight]"));
        if (!value) {
            return std::unexpected(value.error());
        }
        if (*value) {
            if (**value < 0 || !std::isfinite(**value)) {
                return std::unexpected(errorAtKey(kCode, *table, key, config.file,
                                                  std::string("[weight] ") + key + " must be >= 0"));
            }
            *target = **value;
        }
    }
    return {};
}

bool isViewName(std::string_view name)
{
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) != 0 ||
               std::isdigit(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
}

Result<void> readPhotos(const toml::table& root, StationConfig& config)
{
    const toml::node* node = root.get("photos");
    if (node == nullptr) {
        return {};
    }
    const auto* table = node->as_table();
    if (table == nullptr) {
        return std::unexpected(
            located(kCode, base::TomlReader(config.file).at(node->source(), "[photos] must be a table")));
    }
    if (auto ok = located(
            kCode, base::TomlReader(config.file).unknownKey(*table, {"views", "jpeg_quality"}, "[photos]"));
        !ok) {
        return ok;
    }
    auto quality =
        located(kCode, base::TomlReader(config.file).optInteger(*table, "jpeg_quality", "[photos]"));
    if (!quality) {
        return std::unexpected(quality.error());
    }
    if (*quality) {
        if (**quality < 1 || **quality > 100) {
            return std::unexpected(errorAtKey(kCode, *table, "jpeg_quality", config.file,
                                              "[photos] jpeg_quality must be between 1 and 100"));
        }
        config.photos.jpegQuality = static_cast<int>(**quality);
    }
    if (const toml::node* viewsNode = table->get("views")) {
        const auto* views = viewsNode->as_table();
        if (views == nullptr) {
            return std::unexpected(
                located(kCode, base::TomlReader(config.file)
                                   .at(viewsNode->source(),
                                       "[photos] views must be a table: views = { electronics = [\"front\"], "
                                       "generic = [\"front\"] }")));
        }
        config.photos.views.clear();
        for (const auto& [category, list] : *views) {
            auto names = located(
                kCode,
                base::TomlReader(config.file).optStringArray(*views, category.str(), "[photos] views"));
            if (!names) {
                return std::unexpected(names.error());
            }
            for (const auto& name : **names) {
                if (!isViewName(name)) {
                    return std::unexpected(
                        located(kCode, base::TomlReader(config.file)
                                           .at(list.source(),
                                               "[photos] views." + std::string(category.str()) + ": view \"" +
                                                   name + "\" may only use a-z, 0-9, '-' and '_'")));
                }
            }
            config.photos.views[std::string(category.str())] = std::move(**names);
        }
    }
    return {};
}

Result<StationConfig> build(const toml::table& root, const std::filesystem::path& file)
{
    StationConfig config;
    config.file = file;
    config.dir = std::filesystem::absolute(file).parent_path().lexically_normal();
    if (auto ok =
            located(kCode, base::TomlReader(file).unknownKey(root,
                                                             {"station", "broker", "outbox", "devices",
                                                              "rules", "weight", "photos", "ui", "counters"},
                                                             "the station config"));
        !ok) {
        return std::unexpected(ok.error());
    }
    for (auto* read : {&readStation, &readBroker, &readOutbox, &readDevices, &readRules, &readWeight,
                       &readPhotos, &web::readUiConfig, &readCountersConfig}) {
        if (auto ok = read(root, config); !ok) {
            return std::unexpected(ok.error());
        }
    }
    return config;
}

} // namespace

double WeightTolerance::allowedFor(double expectedGrams) const
{
    return std::max(grams, percent / 100.0 * expectedGrams);
}

bool WeightTolerance::mismatch(double measured, double expected) const
{
    return std::abs(measured - expected) > allowedFor(expected);
}

const std::vector<std::string>& PhotoConfig::viewsFor(const std::string& category) const
{
    static const std::vector<std::string> kFront{"front"};
    if (auto it = views.find(category); it != views.end()) {
        return it->second;
    }
    if (auto it = views.find("generic"); it != views.end()) {
        return it->second;
    }
    return kFront;
}

bool isValidId(std::string_view id)
{
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
    });
}

Result<StationConfig> parseConfig(std::string_view text, const std::filesystem::path& file)
{
    auto root = located(kCode, base::TomlReader(file).parseText(text));
    if (!root) {
        return std::unexpected(root.error());
    }
    return build(*root, file);
}

Result<StationConfig> loadConfig(const std::filesystem::path& file)
{
    auto root = located(kCode, base::TomlReader(file).parse());
    if (!root) {
        return std::unexpected(root.error());
    }
    return build(*root, file);
}

} // namespace retour::station
