#pragma once

#include "ledger/error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::central {

struct KeyCount
{
    std::string key;
    std::int64_t count = 0;
};

struct ReasonCount
{
    std::string reason; // "(none)" when the customer gave none
    std::int64_t lines = 0, units = 0;
};

// Units of a SKU ordered (every order imported) and returned (returns not cancelled, rejected or
// expired).
struct SkuReturns
{
    std::string sku;
    std::int64_t ordered = 0, returned = 0;
};

// An inspection with what its return's line expected, for the recovery, fraud and throughput
// figures.
struct InspectionFacts
{
    std::string inspectionId, rmaId, station;
    std::string operatorId; // "" when none signed in
    std::string at;         // confirmed, or else the event's time
    std::string dispositionCode, weightResult;
    std::vector<std::string> findings;
    std::optional<std::string> itemSerial;
    double unitPrice = 0;                    // the line's price, 0 when unknown
    std::vector<std::string> shippedSerials; // the line's serials
    std::optional<std::string> lineSku, itemSku;
};

struct RefundTotal
{
    std::string state;
    std::int64_t count = 0, amountCents = 0;
};

// The figures the returns reports are drawn from. `since` (RFC 3339; empty: everything) limits
// returns to those created, inspections to those whose event occurred and refunds to those
// decided at or after it. Every operation can fail with ErrorCode::Database.
//
// Thread contract: thread-bound (its Storage's thread).
class ReportStore
{
public:
    virtual ~ReportStore() = default;

    // By key.
    virtual Result<std::vector<KeyCount>> returnsByChannel(std::string_view since) = 0;
    virtual Result<std::vector<KeyCount>> returnsByState(std::string_view since) = 0;
    // Most units first, then by reason.
    virtual Result<std::vector<ReasonCount>> reasons(std::string_view since) = 0;
    // Every SKU ordered, by SKU.
    virtual Result<std::vector<SkuReturns>> returnsBySku(std::string_view since) = 0;
    // Inspections by grade and by disposition code, by key.
    virtual Result<std::vector<KeyCount>> inspectionsByGrade(std::string_view since) = 0;
    virtual Result<std::vector<KeyCount>> inspectionsByDisposition(std::string_view since) = 0;
    // Oldest first.
    virtual Result<std::vector<InspectionFacts>> inspectionFacts(std::string_view since) = 0;
    // By state.
    virtual Result<std::vector<RefundTotal>> refundTotals(std::string_view since) = 0;
};

} // namespace retour::central
