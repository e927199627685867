#include "workflow/rma.h"

#include "workflow/gtin.h"
#include "workflow/records.h"

#include <algorithm>
#include <limits>

namespace retour::station {

namespace {

void addIfNotEmpty(std::vector<std::pair<RmaKey, std::string>>& keys, RmaKey key, const std::string& value)
{
    if (!value.empty()) {
        keys.emplace_back(key, value);
    }
}

} // namespace

Rma fromContract(const sync::RmaDocument& document)
{
    Rma rma;
    rma.rmaId = document.rmaId;
    rma.site = document.site;
    rma.channel = document.channel;
    rma.state = document.state;
    rma.orderId = document.orderId.value_or("");
    rma.customer = document.customer.value_or("");
    rma.tracking = document.tracking;
    rma.labelBarcode = document.labelBarcode.empty() ? document.rmaId : document.labelBarcode;
    rma.tradeInValue = document.tradeInValue;
    for (const auto& from : document.lines) {
        RmaLine line;
        line.lineId = from.lineId;
        line.sku = from.sku;
        line.gtin = from.gtin.value_or("");
        line.description = from.description.value_or("");
        line.category = from.category.empty() ? "generic" : from.category;
        line.quantity =
            static_cast<int>(std::min<std::int64_t>(from.quantity, std::numeric_limits<int>::max()));
        line.unitPrice = from.unitPrice;
        line.expectedWeightG = from.expectedWeightG;
        line.serials = from.serials.value_or(std::vector<std::string>{});
        line.reason = from.reason.value_or("");
        rma.lines.push_back(std::move(line));
    }
    return rma;
}

sync::RmaDocument toContract(const Rma& rma)
{
    sync::RmaDocument document;
    document.rmaId = rma.rmaId;
    document.site = rma.site;
    document.channel = rma.channel;
    document.state = rma.state;
    document.orderId = unlessEmpty(rma.orderId);
    document.customer = unlessEmpty(rma.customer);
    document.tracking = rma.tracking;
    document.labelBarcode = rma.labelBarcode;
    document.tradeInValue = rma.tradeInValue;
    for (const auto& line : rma.lines) {
        document.lines.push_back({line.lineId, line.sku, unlessEmpty(line.gtin), line.description,
                                  line.category, line.quantity, line.unitPrice, line.expectedWeightG,
                                  line.serials, unlessEmpty(line.reason)});
    }
    return document;
}

Result<Rma> parseRma(std::string_view payload)
{
    auto document = sync::decodeRma(payload);
    if (!document) {
        return std::unexpected(Error{ErrorCode::Invalid, "RMA message: " + document.error().message});
    }
    return fromContract(*document);
}

nlohmann::json toJson(const Rma& rma)
{
    return sync::toJson(toContract(rma));
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
