#pragma once

#include "app/source_error.h"

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::central {

// What returns are checked against (issue 7 "Orders and catalogue"): the retailer's catalogue and
// the orders it shipped, with the serial numbers it shipped.

struct CatalogueItem
{
    std::string sku;
    std::optional<std::string> gtin;
    std::string description;
    std::string category = "generic"; // isKnownCategory
    std::optional<double> price;
    std::optional<double> expectedWeightG; // item + packaging
    bool returnable = true;
};

struct OrderLine
{
    std::string lineId;
    std::string sku;
    std::int64_t quantity = 1;
    double unitPrice = 0;
    std::vector<std::string> serials; // shipped
};

struct Order
{
    std::string orderId;
    std::string email; // lower-case
    std::optional<std::string> customer;
    std::string orderedAt; // RFC 3339
    std::optional<std::string> deliveredAt;
    std::vector<OrderLine> lines;
};

// Every problem of a file at once (each bad row by line and column), so a person fixes them in one go.
using SourceErrors = std::vector<SourceError>;
template <class T> using ImportResult = std::expected<T, SourceErrors>;

// CSV (RFC 4180: comma, double-quoted fields, "" inside quotes; CRLF or LF) with a header row
// naming the columns in any order; unknown or missing required columns are errors.
//
// catalogue: sku, description, category [, gtin, price, expected_weight_g, returnable (true|false)]
// orders:    order_id, email, ordered_at, line_id, sku, quantity, unit_price
//            [, customer, delivered_at, serials (separated by ';')]
//            one row per order line; the order's columns repeat and must agree.
// `file` names the source in the errors. Pure.
ImportResult<std::vector<CatalogueItem>> parseCatalogueCsv(std::string_view text, std::string_view file);
ImportResult<std::vector<Order>> parseOrdersCsv(std::string_view text, std::string_view file);

// The same checks for one value (also used for the JSON import): nothing when valid, else what is
// wrong, naming the field.
std::optional<std::string> checkCatalogueItem(const CatalogueItem& item);
std::optional<std::string> checkOrder(const Order& order);

// "2026-11-26T11:29:56Z" or with milliseconds / an offset; a plain date "2026-11-26" is midnight
// UTC. Seconds since the epoch. Pure.
std::optional<std::int64_t> parseTime(std::string_view text);

} // namespace retour::central
