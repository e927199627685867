#pragma once

#include "retour/contract/events.h"
#include "rules/rules.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace retour::station {

// The domain records the workflow produces and the store keeps; their JSON is the `data` of the
// business events (docs/messages.md "Uplink: business events").

struct Parcel
{
    std::string parcelId; // UUIDv7
    std::optional<std::string> rmaId;
    std::string channel;      // the RMA's channel, "unannounced" without one
    std::string identifiedBy; // rma_label | preprinted_label | tracking | order | item | unannounced
    std::string scanned;
    std::string operatorId;
    std::string receivedAt;
    // The pre-printed return label's text when the parcel was identified by one (identified_by
    // preprinted_label); with no rmaId the return was created at the bench from it. Last, with a
    // default, so that aggregate initialisations without it stay complete.
    std::optional<std::string> label = std::nullopt;
};
// parcel.received (retour/contract/events.h), and its data as JSON.
// Absent (nullopt) for "": the station keeps a missing text as "", the contract as an absent or
// null member.
std::optional<std::string> unlessEmpty(const std::string& text);

sync::ParcelReceived toContract(const Parcel& parcel);
nlohmann::json toEventData(const Parcel& parcel);

struct ItemInfo
{
    std::string sku;
    std::string gtin;
    std::string serial;
    std::string category = "generic";
    std::string description;
};

struct WeightCheck
{
    std::optional<double> measuredG;
    std::optional<double> expectedG;
    double toleranceG = 0;
    std::string result = "not_checked"; // ok | mismatch | not_checked
};

struct PhotoRef
{
    std::string sha256;
    std::string view;
    std::size_t bytes = 0;
    int width = 0;
    int height = 0;
    // The quality gate (vision/photo_quality.h): scores, and why the photo should be retaken
    // (empty = accepted). Kept with the photo in the store; not part of the event.
    std::optional<double> focus = std::nullopt;
    std::optional<double> clipped = std::nullopt;
    std::optional<double> crushed = std::nullopt;
    std::optional<double> change = std::nullopt;
    std::string retakeReason = {};
};

struct GradeResult
{
    int function = 0;
    char cosmetic = 'A';
    char grade = 'A';
};

// The operator replaced the grade the table gave (CMD:OVERRIDE); the original is kept.
struct GradeOverride
{
    char tableGrade = 'A';
    std::string reason;
    std::string operatorId;
};

// One checklist answer (config/rules/checklists.toml); finding is set when the answer raised one.
struct ChecklistAnswer
{
    std::string id;
    std::string answer; // yes | no | na
    std::string finding;
};

// A photo view the operator went on without (CMD:SKIPPHOTO).
struct SkippedPhoto
{
    std::string view;
    std::string reason;
};

struct TradeIn
{
    double provisionalValue = 0;
    double factor = 0;
    double value = 0;
};

struct Inspection
{
    std::string inspectionId;
    std::string parcelId;
    std::optional<std::string> rmaId;
    std::optional<std::string> lineId;
    std::string channel;
    std::string identifiedBy;
    ItemInfo item;
    WeightCheck weight;
    std::vector<PhotoRef> photos;
    std::optional<std::string> photoMissingReason;
    std::vector<std::string> findings;
    GradeResult grade;
    std::optional<GradeOverride> gradeOverride;
    std::vector<ChecklistAnswer> checklist;
    std::vector<SkippedPhoto> skippedPhotos;
    Decision disposition;
    std::optional<TradeIn> tradeIn;
    std::optional<GradeTerms> gradeTerms; // the grade in retailer, Amazon, eBay and CTIA terms
    std::string lpn;
    std::string operatorId;
    std::string confirmedAt;
};
// inspection.completed (retour/contract/events.h), and its data as JSON.
sync::InspectionCompleted toContract(const Inspection& inspection);
nlohmann::json toEventData(const Inspection& inspection);

// What the store knows about an LPN this bench printed (Store::findLpn): the item, its inspection
// and the parcel it belongs to.
struct LpnInfo
{
    std::string lpn;
    std::string inspectionId;
    std::string parcelId;
    std::optional<std::string> rmaId;
    std::string sku;
    std::string description;
    std::string grade;
    std::string disposition;
    std::string location;
    std::optional<std::string> parcelClosedAt; // null while the parcel is open
    bool voided = false;
    std::string gtin = {};

    // The item in words: its description, else its SKU, else its GTIN.
    std::string itemName() const
    {
        return !description.empty() ? description : !sku.empty() ? sku : "item " + gtin;
    }
};

// A label job for an inspected item; the job id is the printer's idempotency key.
struct LabelRecord
{
    std::string jobId;
    std::string inspectionId;
    std::string lpn;
    std::string zpl;
};

} // namespace retour::station
