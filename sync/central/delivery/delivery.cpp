// The delivery outbox's pure rules (see delivery.h).
#include "delivery/delivery.h"

#include "retour/base/retry.h"


namespace retour::central {

std::string_view toString(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Done:
        return "done";
    case Verdict::Retry:
        return "retry";
    case Verdict::Failed:
        return "failed";
    }
    return "failed";
}

Verdict classifyHttpStatus(long status)
{
    if (status >= 200 && status < 300) {
        return Verdict::Done;
    }
    // RFC 9110 §15.5.9 (408), RFC 8470 (425), RFC 6585 §4 (429), §15.6 (5xx): transient.
    if (status == 408 || status == 425 || status == 429 || (status >= 500 && status < 600)) {
        return Verdict::Retry;
    }
    return Verdict::Failed;
}

std::chrono::milliseconds backoff(const RetryPolicy& policy, std::int64_t attempts)
{
    return base::backoffDelay({.initial = policy.base, .max = policy.max, .jitter = 0.0}, attempts);
}

} // namespace retour::central
