#pragma once

// The RMA document (docs/schemas/rma.json): an expected return, published by central retained on
// topics::rma (an empty payload = closed) and answered to lookups (LookupResponse::matches).

#include "retour/contract/error.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::sync {

struct RmaDocument
{
    struct Line
    {
        std::string lineId;
        std::string sku;
        std::optional<std::string> gtin;
        std::optional<std::string> description; // absent: not written
        std::string category;
        std::int64_t quantity = 1;
        std::optional<double> unitPrice;
        std::optional<double> expectedWeightG;
        std::optional<std::vector<std::string>> serials; // absent: not written
        std::optional<std::string> reason;
    };
    std::string rmaId;
    std::string site;
    std::string channel; // portal | customer_service | store | preprinted | unannounced | tradein
    std::string state;
    std::optional<std::string> orderId, customer, tracking;
    std::string labelBarcode;
    std::optional<double> tradeInValue;
    std::vector<Line> lines;
};

// Pure and reentrant.
std::string encodeRma(const RmaDocument& rma);
// The same document as JSON (central's HTTP API adds its own fields to it).
nlohmann::json toJson(const RmaDocument& rma);
// Accepted iff the body satisfies docs/schemas/rma.json (within kMaxPayloadBytes and
// kMaxJsonDepth); the error names the field.
Result<RmaDocument> decodeRma(std::string_view payload);

} // namespace retour::sync
