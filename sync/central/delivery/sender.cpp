// libcurl transport of the delivery outbox (see sender.h).
#include "delivery/sender.h"

#include <curl/curl.h>
#include <memory>

namespace retour::central {

namespace {

struct EasyDeleter
{
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct ListDeleter
{
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out)
{
    auto* text = static_cast<std::string*>(out);
    constexpr std::size_t kMaxKept = 64 * 1024; // a receiver's answer is kept for staff, not stored whole
    const std::size_t n = size * count;
    if (text->size() < kMaxKept) {
        text->append(data, std::min(n, kMaxKept - text->size()));
    }
    return n;
}

// The upload side of an SMTP DATA: the body, in pieces.
struct Upload
{
    const std::string* body;
    std::size_t offset = 0;
};

std::size_t supply(char* buffer, std::size_t size, std::size_t count, void* in)
{
    auto* upload = static_cast<Upload*>(in);
    const std::size_t left = upload->body->size() - upload->offset;
    const std::size_t n = std::min(left, size * count);
    upload->body->copy(buffer, n, upload->offset);
    upload->offset += n;
    return n;
}

class CurlSender final : public Sender
{
public:
    explicit CurlSender(CurlSenderOptions options) : options_(std::move(options)) {}

    Attempt send(const Delivery& delivery) override
    {
        std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
        if (!curl) {
            return {Verdict::Retry, "curl_easy_init failed", {}};
        }
        char errorBuffer[CURL_ERROR_SIZE] = {};
        std::string response;
        curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, errorBuffer);
        curl_easy_setopt(curl.get(), CURLOPT_URL, delivery.target.c_str());
        curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(options_.connectTimeout.count()));
        curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
        curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &response);
        std::unique_ptr<curl_slist, ListDeleter> list;
        Upload upload{&delivery.body};
        if (delivery.transport == "smtp") {
            curl_easy_setopt(curl.get(), CURLOPT_MAIL_FROM, ("<" + options_.mailFrom + ">").c_str());
            list.reset(curl_slist_append(nullptr, ("<" + delivery.recipient.value_or("") + ">").c_str()));
            curl_easy_setopt(curl.get(), CURLOPT_MAIL_RCPT, list.get());
            curl_easy_setopt(curl.get(), CURLOPT_READFUNCTION, supply);
            curl_easy_setopt(curl.get(), CURLOPT_READDATA, &upload);
            curl_easy_setopt(curl.get(), CURLOPT_UPLOAD, 1L);
        } else {
            curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
            headers = curl_slist_append(headers, ("Idempotency-Key: " + delivery.key).c_str());
            if (!options_.bearerToken.empty()) {
                headers =
                    curl_slist_append(headers, ("Authorization: Bearer " + options_.bearerToken).c_str());
            }
            list.reset(headers);
            curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, list.get());
            curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, delivery.body.c_str());
            curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(delivery.body.size()));
        }
        const CURLcode code = curl_easy_perform(curl.get());
        long status = 0;
        curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
        if (delivery.transport == "smtp") {
            if (code == CURLE_OK) {
                return {Verdict::Done, "SMTP " + std::to_string(status), response};
            }
            const std::string detail = std::string(curl_easy_strerror(code)) +
                                       (errorBuffer[0] != '\0' ? std::string(": ") + errorBuffer : "");
            // RFC 5321 §4.2.1: 5yz is a permanent refusal, everything else may pass later.
            return {status >= 500 && status < 600 ? Verdict::Failed : Verdict::Retry,
                    "SMTP " + std::to_string(status) + ": " + detail,
                    {}};
        }
        if (code != CURLE_OK) {
            return {Verdict::Retry,
                    std::string(curl_easy_strerror(code)) +
                        (errorBuffer[0] != '\0' ? std::string(": ") + errorBuffer : ""),
                    {}};
        }
        return {classifyHttpStatus(status), "HTTP " + std::to_string(status), response};
    }

private:
    CurlSenderOptions options_;
};

} // namespace

std::unique_ptr<Sender> makeCurlSender(CurlSenderOptions options)
{
    return std::make_unique<CurlSender>(std::move(options));
}

} // namespace retour::central
