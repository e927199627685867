#pragma once

#include "delivery/delivery.h"

#include <chrono>
#include <memory>
#include <string>

namespace retour::central {

// Hands one delivery to its receiver and says what came of it. Blocking: called only by
// DeliveryWorker's thread.
class Sender
{
public:
    virtual ~Sender() = default;
    virtual Attempt send(const Delivery& delivery) = 0;
};

struct CurlSenderOptions
{
    std::chrono::milliseconds connectTimeout{std::chrono::seconds(3)};
    std::chrono::milliseconds timeout{std::chrono::seconds(10)}; // whole transfer
    std::string mailFrom;                                        // SMTP MAIL FROM
    std::string bearerToken; // optional "Authorization: Bearer" for the HTTP receivers
};

// libcurl: transport "http" is POST of the JSON body with Content-Type application/json and
// Idempotency-Key = the delivery's key (draft-ietf-httpapi-idempotency-key-header); transport
// "smtp" is MAIL FROM / RCPT TO / DATA of the body (an RFC 5322 message) to an smtp:// URL.
// A transport error (refused, timeout, DNS) is Retry; an HTTP status is classifyHttpStatus; an
// SMTP 4xx reply is Retry and a 5xx reply is Failed (RFC 5321 §4.2.1).
// Thread contract: thread-bound (one easy handle per send; used by the worker only).
std::unique_ptr<Sender> makeCurlSender(CurlSenderOptions options);

} // namespace retour::central
