// The golden bodies of sync/contract/testdata/ (recorded from a demo run, README.md there) decode
// and encode again to the same bytes, and the decoders refuse what the schemas refuse, naming the
// field.
#include "codec_by_kind.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

namespace retour::sync {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kTestdata = RETOUR_CONTRACT_TESTDATA;

std::string readFile(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string golden(std::string_view kind, std::string_view name)
{
    return readFile(kTestdata / kind / (std::string(name) + ".json"));
}

// The golden body with one change to its parsed JSON, as a station with hostile code could send.
std::string changed(std::string_view kind, std::string_view name, const std::function<void(json&)>& change)
{
    json doc = json::parse(golden(kind, name));
    change(doc);
    return doc.dump();
}

TEST(Golden, EveryKindHasGoldenBodiesThatRoundTripByteForByte)
{
    for (const std::string_view kind : test::kKinds) {
        std::size_t count = 0;
        for (const auto& entry : fs::directory_iterator(kTestdata / kind)) {
            if (entry.path().extension() != ".json") {
                continue;
            }
            ++count;
            const std::string body = readFile(entry.path());
            const auto again = test::roundTrip(kind, body);
            ASSERT_TRUE(again) << entry.path() << ": " << again.error().message;
            EXPECT_EQ(*again, body) << entry.path();
        }
        EXPECT_GT(count, 0U) << "no golden body of " << kind;
    }
}

// The hostile copies of real events central stored before the decoders followed the schemas.
TEST(Golden, HostileCopiesOfRealEventsAreRefusedNamingTheField)
{
    struct Case
    {
        std::string_view kind, name;
        std::function<void(json&)> change;
        std::string_view field;
    };
    const Case cases[] = {
        {"label.printed", "printed", [](json& d) { d["data"]["lpn"] = json::array(); }, "data.lpn"},
        {"parcel.received", "rma_label", [](json& d) { d["data"]["identified_by"] = "NaN"; },
         "data.identified_by"},
        {"parcel.closed", "rma", [](json& d) { d["data"].erase("extra"); }, "data.extra"},
        {"inspection.voided", "undo", [](json& d) { d["data"].erase("parcel_id"); }, "data.parcel_id"},
        {"inspection.completed", "portal", [](json& d) { d["data"]["inspection_id"] = "INS-1"; },
         "data.inspection_id"},
    };
    for (const Case& c : cases) {
        const auto decoded = decodeEvent(changed(c.kind, c.name, c.change));
        ASSERT_FALSE(decoded) << c.kind << " " << c.field;
        EXPECT_EQ(decoded.error().code, ErrorCode::Malformed);
        EXPECT_NE(decoded.error().message.find(std::string(c.field) + ":"), std::string::npos)
            << decoded.error().message;
    }
}

TEST(Golden, ErrorsNameTheNestedFieldAndTheReason)
{
    auto error = [](std::string_view kind, std::string_view name, const std::function<void(json&)>& change) {
        const auto again = test::roundTrip(kind, changed(kind, name, change));
        return again ? std::string("accepted") : again.error().message;
    };
    EXPECT_EQ(
        error("inspection.completed", "portal", [](json& d) { d["data"]["weight"]["result"] = "heavy"; }),
        "inspection.completed: data.weight.result: \"heavy\" is not one of ok, mismatch, not_checked");
    EXPECT_EQ(error("inspection.completed", "portal", [](json& d) { d["data"]["photos"][0]["bytes"] = -1; }),
              "inspection.completed: data.photos[0].bytes: must not be negative");
    EXPECT_EQ(error("rma", "portal", [](json& d) { d["lines"][0].erase("quantity"); }),
              "rma: lines[0].quantity: missing");
    EXPECT_EQ(error("status", "online", [](json& d) { d["counters"]["bench"]["flags"].erase("override"); }),
              "status: counters.bench.flags.override: missing");
    EXPECT_EQ(error("lookup_request", "label", [](json& d) { d["value"] = std::string(257, 'x'); }),
              "lookup request: value: must be 1 to 256 characters long");
    EXPECT_EQ(
        error("parcel.received", "rma_label", [](json& d) { d["occurred_at"] = "2026-11-26T25:00:00Z"; }),
        "event: occurred_at: \"2026-11-26T25:00:00Z\" is not an RFC 3339 date-time "
        "(YYYY-MM-DDTHH:MM:SS[.fff]Z or ±HH:MM)");
}

TEST(Golden, WhatTheSchemasAllowIsAccepted)
{
    // Unknown members (no schema forbids them), an integer written as 1.0, a lookup value of 256
    // characters of two bytes each, an absent optional member.
    EXPECT_TRUE(test::roundTrip("parcel.received", changed("parcel.received", "rma_label", [](json& d) {
                                    d["data"]["future"] = {{"x", 1}};
                                    d["extra"] = true;
                                })));
    EXPECT_TRUE(test::roundTrip("parcel.closed",
                                changed("parcel.closed", "rma", [](json& d) { d["station_seq"] = 7.0; })));
    EXPECT_TRUE(test::roundTrip("lookup_request", changed("lookup_request", "label", [](json& d) {
                                    std::string value;
                                    for (int i = 0; i < 256; ++i) {
                                        value += "é";
                                    }
                                    d["value"] = value;
                                })));
    EXPECT_TRUE(test::roundTrip(
        "label.printed", changed("label.printed", "printed", [](json& d) { d["data"].erase("job_id"); })));
}

TEST(Golden, TheTypedDataOfAnEventIsItsBody)
{
    const auto event = decodeEvent(golden("inspection.completed", "portal"));
    ASSERT_TRUE(event) << event.error().message;
    const auto* data = std::get_if<InspectionCompleted>(&event->data);
    ASSERT_NE(data, nullptr);
    EXPECT_EQ(encodeData(event->data), event->envelope.data);
    EXPECT_EQ(eventType(event->data), "inspection.completed");
    EXPECT_EQ(decodeData("no.such", json::object()).error().code, ErrorCode::Unsupported);
}

} // namespace
} // namespace retour::sync
