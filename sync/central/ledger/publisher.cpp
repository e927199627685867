// Retained RMA documents for the stations' caches (docs/messages.md "Downlink").
#include "ledger/publisher.h"

#include "ledger/try.h"
#include "retour/contract/message.h"

namespace retour::central {

namespace {

template <class T> nlohmann::json orNull(const std::optional<T>& value)
{
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

} // namespace

bool isOpen(const Return& ret)
{
    switch (ret.state) {
    case ReturnState::Requested: // not authorised (yet): no bench should expect it
    case ReturnState::Rejected:
    case ReturnState::Closed:
    case ReturnState::Cancelled:
    case ReturnState::Expired:
        return false;
    default:
        return ret.channel != "unannounced";
    }
}

nlohmann::json rmaDocument(std::string_view site, const Return& ret)
{
    nlohmann::json lines = nlohmann::json::array();
    for (const ReturnLine& line : ret.lines) {
        lines.push_back({
            {"line_id", line.lineId},
            {"sku", line.sku},
            {"gtin", orNull(line.gtin)},
            {"description", line.description},
            {"category", line.category},
            {"quantity", line.quantity},
            {"unit_price", orNull(line.unitPrice)},
            {"expected_weight_g", orNull(line.expectedWeightG)},
            {"serials", line.serials},
            {"reason", orNull(line.reason)},
        });
    }
    return {
        {"schema", "retour.rma"},
        {"version", 1},
        {"rma_id", ret.rmaId},
        {"site", site},
        {"channel", ret.channel},
        {"state", toString(ret.state)},
        {"order_id", orNull(ret.orderId)},
        {"customer", orNull(ret.customer)},
        {"tracking", orNull(ret.tracking)},
        {"label_barcode", ret.labelBarcode},
        {"trade_in_value", orNull(ret.tradeInValue)},
        {"lines", std::move(lines)},
    };
}

Result<void> Publisher::publish(const Return& ret)
{
    const std::string payload =
        rmaDocument(site_, ret).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    CENTRAL_TRY(publish_(sync::topics::rma(site_, ret.rmaId), payload, 1, true));
    return {};
}

Result<void> Publisher::remove(std::string_view rmaId)
{
    CENTRAL_TRY(publish_(sync::topics::rma(site_, rmaId), "", 1, true));
    return {};
}

Result<void> Publisher::update(const Return& ret)
{
    if (isOpen(ret)) {
        return publish(ret);
    }
    if (ret.channel == "unannounced") {
        return {}; // never published
    }
    return remove(ret.rmaId);
}

Result<std::size_t> Publisher::publishOpen(Store& store)
{
    CENTRAL_TRY_ASSIGN(all, store.returns());
    std::size_t count = 0;
    for (const Return& ret : all) {
        if (!isOpen(ret)) {
            continue;
        }
        CENTRAL_TRY(publish(ret));
        ++count;
    }
    return count;
}

} // namespace retour::central
