#include "config/operators.h"

#include "config/config.h"
#include "config/toml_source.h"
#include "retour/vision/photo_store.h"
#include "workflow/operator_input.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <sys/random.h>

namespace retour::station {

namespace {

constexpr ErrorCode kCode = ErrorCode::Config;

bool isHex64(std::string_view text)
{
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

// Badges travel in CMD:SIGNIN:<badge> (workflow/operator_input.h): printable ASCII, no space, ≤ 64.
bool isBadgeText(std::string_view text)
{
    return !text.empty() && text.size() <= 64 &&
           std::all_of(text.begin(), text.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
}

// Equal digests compared in a time that does not depend on where they differ.
bool sameDigest(std::string_view a, std::string_view b)
{
    if (a.size() != b.size()) {
        return false;
    }
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    }
    return diff == 0;
}

Result<OperatorRecord> readOperator(const toml::table& table, const std::string& fileSalt,
                                    const std::filesystem::path& file)
{
    constexpr std::string_view name = "[[operator]]";
    if (auto ok = located(kCode, base::TomlReader(file).unknownKey(
                                     table, {"id", "name", "badge", "pin_sha256", "salt", "roles"}, name));
        !ok) {
        return std::unexpected(ok.error());
    }
    OperatorRecord op;
    for (auto [key, target] :
         {std::pair{"id", &op.id}, std::pair{"name", &op.name}, std::pair{"badge", &op.badge},
          std::pair{"pin_sha256", &op.pinSha256}, std::pair{"salt", &op.salt}}) {
        auto value = located(kCode, base::TomlReader(file).optString(table, key, name));
        if (!value) {
            return std::unexpected(value.error());
        }
        *target = value->value_or("");
    }
    auto roles = located(kCode, base::TomlReader(file).optStringArray(table, "roles", name));
    if (!roles) {
        return std::unexpected(roles.error());
    }
    op.roles = roles->value_or(std::vector<std::string>{});
    if (op.id.empty()) {
        return std::unexpected(located(
            kCode, base::TomlReader(file).at(table.source(), "[[operator]] has no id: add id = \"…\"")));
    }
    if (!isValidId(op.id)) {
        return std::unexpected(
            errorAtKey(kCode, table, "id", file,
                       "[[operator]] id \"" + op.id + "\" may only use letters, digits, '-' and '_' (1-64)"));
    }
    if (table.get("badge") != nullptr && !isBadgeText(op.badge)) {
        return std::unexpected(
            errorAtKey(kCode, table, "badge", file,
                       "[[operator]] " + op.id + ": a badge is 1-64 printable characters without spaces"));
    }
    if (table.get("pin_sha256") != nullptr) {
        if (!isHex64(op.pinSha256)) {
            return std::unexpected(
                errorAtKey(kCode, table, "pin_sha256", file,
                           "[[operator]] " + op.id +
                               ": pin_sha256 must be 64 lowercase hex digits (print it with `retour-station "
                               "operators hash-pin`); never write the PIN itself"));
        }
        if (op.salt.empty()) {
            op.salt = fileSalt;
        }
        if (op.salt.empty()) {
            return std::unexpected(errorAtKey(kCode, table, "pin_sha256", file,
                                              "[[operator]] " + op.id +
                                                  ": a PIN needs a salt: add salt = \"…\" at the top of the "
                                                  "file or to this operator (the one given to hash-pin)"));
        }
    }
    if (op.badge.empty() && op.pinSha256.empty()) {
        return std::unexpected(
            located(kCode, base::TomlReader(file).at(
                               table.source(),
                               "[[operator]] " + op.id +
                                   " can not sign in: give it a badge = \"…\" or a pin_sha256 = \"…\"")));
    }
    for (const auto& role : op.roles) {
        if (!validToken(role)) {
            return std::unexpected(errorAtKey(kCode, table, "roles", file,
                                              "[[operator]] " + op.id + ": role \"" + role +
                                                  "\" may only use a-z, 0-9, '-' and '_'"));
        }
    }
    return op;
}

Result<OperatorDirectory> readOperators(const toml::table& root, const std::filesystem::path& file)
{
    std::vector<OperatorRecord> out;
    if (auto ok = located(
            kCode, base::TomlReader(file).unknownKey(root, {"salt", "operator"}, "the operators file"));
        !ok) {
        return std::unexpected(ok.error());
    }
    auto salt = located(kCode, base::TomlReader(file).optString(root, "salt", "the operators file"));
    if (!salt) {
        return std::unexpected(salt.error());
    }
    const toml::node* node = root.get("operator");
    const toml::array* list = node != nullptr ? node->as_array() : nullptr;
    if (list == nullptr || list->empty()) {
        return std::unexpected(located(
            kCode,
            base::TomlReader(file).at(node != nullptr ? node->source() : root.source(),
                                      "no operators: add one [[operator]] table per operator (id, name, "
                                      "badge and/or pin_sha256)")));
    }
    for (const auto& element : *list) {
        const auto* table = element.as_table();
        if (table == nullptr) {
            return std::unexpected(located(
                kCode, base::TomlReader(file).at(element.source(), "operator must be [[operator]] tables")));
        }
        auto op = readOperator(*table, salt->value_or(""), file);
        if (!op) {
            return std::unexpected(op.error());
        }
        for (const auto& other : out) {
            if (other.id == op->id) {
                return std::unexpected(errorAtKey(kCode, *table, "id", file,
                                                  "[[operator]] id \"" + op->id + "\" is listed twice"));
            }
            if (!op->badge.empty() && other.badge == op->badge) {
                return std::unexpected(errorAtKey(kCode, *table, "badge", file,
                                                  "[[operator]] " + op->id + " has the badge of " + other.id +
                                                      ": each badge identifies one operator"));
            }
            if (!op->pinSha256.empty() && other.salt == op->salt && other.pinSha256 == op->pinSha256) {
                return std::unexpected(errorAtKey(kCode, *table, "pin_sha256", file,
                                                  "[[operator]] " + op->id + " has the PIN of " + other.id +
                                                      ": each PIN identifies one operator"));
            }
        }
        out.push_back(std::move(*op));
    }
    return OperatorDirectory(file, std::move(out));
}

} // namespace

bool OperatorRecord::hasRole(std::string_view role) const
{
    return std::find(roles.begin(), roles.end(), role) != roles.end();
}

Result<OperatorDirectory> OperatorDirectory::parse(std::string_view text, const std::filesystem::path& file)
{
    auto root = located(kCode, base::TomlReader(file).parseText(text));
    return root ? readOperators(*root, file) : std::unexpected(root.error());
}

Result<OperatorDirectory> OperatorDirectory::load(const std::filesystem::path& file)
{
    auto root = located(kCode, base::TomlReader(file).parse());
    return root ? readOperators(*root, file) : std::unexpected(root.error());
}

const OperatorRecord* OperatorDirectory::byBadge(std::string_view text) const
{
    for (const auto& op : operators_) {
        if (!op.badge.empty() && op.badge == text) {
            return &op;
        }
    }
    return nullptr;
}

std::optional<SignInMatch> OperatorDirectory::resolve(std::string_view credential) const
{
    if (const auto* op = byBadge(credential)) {
        return SignInMatch{op, CredentialKind::Badge};
    }
    const OperatorRecord* found = nullptr;
    int matches = 0;
    for (const auto& op : operators_) {
        if (!op.pinSha256.empty() && sameDigest(hashPin(op.salt, credential), op.pinSha256)) {
            found = &op;
            ++matches;
        }
    }
    if (matches != 1) {
        return std::nullopt;
    }
    return SignInMatch{found, CredentialKind::Pin};
}

std::string hashPin(std::string_view salt, std::string_view pin)
{
    std::string input;
    input.reserve(salt.size() + pin.size());
    input.append(salt).append(pin);
    return vision::sha256Hex(input.data(), input.size());
}

Result<std::string> newPinSalt()
{
    std::array<unsigned char, 16> bytes{};
    const ssize_t n = ::getrandom(bytes.data(), bytes.size(), 0);
    if (n != static_cast<ssize_t>(bytes.size())) {
        return fail(ErrorCode::Invalid, std::string("getrandom: ") + std::strerror(errno));
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string salt;
    for (unsigned char b : bytes) {
        salt += kHex[b >> 4];
        salt += kHex[b & 0x0f];
    }
    return salt;
}

std::chrono::seconds SignInGuard::lockedFor(Clock::time_point now) const
{
    if (!lockedUntil_ || now >= *lockedUntil_) {
        return std::chrono::seconds{0};
    }
    // Rounded up: "1 s" until the very end.
    const auto left = std::chrono::ceil<std::chrono::seconds>(*lockedUntil_ - now);
    return std::max(left, std::chrono::seconds{1});
}

bool SignInGuard::failed(Clock::time_point now)
{
    if (lockedUntil_ && now >= *lockedUntil_) {
        lockedUntil_.reset();
        failures_ = 0;
    }
    ++failures_;
    if (failures_ >= settings_.maxFailures) {
        lockedUntil_ = now + settings_.lockout;
        return true;
    }
    return false;
}

void SignInGuard::succeeded()
{
    failures_ = 0;
    lockedUntil_.reset();
}

} // namespace retour::station
