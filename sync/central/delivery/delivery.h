#pragma once

#include "ledger/error.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::central {

// The durable delivery outbox (DeliveryStore, table deliveries): one row per request central
// must hand to another system — a refund to the payment adapter, a stock movement to the WMS
// webhook, a customer e-mail to the SMTP relay. A row is written in the same transaction as the
// decision that caused it, then sent by DeliveryWorker on its own thread until it is done or
// failed; its `key` is the idempotency key the receiver sees (Idempotency-Key header), so a
// request resent after a timeout or a restart is harmless.
struct Delivery
{
    std::int64_t id = 0;
    std::string key;
    std::string kind;                     // refund | stock | message
    std::string transport;                // http | smtp
    std::string target;                   // http(s):// or smtp:// URL
    std::optional<std::string> recipient; // smtp: RCPT TO
    std::string body;
    std::string state = "pending"; // pending | done | failed
    std::int64_t attempts = 0;
    std::string nextAt;
    std::optional<std::string> lastError, response;
    std::string createdAt;
    std::optional<std::string> finishedAt;
};

// What one attempt came to.
enum class Verdict
{
    Done,   // accepted (2xx; SMTP 250 after DATA)
    Retry,  // worth trying again: timeout, refused connection, 408, 429, 5xx
    Failed, // refused for good: any other 4xx (the receiver's reason is kept)
};
std::string_view toString(Verdict verdict);

struct Attempt
{
    Verdict verdict = Verdict::Retry;
    std::string detail;   // "HTTP 503", "connection refused", the receiver's reason
    std::string response; // the receiver's body (HTTP)
};

// HTTP status → verdict (RFC 9110 §15): 2xx done; 408, 425, 429 and 5xx retried; other 4xx and
// anything else failed. Pure.
Verdict classifyHttpStatus(long status);

struct RetryPolicy
{
    int maxAttempts = 12; // then failed ("gave up after N attempts: <last error>")
    std::chrono::milliseconds base{500};
    std::chrono::milliseconds max{std::chrono::minutes(5)};
};

// Delay before attempt `attempts + 1` after `attempts` failed ones: base · 2^(attempts − 1),
// capped at max. Pure.
std::chrono::milliseconds backoff(const RetryPolicy& policy, std::int64_t attempts);

} // namespace retour::central
