#pragma once

// A station's status document (docs/schemas/status.json), retained on topics::status; the MQTT
// will says offline. Central's own status is CentralStatus (message.h).

#include "retour/contract/error.h"

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace retour::sync {

struct StationStatus
{
    // One window of counters, for the bench or one operator.
    struct Counts
    {
        std::int64_t items = 0;
        std::int64_t parcels = 0;
        double itemsPerHour = 0;
        std::map<std::string, std::int64_t> grades;
        std::map<std::string, std::int64_t> dispositions;
        // At least weight_mismatch, wrong_item, serial_mismatch, photo_skipped and override.
        std::map<std::string, std::int64_t> flags;
        std::int64_t flagged = 0;
        std::optional<std::string> firstAt, lastAt; // null when no item
    };
    struct Counters
    {
        std::string since, at;
        Counts bench;
        std::map<std::string, Counts> operators;
    };
    bool online = false;
    // Absent members are not written.
    std::optional<std::map<std::string, std::string>> devices;
    std::optional<std::int64_t> outboxPending, outboxCapacity;
    std::optional<bool> outboxAlarm;
    std::optional<Counters> counters;
};

// Pure and reentrant.
std::string encodeStationStatus(const StationStatus& status);
// The members of a status document that the bench shows too (its UI, `retour-station counters`):
// one window of counts, and the whole "counters" object.
nlohmann::json toJson(const StationStatus::Counts& counts);
nlohmann::json toJson(const StationStatus::Counters& counters);
// Accepted iff the body satisfies docs/schemas/status.json; the error names the field.
Result<StationStatus> decodeStationStatus(std::string_view payload);

} // namespace retour::sync
