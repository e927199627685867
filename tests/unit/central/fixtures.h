#pragma once

#include "retour/contract/message.h"
#include "storage/storage.h"
#include "tests/support/temp_dir.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace retour::central::test {

// Central's storage on the SQLite file `file`.
inline Result<std::unique_ptr<Storage>> openSqliteStorage(const std::filesystem::path& file, OpenMode mode)
{
    return openStorage(StorageLocation{StorageBackend::Sqlite, file}, mode);
}

using retour::test::writeFile;

// Two RMAs: RMA-000101 with two lines (one of quantity 1, one of quantity 1) and RMA-000102.
inline constexpr std::string_view kSeed = R"toml(
[[rma]]
rma_id = "RMA-000101"
channel = "portal"
order_id = "SO-10001"
customer = "Ada Lovelace"
tracking = "1Z999AA10123456784"

[[rma.line]]
line_id = "1"
sku = "HEAD-BT-200"
gtin = "4006381333931"
description = "Bluetooth headphones BT-200"
category = "electronics"
quantity = 1
unit_price = 129.9
expected_weight_g = 512
serials = ["SN-BT200-0001"]
reason = "does_not_fit"

[[rma.line]]
line_id = "2"
sku = "CASE-BT-200"
description = "Carry case"
category = "generic"
quantity = 1
unit_price = 19
reason = "does_not_fit"

[[rma]]
rma_id = "RMA-000102"
channel = "tradein"
customer = "Grace Hopper"
label_barcode = "TI-000102"
trade_in_value = 80.0

[[rma.line]]
line_id = "1"
sku = "PHONE-X"
description = "Phone X 128 GB"
category = "electronics"
quantity = 1
unit_price = 0
reason = "trade_in"
)toml";

// An event body as a station sends it (sync::encodeEnvelope).
inline std::string eventBody(std::string_view type, nlohmann::json data,
                             std::string_view station = "bench-01", std::string_view site = "demo-site",
                             std::string eventId = sync::newUuidV7(), std::int64_t seq = 1)
{
    sync::Envelope envelope;
    envelope.type = std::string(type);
    envelope.eventId = std::move(eventId);
    envelope.stationSeq = seq;
    envelope.occurredAt = "2026-11-26T11:29:56.123Z";
    envelope.site = std::string(site);
    envelope.station = std::string(station);
    envelope.data = std::move(data);
    return sync::encodeEnvelope(envelope);
}

// A fixed UUID named by `name` ("parcel-1", "insp-2"): the contract wants UUIDs for parcel and
// inspection ids, and a test wants to say which one it means. FNV-1a of the name, twice, laid out
// as a version-7 UUID.
inline std::string testId(std::string_view name)
{
    auto fnv = [&](std::uint64_t h) {
        for (unsigned char c : name) {
            h = (h ^ c) * 1099511628211ull;
        }
        return h;
    };
    const std::uint64_t hi = fnv(1469598103934665603ull);
    const std::uint64_t lo = fnv(hi);
    char text[37];
    std::snprintf(text, sizeof text, "%08x-%04x-7%03x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                  static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xfff),
                  static_cast<unsigned>(0x8000 | (lo >> 48 & 0x3fff)),
                  static_cast<unsigned long long>(lo & 0xffffffffffffull));
    return text;
}

inline nlohmann::json parcelReceived(std::string parcelId, nlohmann::json rmaId)
{
    return {{"parcel_id", std::move(parcelId)},
            {"rma_id", std::move(rmaId)},
            {"identified_by", "rma_label"},
            {"scanned", "RMA-000101"},
            {"operator", "op-17"}};
}

// inspection.completed exactly as docs/messages.md shows it.
inline nlohmann::json inspectionCompleted(std::string inspectionId, std::string parcelId,
                                          nlohmann::json rmaId, nlohmann::json lineId)
{
    return {
        {"inspection_id", std::move(inspectionId)},
        {"parcel_id", std::move(parcelId)},
        {"rma_id", std::move(rmaId)},
        {"line_id", std::move(lineId)},
        {"channel", "portal"},
        {"identified_by", "rma_label"},
        {"item",
         {{"sku", "HEAD-BT-200"},
          {"gtin", "4006381333931"},
          {"serial", "SN-BT200-0001"},
          {"category", "electronics"},
          {"description", "Bluetooth headphones BT-200"}}},
        {"weight", {{"measured_g", 515.0}, {"expected_g", 512}, {"tolerance_g", 30}, {"result", "ok"}}},
        {"photos",
         {{{"sha256", std::string(64, 'a')},
           {"view", "front"},
           {"bytes", 48211},
           {"width", 1280},
           {"height", 720}},
          {{"sha256", std::string(64, 'b')},
           {"view", "back"},
           {"bytes", 47000},
           {"width", 1280},
           {"height", 720}}}},
        {"photo_missing_reason", nullptr},
        {"findings", {"weight_mismatch"}},
        {"grade", {{"function", 0}, {"cosmetic", "A"}, {"grade", "A"}}},
        {"disposition", {{"code", "restock_new"}, {"location", "A-01"}, {"rule", "like-new-restock"}}},
        {"lpn", "LPN-bench-01-000001"},
        {"operator", "op-17"},
        {"confirmed_at", "2026-11-26T11:29:56.123Z"},
    };
}

// parcel.closed of a parcel of RMA-000101 in which only line 1 was found (line 2 missing).
inline nlohmann::json parcelClosed(std::string parcelId, nlohmann::json rmaId, std::vector<std::string> found,
                                   nlohmann::json missing = nlohmann::json::array(
                                       {{{"line_id", "2"}, {"sku", "CASE-BT-200"}, {"quantity", 1}}}))
{
    nlohmann::json items = nlohmann::json::array();
    for (auto& id : found) {
        items.push_back({{"inspection_id", std::move(id)}, {"line_id", "1"}, {"sku", "HEAD-BT-200"}});
    }
    return {
        {"parcel_id", std::move(parcelId)},
        {"rma_id", std::move(rmaId)},
        {"closed_at", "2026-11-26T11:31:00.000Z"},
        {"operator", "op-17"},
        {"expected",
         {{{"line_id", "1"}, {"sku", "HEAD-BT-200"}, {"quantity", 1}},
          {{"line_id", "2"}, {"sku", "CASE-BT-200"}, {"quantity", 1}}}},
        {"found", std::move(items)},
        {"missing", missing},
        {"extra", nlohmann::json::array()},
        {"findings", missing.empty() ? nlohmann::json::array() : nlohmann::json::array({"missing_item"})}};
}

} // namespace retour::central::test
