#pragma once

// Pieces the contract's codecs share (not installed).

#include "fields.h"
#include "retour/contract/events.h"
#include "retour/contract/rma.h"

#include <nlohmann/json.hpp>
#include <optional>

namespace retour::sync::detail {

// The envelope of an event body (envelope.json), its data as JSON.
Result<Envelope> readEnvelope(const json& doc);

// rma.json, read from an object (a retained body or a lookup match) and written.
RmaDocument readRma(Fields& rma);
json writeRma(const RmaDocument& rma);

// inspection.completed.json "data".
InspectionCompleted readInspectionCompleted(Fields& data);
json writeInspectionCompleted(const InspectionCompleted& data);

// A nullable value: null when unset.
template <class T> json orNull(const std::optional<T>& value)
{
    return value ? json(*value) : json(nullptr);
}

// An optional member: written only when set.
template <class T> void putIfSet(json& object, const char* key, const std::optional<T>& value)
{
    if (value) {
        object[key] = *value;
    }
}

} // namespace retour::sync::detail
