#pragma once

#include "app/error.h"
#include "retour/drivers/device_uri.h"

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace retour::station {

struct BrokerConfig
{
    std::string host = "127.0.0.1";
    int port = 1883;
    std::string username;
    std::string password;
    // TLS (all paths absolute once loaded): the CA that signed the broker's certificate, and the
    // station's own certificate and key when the listener has require_certificate.
    std::string caFile;
    std::string certFile;
    std::string keyFile;
};

// The durable outbox (docs/architecture.md "How data flows through a station").
struct OutboxConfig
{
    // Unacknowledged events kept at most; at this count the station refuses to confirm items
    // (nothing is dropped) and from 90 % of it the operator sees an alarm.
    std::size_t capacity = 100000;
    // Events published and not yet accepted by the broker (QoS 1 in-flight window).
    std::size_t window = 256;
};

// The operator UI (station/web): HTTP + Server-Sent Events on one local address.
struct UiConfig
{
    std::string host = "127.0.0.1";
    int port = 8080;           // 0: any free port (logged as "ui: operator UI at URL")
    std::filesystem::path dir; // the static pages; empty: the installed station UI
};

// Counters per bench and operator (counters.h): the counting window starts at the latest shift start.
struct CountersConfig
{
    std::vector<int> shiftStarts{0}; // minutes after local midnight; default: the day from midnight
};

struct WeightTolerance
{
    double grams = 25.0;
    double percent = 5.0;

    // The allowed deviation for an expected weight: max(grams, percent of expected).
    double allowedFor(double expectedGrams) const;
    bool mismatch(double measured, double expected) const;
};

struct PhotoConfig
{
    // Views to photograph per item category; "generic" is used for categories not listed.
    std::map<std::string, std::vector<std::string>> views{
        {"electronics", {"front", "back", "label"}}, {"apparel", {"front", "label"}}, {"generic", {"front"}}};
    int jpegQuality = 90;

    const std::vector<std::string>& viewsFor(const std::string& category) const;
};

// The station configuration file (TOML). Every relative path is resolved against the directory of
// the config file; sim: script= / out= and file: camera paths too.
//
//   [station] site, id, data_dir = "data", operator, operators = "operators.toml"
//             (operators: who may sign in, by badge or PIN (operators.h); absent: the sign-in
//             credential is the operator id, for small sites)
//   [broker]  host = "127.0.0.1", port = 1883, username, password | password_file  (absent: offline)
//             ca_file, cert_file, key_file   (TLS: CA of the broker; client certificate and key)
//   [outbox]  capacity = 100000, window = 256
//   [devices] scanner, scale, printer, camera   (device URIs, each optional)
//   [rules]   disposition = "rules/disposition.toml", checklists = "rules/checklists.toml",
//             grade_terms = "rules/grade_terms.toml"
//   [weight]  tolerance_g = 25, tolerance_pct = 5.0
//   [photos]  views = { electronics = ["front", …], … }, jpeg_quality = 90
//   [ui]      listen = "127.0.0.1:8080", dir = "<installed station UI>"   (absent: no UI)
//   [counters] shifts = ["00:00"]   (local times at which a counting window starts)
struct StationConfig
{
    std::filesystem::path file;
    std::filesystem::path dir;

    std::string site;
    std::string stationId;
    std::string operatorId = "operator";
    std::filesystem::path dataDir;
    std::filesystem::path operatorsFile; // [station] operators; empty: no operators file

    std::optional<BrokerConfig> broker;
    OutboxConfig outbox;

    std::optional<drivers::DeviceUri> scanner;
    std::optional<drivers::DeviceUri> scale;
    std::optional<drivers::DeviceUri> printer;
    std::optional<drivers::DeviceUri> camera;

    std::filesystem::path rulesFile;
    std::filesystem::path checklistsFile; // [rules] checklists; empty: no checklists
    std::filesystem::path gradeTermsFile; // [rules] grade_terms; empty: the grade letter and CTIA terms only
    WeightTolerance weight;
    PhotoConfig photos;
    std::optional<UiConfig> ui;
    CountersConfig counters;

    std::filesystem::path databasePath() const { return dataDir / "station.db"; }
    std::filesystem::path photoDir() const { return dataDir / "photos"; }
};

// Load and validate. On error the message is "FILE:LINE:COL: what is wrong and what to do";
// the program prints it as "retour-station: <message>" and exits with status 2.
Result<StationConfig> loadConfig(const std::filesystem::path& file);
Result<StationConfig> parseConfig(std::string_view text, const std::filesystem::path& file);

// True for the characters allowed in site and station ids (MQTT topic levels, LPNs): [A-Za-z0-9_-].
bool isValidId(std::string_view id);

} // namespace retour::station
