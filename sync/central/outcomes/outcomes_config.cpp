// The config of refunds, stock, customer messages and their delivery outbox (see config.h).
#include "outcomes/outcomes_config.h"

namespace retour::central {

namespace {

std::filesystem::path resolve(const std::filesystem::path& configFile, const std::string& value)
{
    const std::filesystem::path path(value);
    return path.is_absolute() ? path : configFile.parent_path() / path;
}

// An http(s):// or smtp(s):// URL: the scheme is all that is checked here; libcurl reports the rest
// at the first delivery.
SourceResult<std::string> url(const TomlReader& reader, const toml::table& table, std::string_view key,
                              std::string_view where, std::initializer_list<std::string_view> schemes)
{
    auto value = reader.string(table, key, where);
    if (!value) {
        return std::unexpected(value.error());
    }
    for (const std::string_view scheme : schemes) {
        if (value->starts_with(std::string(scheme) + "://")) {
            return *value;
        }
    }
    std::string list;
    for (const std::string_view scheme : schemes) {
        list += (list.empty() ? "" : " or ") + std::string(scheme) + "://";
    }
    return std::unexpected(
        reader.at(table.get(key)->source(),
                  std::string(key) + " in " + std::string(where) + " must start with " + list));
}

SourceResult<void> readRefunds(const TomlReader& reader, const toml::table& table,
                               const std::filesystem::path& file, Config& config)
{
    constexpr std::string_view where = "[returns.refunds]";
    if (auto unknown = reader.unknownKey(table, {"policy", "payment_url", "token"}, where)) {
        return std::unexpected(*unknown);
    }
    RefundsConfig refunds;
    auto policy = reader.string(table, "policy", where);
    if (!policy) {
        return std::unexpected(policy.error());
    }
    refunds.policy = resolve(file, *policy);
    auto payment = url(reader, table, "payment_url", where, {"http", "https"});
    if (!payment) {
        return std::unexpected(payment.error());
    }
    refunds.paymentUrl = *payment;
    auto token = reader.optString(table, "token", where);
    if (!token) {
        return std::unexpected(token.error());
    }
    refunds.token = token->value_or("");
    config.refunds = std::move(refunds);
    return {};
}

SourceResult<void> readStock(const TomlReader& reader, const toml::table& table,
                             const std::filesystem::path& file, Config& config)
{
    constexpr std::string_view where = "[returns.stock]";
    if (auto unknown = reader.unknownKey(table, {"routing", "webhook"}, where)) {
        return std::unexpected(*unknown);
    }
    StockConfig stock;
    auto routing = reader.optString(table, "routing", where);
    if (!routing) {
        return std::unexpected(routing.error());
    }
    if (*routing) {
        stock.routing = resolve(file, **routing);
    }
    if (table.contains("webhook")) {
        auto webhook = url(reader, table, "webhook", where, {"http", "https"});
        if (!webhook) {
            return std::unexpected(webhook.error());
        }
        stock.webhook = *webhook;
    }
    config.stock = std::move(stock);
    return {};
}

SourceResult<void> readMessages(const TomlReader& reader, const toml::table& table,
                                const std::filesystem::path& file, Config& config)
{
    constexpr std::string_view where = "[returns.messages]";
    if (auto unknown = reader.unknownKey(table, {"smtp_url", "from", "templates", "evidence_url"}, where)) {
        return std::unexpected(*unknown);
    }
    MessagesConfig messages;
    auto smtp = url(reader, table, "smtp_url", where, {"smtp", "smtps"});
    if (!smtp) {
        return std::unexpected(smtp.error());
    }
    messages.smtpUrl = *smtp;
    auto from = reader.string(table, "from", where);
    if (!from) {
        return std::unexpected(from.error());
    }
    if (from->find('@') == std::string::npos || from->find_first_of("<> \r\n") != std::string::npos) {
        return std::unexpected(
            reader.at(table.get("from")->source(),
                      "from in " + std::string(where) + " must be a bare address like returns@example.com"));
    }
    messages.from = *from;
    auto templates = reader.string(table, "templates", where);
    if (!templates) {
        return std::unexpected(templates.error());
    }
    messages.templates = resolve(file, *templates);
    auto evidence = reader.optString(table, "evidence_url", where);
    if (!evidence) {
        return std::unexpected(evidence.error());
    }
    messages.evidenceUrl = evidence->value_or("");
    config.messages = std::move(messages);
    return {};
}

SourceResult<void> readDelivery(const TomlReader& reader, const toml::table& table, Config& config)
{
    constexpr std::string_view where = "[returns.delivery]";
    if (auto unknown =
            reader.unknownKey(table, {"max_attempts", "backoff_ms", "backoff_max_ms", "timeout_ms"}, where)) {
        return std::unexpected(*unknown);
    }
    const std::pair<std::string_view, int*> keys[] = {{"max_attempts", &config.delivery.maxAttempts},
                                                      {"backoff_ms", &config.delivery.backoffMs},
                                                      {"backoff_max_ms", &config.delivery.backoffMaxMs},
                                                      {"timeout_ms", &config.delivery.timeoutMs}};
    for (const auto& [key, target] : keys) {
        auto value = reader.optInteger(table, key, where);
        if (!value) {
            return std::unexpected(value.error());
        }
        if (*value) {
            if (**value < 1 || **value > 86'400'000) {
                return std::unexpected(
                    reader.at(table.get(key)->source(), std::string(key) + " in " + std::string(where) +
                                                            " must be within 1..86400000"));
            }
            *target = static_cast<int>(**value);
        }
    }
    return {};
}

} // namespace

SourceResult<void> readOutcomeSections(const TomlReader& reader, const toml::table& returns,
                                       const std::filesystem::path& file, Config& config)
{
    using Reader =
        SourceResult<void> (*)(const TomlReader&, const toml::table&, const std::filesystem::path&, Config&);
    const std::pair<std::string_view, Reader> sections[] = {
        {"refunds", readRefunds}, {"stock", readStock}, {"messages", readMessages}};
    for (const auto& [name, read] : sections) {
        auto table = reader.optTable(returns, name, "[returns]");
        if (!table) {
            return std::unexpected(table.error());
        }
        if (*table != nullptr) {
            if (auto ok = read(reader, **table, file, config); !ok) {
                return ok;
            }
        }
    }
    auto delivery = reader.optTable(returns, "delivery", "[returns]");
    if (!delivery) {
        return std::unexpected(delivery.error());
    }
    if (*delivery != nullptr) {
        return readDelivery(reader, **delivery, config);
    }
    return {};
}

} // namespace retour::central
