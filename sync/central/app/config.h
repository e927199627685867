#pragma once

#include "app/source_error.h"
#include "storage/location.h"

#include <filesystem>
#include <optional>
#include <string>

namespace retour::central {

// The service's configuration file (TOML):
//   [central] site = "demo-site"  database = "central.db"
//             storage = "sqlite" (optional; the backend, see storage/location.h)
//   [broker]  host = "127.0.0.1"  port = 1883  username = "central"
//             password = "…" | password_file = "…"  client_id = "central-<site>" (optional)
//             shared_subscription = true (optional)
//             ca_file, cert_file, key_file  (optional TLS: the site CA; central's certificate and key)
//   [seed]    rmas = "rmas.toml"  (optional)
//   [http]    listen = "127.0.0.1:8081" (port 0: any free port, logged)  token = "…" | token_file = "…"
//             web = "web" (the self-service page's files; optional)
//   [rules]   authorisation = "authorisation.toml" (optional: without it every request is reviewed)
//   [returns] rma_prefix = "DS" (optional; default: the site in capitals)
//   [returns.refunds]  policy = "refunds.toml"  payment_url = "http://…/refunds"  token = "…"
//   [returns.stock]    routing = "routing.toml" (optional)  webhook = "http://…" (optional)
//   [returns.messages] smtp_url = "smtp://host:25"  from = "returns@…"  templates = "templates"
//                      evidence_url = "https://…/api/v1/returns/{rma_id}/evidence" (optional)
//   [returns.delivery] max_attempts = 12  backoff_ms = 500  backoff_max_ms = 300000
//                      timeout_ms = 10000 (the outbox that sends refunds, movements and e-mails)
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

// What central does once the ledger has moved (sync/central/{refunds,stock,notify}); each part
// is off when its table is absent.
struct RefundsConfig
{
    std::filesystem::path policy;
    std::string paymentUrl;
    std::string token; // optional bearer token for the payment adapter
};
struct StockConfig
{
    std::optional<std::filesystem::path> routing;
    std::optional<std::string> webhook;
};
struct MessagesConfig
{
    std::string smtpUrl;
    std::string from;
    std::filesystem::path templates;
    std::string evidenceUrl; // {rma_id} is replaced; empty: no link
};
struct DeliveryConfig
{
    int maxAttempts = 12;
    int backoffMs = 500;
    int backoffMaxMs = 300000;
    int timeoutMs = 10000;
};

struct Config
{
    std::filesystem::path file; // the config file itself, as given
    std::string site;
    std::filesystem::path database;
    StorageBackend storageBackend = StorageBackend::Sqlite;
    BrokerConfig broker;
    std::optional<std::filesystem::path> seedRmas;
    std::optional<HttpConfig> http;
    std::optional<std::filesystem::path> authorisationRules;
    std::string rmaPrefix;
    // [returns] expire_after_days: an authorised return whose parcel has not moved (no carrier
    // scan, no receipt) this many days after its authorisation expires; expire_interval_s: how
    // often `retour-central run` looks (also `retour-central expire`).
    int expireAfterDays = 30;
    int expireIntervalS = 3600;
    std::optional<RefundsConfig> refunds;
    std::optional<StockConfig> stock;
    std::optional<MessagesConfig> messages;
    DeliveryConfig delivery;

    StorageLocation storage() const { return StorageLocation{storageBackend, database}; }
};

// Read and check a config file. Every problem (missing file, TOML syntax, unknown key, wrong
// type, bad value, unreadable password file) comes back as one SourceError naming file:line:column
// and what to do. Reentrant.
SourceResult<Config> loadConfig(const std::filesystem::path& file);

} // namespace retour::central
