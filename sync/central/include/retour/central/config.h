#pragma once

#include "retour/central/source_error.h"

#include <filesystem>
#include <optional>
#include <string>

namespace retour::central {

// The service's configuration file (TOML):
//   [central] site = "demo-site"  database = "central.db"
//   [broker]  host = "127.0.0.1"  port = 1883  username = "central"
//             password = "…" | password_file = "…"  client_id = "central-<site>" (optional)
//             shared_subscription = true (optional)
//             ca_file, cert_file, key_file  (optional TLS: the site CA; central's certificate and key)
//   [seed]    rmas = "rmas.toml"  (optional)
//   [http]    listen = "127.0.0.1:8081" (port 0: any free port, logged)  token = "…" | token_file = "…"
//             web = "web" (the self-service page's files; optional)
//   [rules]   authorisation = "authorisation.toml" (optional: without it every request is reviewed)
//   [returns] rma_prefix = "DS" (optional; default: the site in capitals)
// Relative paths resolve against the directory of the config file.
struct BrokerConfig
{
    std::string host = "127.0.0.1";
    int port = 1883;
    std::string username; // empty: connect anonymously
    std::string password; // from `password` or the first line of `password_file`
    std::string clientId; // default "central-<site>"
    // TLS (absolute paths once loaded): the site CA, and central's certificate and key when the
    // listener has require_certificate (config/broker/tls.conf).
    std::string caFile, certFile, keyFile;
    // true: take events through $share/central/… so several central instances share a site's
    // load. mosquitto 2.0.11 does not restore a persistent session's shared subscriptions after a
    // broker restart (events published before central reconnects reach nobody until the station
    // sends them again); false: a plain subscription, which the broker keeps, for one instance.
    bool sharedSubscription = true;
};

// The HTTP JSON API (docs/openapi.yaml) and the self-service page.
struct HttpConfig
{
    std::string host = "127.0.0.1";
    int port = 8081;   // 0: any free port
    std::string token; // staff endpoints: "Authorization: Bearer <token>"
    std::optional<std::filesystem::path> web;
};

struct Config
{
    std::filesystem::path file; // the config file itself, as given
    std::string site;
    std::filesystem::path database;
    BrokerConfig broker;
    std::optional<std::filesystem::path> seedRmas;
    std::optional<HttpConfig> http;
    std::optional<std::filesystem::path> authorisationRules;
    std::string rmaPrefix;
};

// Read and check a config file. Every problem (missing file, TOML syntax, unknown key, wrong
// type, bad value, unreadable password file) comes back as one SourceError naming file:line:column
// and what to do. Reentrant.
SourceResult<Config> loadConfig(const std::filesystem::path& file);

} // namespace retour::central
