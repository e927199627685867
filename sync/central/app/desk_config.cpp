// The returns desk's config sections: [http], [rules], [returns] (see config.h).
#include "app/desk_config.h"

#include "outcomes/outcomes_config.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <tuple>

namespace retour::central {

namespace {

std::filesystem::path resolveAgainst(const std::filesystem::path& configFile, const std::string& value)
{
    const std::filesystem::path path(value);
    return path.is_absolute() ? path : configFile.parent_path() / path;
}

SourceResult<void> readHttp(const TomlReader& reader, const toml::table& table,
                            const std::filesystem::path& file, Config& config)
{
    constexpr std::string_view where = "[http]";
    if (auto unknown = reader.unknownKey(table, {"listen", "token", "token_file", "web"}, where)) {
        return std::unexpected(*unknown);
    }
    HttpConfig http;
    auto listen = reader.optString(table, "listen", where);
    if (!listen) {
        return std::unexpected(listen.error());
    }
    if (*listen) {
        const auto address = parseListen(**listen);
        if (!address) {
            return std::unexpected(
                reader.at(table.get("listen")->source(),
                          "listen \"" + **listen +
                              "\" in [http] is not HOST:PORT; write e.g. \"127.0.0.1:8081\" "
                              "(port 0: any free port)"));
        }
        http.host = address->host;
        http.port = address->port;
    }
    auto token = reader.optString(table, "token", where);
    if (!token) {
        return std::unexpected(token.error());
    }
    auto tokenFile = reader.optString(table, "token_file", where);
    if (!tokenFile) {
        return std::unexpected(tokenFile.error());
    }
    if (*token && *tokenFile) {
        return std::unexpected(reader.at(table.get("token_file")->source(),
                                         "[http] has both token and token_file; keep only one"));
    }
    if (*token) {
        http.token = **token;
    } else if (*tokenFile) {
        const auto path = resolveAgainst(file, **tokenFile);
        std::ifstream in(path);
        std::getline(in, http.token);
        if (!in && http.token.empty()) {
            return std::unexpected(
                reader.at(table.get("token_file")->source(),
                          "token_file " + path.string() +
                              " in [http] cannot be read; check the path and its permissions"));
        }
    }
    if (http.token.size() < 16) {
        const toml::node* at = table.get(*tokenFile ? "token_file" : "token");
        return std::unexpected(reader.at(at != nullptr ? at->source() : table.source(),
                                         "[http] needs a token of at least 16 characters for the staff "
                                         "endpoints (token = \"…\" or token_file = \"…\")"));
    }
    auto web = reader.optString(table, "web", where);
    if (!web) {
        return std::unexpected(web.error());
    }
    if (*web) {
        const auto path = resolveAgainst(file, **web);
        std::error_code ec;
        if (!std::filesystem::is_directory(path, ec)) {
            return std::unexpected(reader.at(table.get("web")->source(),
                                             "web " + path.string() +
                                                 " in [http] is not a directory; give the self-service "
                                                 "page's folder (sync/central/web)"));
        }
        http.web = path;
    }
    config.http = std::move(http);
    return {};
}

} // namespace

std::optional<ListenAddress> parseListen(std::string_view text)
{
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
        return std::nullopt;
    }
    std::string_view host = text.substr(0, colon);
    if (host.front() == '[') {
        if (host.size() < 3 || host.back() != ']') {
            return std::nullopt;
        }
        host = host.substr(1, host.size() - 2);
    }
    const std::string_view digits = text.substr(colon + 1);
    int port = -1;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || port < 0 ||
        port > 65535) {
        return std::nullopt;
    }
    return ListenAddress{std::string(host), port};
}

SourceResult<void> readDeskSections(const TomlReader& reader, const toml::table& root,
                                    const std::filesystem::path& file, Config& config)
{
    auto http = reader.optTable(root, "http", "the config file");
    if (!http) {
        return std::unexpected(http.error());
    }
    if (*http != nullptr) {
        if (auto ok = readHttp(reader, **http, file, config); !ok) {
            return ok;
        }
    }
    auto rules = reader.optTable(root, "rules", "the config file");
    if (!rules) {
        return std::unexpected(rules.error());
    }
    if (*rules != nullptr) {
        if (auto unknown = reader.unknownKey(**rules, {"authorisation"}, "[rules]")) {
            return std::unexpected(*unknown);
        }
        auto authorisation = reader.optString(**rules, "authorisation", "[rules]");
        if (!authorisation) {
            return std::unexpected(authorisation.error());
        }
        if (*authorisation) {
            config.authorisationRules = resolveAgainst(file, **authorisation);
        }
    }
    config.rmaPrefix.clear();
    for (const char c : config.site) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
            config.rmaPrefix += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
    }
    auto returns = reader.optTable(root, "returns", "the config file");
    if (!returns) {
        return std::unexpected(returns.error());
    }
    if (*returns != nullptr) {
        if (auto unknown = reader.unknownKey(**returns,
                                             {"rma_prefix", "expire_after_days", "expire_interval_s",
                                              "refunds", "stock", "messages", "delivery"},
                                             "[returns]")) {
            return std::unexpected(*unknown);
        }
        auto prefix = reader.optString(**returns, "rma_prefix", "[returns]");
        if (!prefix) {
            return std::unexpected(prefix.error());
        }
        if (*prefix) {
            const bool ok = !(*prefix)->empty() && (*prefix)->size() <= 12 &&
                            std::all_of((*prefix)->begin(), (*prefix)->end(), [](char c) {
                                return std::isupper(static_cast<unsigned char>(c)) != 0 ||
                                       std::isdigit(static_cast<unsigned char>(c)) != 0;
                            });
            if (!ok) {
                return std::unexpected(reader.at((*returns)->get("rma_prefix")->source(),
                                                 "rma_prefix \"" + **prefix +
                                                     "\" in [returns] must be 1-12 capital letters or digits "
                                                     "(it starts every RMA number and label barcode)"));
            }
            config.rmaPrefix = **prefix;
        }
        for (const auto& [key, target, low, high] :
             {std::tuple{"expire_after_days", &config.expireAfterDays, 1, 3650},
              std::tuple{"expire_interval_s", &config.expireIntervalS, 1, 86400}}) {
            auto value = reader.optInteger(**returns, key, "[returns]");
            if (!value) {
                return std::unexpected(value.error());
            }
            if (*value) {
                if (**value < low || **value > high) {
                    return std::unexpected(reader.at((*returns)->get(key)->source(),
                                                     std::string(key) + " in [returns] must be " +
                                                         std::to_string(low) + ".." + std::to_string(high)));
                }
                *target = static_cast<int>(**value);
            }
        }
        if (auto outcomes = readOutcomeSections(reader, **returns, file, config); !outcomes) {
            return outcomes;
        }
    }
    return {};
}

} // namespace retour::central
