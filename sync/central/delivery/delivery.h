#pragma once

#include "ledger/error.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::base::sqlite {
class Database;
}

namespace retour::central {

namespace sqlite {
using Database = base::sqlite::Database;
}

// The durable delivery outbox (migration 0003, table deliveries): one row per request central
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

struct DeliveryCounts
{
    std::int64_t pending = 0, done = 0, failed = 0;
};

// The deliveries table on a connection. Thread contract: thread-bound (its connection's thread;
// the central loop and the worker each have their own connection to the same file).
class DeliveryStore
{
public:
    explicit DeliveryStore(sqlite::Database& db) : db_(db) {}

    // Insert a pending row due now; false (and nothing changed) when its key is already held.
    Result<bool> enqueue(const Delivery& delivery, std::string_view now);
    // Pending rows due at `now`, oldest first.
    Result<std::vector<Delivery>> due(std::string_view now, int limit);
    // The earliest next_at of a pending row.
    Result<std::optional<std::string>> nextDue();
    // Record one attempt: done or failed (finished), or pending again at nextAt.
    Result<void> record(std::int64_t id, Verdict verdict, std::int64_t attempts, std::string_view nextAt,
                        const Attempt& attempt, std::string_view now);
    // Finished rows of `kind` whose outcome the loop has not yet applied, oldest first.
    Result<std::vector<Delivery>> unsettled(std::string_view kind);
    Result<void> markSettled(std::int64_t id);
    Result<std::optional<Delivery>> byKey(std::string_view key);
    Result<DeliveryCounts> counts(std::string_view kind);

private:
    sqlite::Database& db_;
};

} // namespace retour::central
