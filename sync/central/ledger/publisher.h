#pragma once

#include "ledger/error.h"
#include "ledger/model.h"
#include "retour/contract/rma.h"
#include "storage/store.h"

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace retour::central {

// The RMA document stations cache (docs/messages.md "Downlink: expected returns"). Pure.
sync::RmaDocument rmaDocument(std::string_view site, const Return& ret);

// A return stations should hold in their cache: a return from an RMA channel that is authorised
// and not yet settled (not requested, rejected, closed, cancelled or expired). Unannounced returns are not:
// they are central's record of parcels that have already arrived, and a bench holding one could match a later
// parcel with the same item to it.
bool isOpen(const Return& ret);

// Publishes RMAs retained at QoS 1 on topics::rma through `publish` (MqttSession::publish in the
// service, a recorder in tests).
//
// Thread contract: thread-bound (the central loop).
class Publisher
{
public:
    using PublishFn = std::function<Result<int>(const std::string& topic, const std::string& payload, int qos,
                                                bool retain)>;

    Publisher(std::string site, PublishFn publish) : site_(std::move(site)), publish_(std::move(publish)) {}

    // Publish one return's document, open or not.
    Result<void> publish(const Return& ret);
    // The empty retained payload: stations drop the RMA from their cache.
    Result<void> remove(std::string_view rmaId);
    // publish() when the return is open, remove() when it was published once and is no longer.
    Result<void> update(const Return& ret);
    // Every open return; returns how many were published. Stops at the first refusal.
    Result<std::size_t> publishOpen(Store& store);

private:
    std::string site_;
    PublishFn publish_;
};

} // namespace retour::central
