#include "workflow/rma.h"

#include "workflow/gtin.h"

#include <algorithm>

namespace retour::station {

namespace {

using nlohmann::json;

Error invalid(const std::string& what)
{
    return Error{ErrorCode::Invalid, "RMA message: " + what};
}

Result<std::string> requiredString(const json& object, const char* key, const std::string& where)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
        return std::unexpected(invalid(where + "\"" + key + "\" must be a non-empty string"));
    }
    return it->get<std::string>();
}

Result<std::optional<std::string>> optionalString(const json& object, const char* key,
                                                  const std::string& where)
{
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return std::optional<std::string>{};
    }
    if (!it->is_string()) {
        return std::unexpected(invalid(where + "\"" + key + "\" must be a string or null"));
    }
    return std::optional<std::string>{it->get<std::string>()};
}

Result<std::optional<double>> optionalNumber(const json& object, const char* key, const std::string& where)
{
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return std::optional<double>{};
    }
    if (!it->is_number()) {
        return std::unexpected(invalid(where + "\"" + key + "\" must be a number or null"));
    }
    return std::optional<double>{it->get<double>()};
}

Result<RmaLine> lineFromJson(const json& object, std::size_t index)
{
    const std::string where = "lines[" + std::to_string(index) + "].";
    if (!object.is_object()) {
        return std::unexpected(invalid(where + " must be an object"));
    }
    RmaLine line;
    auto lineId = requiredString(object, "line_id", where);
    auto sku = requiredString(object, "sku", where);
    if (!lineId || !sku) {
        return std::unexpected(lineId ? sku.error() : lineId.error());
    }
    line.lineId = *lineId;
    line.sku = *sku;
    for (auto [key, target] : {std::pair{"gtin", &line.gtin}, std::pair{"description", &line.description},
                               std::pair{"category", &line.category}, std::pair{"reason", &line.reason}}) {
        auto value = optionalString(object, key, where);
        if (!value) {
            return std::unexpected(value.error());
        }
        *target = value->value_or("");
    }
    if (line.category.empty()) {
        line.category = "generic";
    }
    if (const auto it = object.find("quantity"); it != object.end()) {
        if (!it->is_number_integer() || it->get<int>() < 1) {
            return std::unexpected(invalid(where + "\"quantity\" must be an integer >= 1"));
        }
        line.quantity = it->get<int>();
    }
    auto price = optionalNumber(object, "unit_price", where);
    auto weight = optionalNumber(object, "expected_weight_g", where);
    if (!price || !weight) {
        return std::unexpected(price ? weight.error() : price.error());
    }
    line.unitPrice = *price;
    line.expectedWeightG = *weight;
    if (const auto it = object.find("serials"); it != object.end() && !it->is_null()) {
        if (!it->is_array()) {
            return std::unexpected(invalid(where + "\"serials\" must be an array of strings"));
        }
        for (const auto& serial : *it) {
            if (!serial.is_string()) {
                return std::unexpected(invalid(where + "\"serials\" must be an array of strings"));
            }
            line.serials.push_back(serial.get<std::string>());
        }
    }
    return line;
}

void addIfNotEmpty(std::vector<std::pair<RmaKey, std::string>>& keys, RmaKey key, const std::string& value)
{
    if (!value.empty()) {
        keys.emplace_back(key, value);
    }
}

} // namespace

Result<Rma> parseRma(std::string_view payload)
{
    json body = json::parse(payload, nullptr, false);
    if (body.is_discarded()) {
        return std::unexpected(invalid("not valid JSON"));
    }
    return rmaFromJson(body);
}

Result<Rma> rmaFromJson(const json& body)
{
    if (!body.is_object()) {
        return std::unexpected(invalid("the body must be a JSON object"));
    }
    if (body.value("schema", "") != "retour.rma") {
        return std::unexpected(invalid("\"schema\" must be \"retour.rma\""));
    }
    if (!body.contains("version") || !body["version"].is_number_integer() ||
        body["version"].get<int>() != 1) {
        return std::unexpected(invalid("unsupported \"version\" (this station reads version 1)"));
    }
    Rma rma;
    auto id = requiredString(body, "rma_id", "");
    auto channel = requiredString(body, "channel", "");
    if (!id || !channel) {
        return std::unexpected(id ? channel.error() : id.error());
    }
    rma.rmaId = *id;
    rma.channel = *channel;
    for (auto [key, target] :
         {std::pair{"site", &rma.site}, std::pair{"state", &rma.state}, std::pair{"order_id", &rma.orderId},
          std::pair{"customer", &rma.customer}, std::pair{"label_barcode", &rma.labelBarcode}}) {
        auto value = optionalString(body, key, "");
        if (!value) {
            return std::unexpected(value.error());
        }
        *target = value->value_or("");
    }
    if (rma.labelBarcode.empty()) {
        rma.labelBarcode = rma.rmaId;
    }
    auto tracking = optionalString(body, "tracking", "");
    auto tradeIn = optionalNumber(body, "trade_in_value", "");
    if (!tracking || !tradeIn) {
        return std::unexpected(tracking ? tradeIn.error() : tracking.error());
    }
    rma.tracking = *tracking;
    rma.tradeInValue = *tradeIn;
    const auto lines = body.find("lines");
    if (lines == body.end() || !lines->is_array()) {
        return std::unexpected(invalid("\"lines\" must be an array"));
    }
    for (std::size_t i = 0; i < lines->size(); ++i) {
        auto line = lineFromJson((*lines)[i], i);
        if (!line) {
            return std::unexpected(line.error());
        }
        rma.lines.push_back(std::move(*line));
    }
    return rma;
}

json toJson(const Rma& rma)
{
    json lines = json::array();
    for (const auto& line : rma.lines) {
        lines.push_back(
            {{"line_id", line.lineId},
             {"sku", line.sku},
             {"gtin", line.gtin},
             {"description", line.description},
             {"category", line.category},
             {"quantity", line.quantity},
             {"unit_price", line.unitPrice ? json(*line.unitPrice) : json(nullptr)},
             {"expected_weight_g", line.expectedWeightG ? json(*line.expectedWeightG) : json(nullptr)},
             {"serials", line.serials},
             {"reason", line.reason}});
    }
    return {{"schema", "retour.rma"},
            {"version", 1},
            {"rma_id", rma.rmaId},
            {"site", rma.site},
            {"channel", rma.channel},
            {"state", rma.state},
            {"order_id", rma.orderId},
            {"customer", rma.customer},
            {"tracking", rma.tracking ? json(*rma.tracking) : json(nullptr)},
            {"label_barcode", rma.labelBarcode},
            {"trade_in_value", rma.tradeInValue ? json(*rma.tradeInValue) : json(nullptr)},
            {"lines", std::move(lines)}};
}

const char* toString(RmaKey key)
{
    switch (key) {
    case RmaKey::LabelBarcode:
        return "label_barcode";
    case RmaKey::Tracking:
        return "tracking";
    case RmaKey::OrderId:
        return "order_id";
    case RmaKey::Gtin:
        return "gtin";
    case RmaKey::Serial:
        return "serial";
    }
    return "?";
}

std::vector<std::pair<RmaKey, std::string>> lookupKeys(const Rma& rma)
{
    std::vector<std::pair<RmaKey, std::string>> keys;
    addIfNotEmpty(keys, RmaKey::LabelBarcode, rma.labelBarcode);
    if (rma.rmaId != rma.labelBarcode) {
        addIfNotEmpty(keys, RmaKey::LabelBarcode, rma.rmaId);
    }
    if (rma.tracking) {
        addIfNotEmpty(keys, RmaKey::Tracking, *rma.tracking);
    }
    addIfNotEmpty(keys, RmaKey::OrderId, rma.orderId);
    for (const auto& line : rma.lines) {
        if (auto gtin = normalizeGtin(line.gtin)) {
            keys.emplace_back(RmaKey::Gtin, *gtin);
        }
        for (const auto& serial : line.serials) {
            addIfNotEmpty(keys, RmaKey::Serial, serial);
        }
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
}

void MemoryRmaDirectory::put(Rma rma)
{
    auto id = rma.rmaId;
    rmas_.insert_or_assign(std::move(id), std::move(rma));
}

void MemoryRmaDirectory::remove(const std::string& rmaId)
{
    rmas_.erase(rmaId);
}

std::vector<Rma> MemoryRmaDirectory::find(RmaKey key, std::string_view value) const
{
    std::vector<Rma> found;
    for (const auto& [id, rma] : rmas_) {
        const auto keys = lookupKeys(rma);
        if (std::any_of(keys.begin(), keys.end(),
                        [&](const auto& k) { return k.first == key && k.second == value; })) {
            found.push_back(rma);
        }
    }
    return found;
}

} // namespace retour::station
