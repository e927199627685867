#pragma once

// One decoder and encoder per message kind of the contract, by the name of its JSON Schema
// (docs/schemas/<kind>.json): what the golden and mutation tests run every body through.

#include "retour/contract/events.h"
#include "retour/contract/message.h"
#include "retour/contract/rma.h"
#include "retour/contract/status.h"

#include <array>
#include <string>
#include <string_view>

namespace retour::sync::test {

inline constexpr std::array<std::string_view, 12> kKinds{"parcel.received",
                                                         "inspection.completed",
                                                         "inspection.voided",
                                                         "label.printed",
                                                         "parcel.closed",
                                                         "restock.completed",
                                                         "ack",
                                                         "rma",
                                                         "lookup_request",
                                                         "lookup_response",
                                                         "status",
                                                         "central_status"};

// The body decoded as `kind` and encoded again; the decoder's error when it refuses the body.
inline Result<std::string> roundTrip(std::string_view kind, std::string_view payload)
{
    auto again = [](const auto& decoded, auto encode) -> Result<std::string> {
        if (!decoded) {
            return std::unexpected(decoded.error());
        }
        return encode(*decoded);
    };
    if (isKnownEventType(kind)) {
        auto event = decodeEvent(payload);
        if (event && event->envelope.type != kind) {
            return std::unexpected(Error{ErrorCode::Unsupported, "a " + event->envelope.type + " event"});
        }
        return again(event, [](const Event& e) { return encodeEvent(e.envelope, e.data); });
    }
    if (kind == "ack") {
        return again(decodeAck(payload), [](const auto& ids) { return encodeAck(ids); });
    }
    if (kind == "rma") {
        return again(decodeRma(payload), [](const auto& rma) { return encodeRma(rma); });
    }
    if (kind == "lookup_request") {
        return again(decodeLookupRequest(payload), [](const auto& r) { return encodeLookupRequest(r); });
    }
    if (kind == "lookup_response") {
        return again(decodeLookupResponse(payload), [](const auto& r) { return encodeLookupResponse(r); });
    }
    if (kind == "status") {
        return again(decodeStationStatus(payload), [](const auto& s) { return encodeStationStatus(s); });
    }
    if (kind == "central_status") {
        return again(decodeCentralStatus(payload), [](const auto& s) { return encodeCentralStatus(s); });
    }
    return std::unexpected(Error{ErrorCode::Unsupported, "no message kind " + std::string(kind)});
}

} // namespace retour::sync::test
