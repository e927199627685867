#pragma once

#include "app/error.h"
#include "retour/contract/rma.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::station {

// An expected return as pushed down by central (docs/messages.md "Downlink: expected returns").
struct RmaLine
{
    std::string lineId;
    std::string sku;
    std::string gtin;
    std::string description;
    std::string category; // electronics | apparel | generic
    int quantity = 1;
    std::optional<double> unitPrice;
    std::optional<double> expectedWeightG;
    std::vector<std::string> serials;
    std::string reason;
};

struct Rma
{
    std::string rmaId;
    std::string site;
    std::string channel; // portal | customer_service | store | preprinted | unannounced | tradein
    std::string state;
    std::string orderId;
    std::string customer;
    std::optional<std::string> tracking;
    std::string labelBarcode;
    std::optional<double> tradeInValue;
    std::vector<RmaLine> lines;
};

// The RMA document of the contract (retour/contract/rma.h) and back: an RMA without a label barcode
// is labelled by its id, a line without a category is "generic". Pure.
Rma fromContract(const sync::RmaDocument& document);
sync::RmaDocument toContract(const Rma& rma);
// Decode a retour.rma body (sync::decodeRma, docs/schemas/rma.json); Invalid naming the field.
Result<Rma> parseRma(std::string_view payload);
// The retour.rma document of `rma` (what the station's cache keeps).
nlohmann::json toJson(const Rma& rma);

// The keys a scan is looked up by (docs/messages.md parcel.received identified_by).
enum class RmaKey
{
    LabelBarcode,
    Tracking,
    OrderId,
    Gtin,
    Serial
};
const char* toString(RmaKey key);

// The lookup values an RMA is indexed under; GTINs normalised to GTIN-14 (see gtin.h).
std::vector<std::pair<RmaKey, std::string>> lookupKeys(const Rma& rma);

// Read access to the cached RMAs, as the workflow needs it.
//
// Thread contract: thread-bound to the station loop.
class RmaDirectory
{
public:
    virtual ~RmaDirectory() = default;
    // Every cached RMA indexed under (key, value); the label key also matches the rma_id. For
    // RmaKey::Gtin, value must already be normalised (normalizeGtin).
    virtual std::vector<Rma> find(RmaKey key, std::string_view value) const = 0;
};

// An in-memory directory (tests, tools).
class MemoryRmaDirectory : public RmaDirectory
{
public:
    void put(Rma rma);
    void remove(const std::string& rmaId);
    std::vector<Rma> find(RmaKey key, std::string_view value) const override;

private:
    std::map<std::string, Rma> rmas_;
};

} // namespace retour::station
