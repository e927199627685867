#pragma once

#include "workflow/records.h"

#include <cstddef>
#include <optional>
#include <string>
#include <variant>

namespace retour::station {

// What reaches the workflow (workflow.h): the operator's scans (operator_input.h commands
// included), the scale, and the answers of the camera and the store to its effects (effects.h).

struct ScanInput
{
    std::string text;
    std::string symbology;
};

struct WeightInput
{
    double grams = 0;
    bool stable = false;
};

// A capture requested by CapturePhoto finished: photo set, or failure says why not.
struct PhotoResult
{
    std::string inspectionId;
    std::string view;
    std::optional<PhotoRef> photo;
    std::string failure;
};

// The store's answer to CommitInspection.
struct CommitResult
{
    std::string inspectionId;
    bool ok = false;
    std::string error;
};

struct DeviceAvailability
{
    enum class Device
    {
        Scale,
        Camera
    };
    Device device = Device::Scale;
    bool available = false;
};

// The store's answer to VoidInspection.
struct VoidResult
{
    std::string inspectionId;
    bool ok = false;
    std::string error;
};

// The store could not write effect number `effect` of the workflow's last answer, and the effects
// after it were not executed. The workflow goes back to where it was before the event that asked
// for the write, drops the scans that waited meanwhile, and tells the operator: nothing goes on as
// if it had been saved. (CommitInspection and VoidInspection answer with CommitResult and
// VoidResult instead, failure included.)
struct StoreFailed
{
    std::size_t effect = 0;
    std::string error; // what was not saved and why, for the operator
};

using WorkflowEvent = std::variant<ScanInput, WeightInput, PhotoResult, CommitResult, DeviceAvailability,
                                   VoidResult, StoreFailed>;

} // namespace retour::station
