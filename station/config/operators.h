#pragma once

#include "app/error.h"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retour::station {

// One operator of the site's operators file (docs/technician.md "Operators").
struct OperatorRecord
{
    std::string id;        // what every parcel, inspection, audit row and central's ledger records
    std::string name;      // shown on sign-in
    std::string badge;     // the badge barcode's text; empty: no badge
    std::string salt;      // the operator's salt, else the file's
    std::string pinSha256; // lowercase hex SHA-256 of salt + PIN; empty: no PIN
    std::vector<std::string> roles;

    bool hasRole(std::string_view role) const;
};

// How a credential matched.
enum class CredentialKind
{
    Badge,
    Pin
};

struct SignInMatch
{
    const OperatorRecord* op = nullptr;
    CredentialKind kind = CredentialKind::Badge;
};

// The operators file named by [station] operators (TOML):
//
//   salt = "…"                       # optional: the salt of every PIN without its own
//   [[operator]]
//   id = "op-0042"                   # [A-Za-z0-9_-], unique
//   name = "Ana Martin"
//   badge = "BADGE-0042"             # optional, unique
//   pin_sha256 = "<64 hex>"          # optional: `retour-station operators hash-pin` prints it
//   salt = "…"                       # optional: this operator's own salt
//   roles = ["supervisor"]           # optional
//
// Every operator has a badge or a PIN. A credential is never kept in clear: PINs are compared by
// their salted hash. Thread contract: immutable once loaded; any thread may read it.
class OperatorDirectory
{
public:
    // The operators as given (load and parse check them first).
    OperatorDirectory(std::filesystem::path file, std::vector<OperatorRecord> operators)
        : file_(std::move(file)), operators_(std::move(operators))
    {}

    static Result<OperatorDirectory> load(const std::filesystem::path& file);
    static Result<OperatorDirectory> parse(std::string_view text, const std::filesystem::path& file);

    // The operator whose badge is the credential, else whose PIN it is; null when none (or when
    // two operators with their own salts share the PIN: it identifies nobody).
    std::optional<SignInMatch> resolve(std::string_view credential) const;
    // The operator whose badge this scan is (a badge scanned without CMD:SIGNIN).
    const OperatorRecord* byBadge(std::string_view text) const;
    const std::vector<OperatorRecord>& operators() const { return operators_; }
    const std::filesystem::path& file() const { return file_; }

private:
    std::filesystem::path file_;
    std::vector<OperatorRecord> operators_;
};

// Lowercase hex SHA-256 of salt followed by the PIN: the pin_sha256 of the operators file.
std::string hashPin(std::string_view salt, std::string_view pin);

// A fresh random salt (16 bytes from getrandom(2), hex).
Result<std::string> newPinSalt();

// Failed sign-ins in a row lock sign-in for a while, so that PINs cannot be tried one after the
// other at the bench. Time comes in as an argument (the workflow's clock). Thread contract:
// thread-bound (the station loop).
class SignInGuard
{
public:
    using Clock = std::chrono::steady_clock;

    struct Settings
    {
        int maxFailures = 5;
        std::chrono::seconds lockout{60};
    };

    SignInGuard() = default;
    explicit SignInGuard(Settings settings) : settings_(settings) {}

    // Time left before sign-in is allowed again (zero when it is allowed).
    std::chrono::seconds lockedFor(Clock::time_point now) const;
    // A failed attempt; true when this one locks sign-in.
    bool failed(Clock::time_point now);
    void succeeded();
    int failures() const { return failures_; }
    const Settings& settings() const { return settings_; }

private:
    Settings settings_;
    int failures_ = 0;
    std::optional<Clock::time_point> lockedUntil_;
};

} // namespace retour::station
