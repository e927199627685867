// Retained RMA documents for the stations' caches (docs/messages.md "Downlink").
#include "ledger/publisher.h"

#include "ledger/try.h"
#include "retour/contract/message.h"

namespace retour::central {

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

sync::RmaDocument rmaDocument(std::string_view site, const Return& ret)
{
    sync::RmaDocument document;
    document.rmaId = ret.rmaId;
    document.site = std::string(site);
    document.channel = ret.channel;
    document.state = toString(ret.state);
    document.orderId = ret.orderId;
    document.customer = ret.customer;
    document.tracking = ret.tracking;
    document.labelBarcode = ret.labelBarcode;
    document.tradeInValue = ret.tradeInValue;
    for (const ReturnLine& line : ret.lines) {
        document.lines.push_back({line.lineId, line.sku, line.gtin, line.description, line.category,
                                  line.quantity, line.unitPrice, line.expectedWeightG, line.serials,
                                  line.reason});
    }
    return document;
}

Result<void> Publisher::publish(const Return& ret)
{
    const std::string payload = sync::encodeRma(rmaDocument(site_, ret));
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
