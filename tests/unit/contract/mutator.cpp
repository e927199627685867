// Mutations of message bodies (mutator.h).
#include "mutator.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace retour::sync::test {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::size_t pick(Random& random, std::size_t n)
{
    return static_cast<std::size_t>(random() % n); // not a distribution: its output varies by library
}

// Values that sit on or just past the edges the schemas draw.
json oddValue(Random& random)
{
    static const std::vector<json> values = {
        nullptr,
        true,
        false,
        0,
        -1,
        1,
        2,
        1.5,
        1.0,
        -0.0,
        1e308,
        -1e308,
        1e-320,
        json(9223372036854775807LL),
        json(9223372036854775808ULL),
        json(18446744073709551615ULL),
        json::parse("18446744073709551616"),
        json::parse("-9223372036854775809"),
        9.2233720368547758e18,
        "",
        "NaN",
        "x",
        "0",
        "null",
        "true",
        "é",
        "😀",
        std::string(1, '\0'),
        "$SYS",
        "a/b",
        "a+b",
        "#",
        "RMA-000101",
        "2026-11-26T11:29:56.123Z",
        "2026-11-26T11:29:56Z",
        "2026-11-26t11:29:56Z",
        "2026-13-26T11:29:56Z",
        "2026-02-30T11:29:56Z",
        "2026-11-26T24:00:00Z",
        "2026-11-26T11:29:60+23:59",
        "2026-11-26T11:29:56.Z",
        "2026-11-26T11:29:56+2400",
        "2026-11-26T11:29:56.123Z\n",
        "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
        "0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B",
        "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5",
        "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b\n",
        "0190a1b2c3d47e5f8a9b0c1d2e3f4a5b",
        std::string(64, 'a'),
        std::string(64, 'A'),
        std::string(63, '0'),
        "online",
        "offline",
        "any",
        "ok",
        "mismatch",
        "restock_new",
        "wrong_item",
        "yes",
        "portal",
        "preprinted_label",
        "sscc",
        "retour.rma",
        "retour.ack",
        "retour.parcel.received",
        std::string(256, 'x'),
        std::string(257, 'x'),
        std::string(3000, 'y'),
        json::array(),
        json::object(),
        json::array({"x"}),
        json::array({1, 2}),
        json::array({json::object()}),
        json::object({{"k", "v"}}),
    };
    return values[pick(random, values.size())];
}

// Every value of the document with its parent (nullptr for the root) and key or index.
struct Place
{
    json* parent;
    std::string key;
    std::size_t index;
};

void places(json& node, std::vector<Place>& out)
{
    if (node.is_object()) {
        for (auto& [key, value] : node.items()) {
            out.push_back({&node, key, 0});
            places(value, out);
        }
    } else if (node.is_array()) {
        for (std::size_t i = 0; i < node.size(); ++i) {
            out.push_back({&node, {}, i});
            places(node[i], out);
        }
    }
}

json& at(const Place& place)
{
    return place.parent->is_object() ? (*place.parent)[place.key] : (*place.parent)[place.index];
}

json nested(int depth)
{
    json value = json::array();
    for (int i = 1; i < depth; ++i) {
        value = json::array({value});
    }
    return value;
}

// One change to the parsed document.
void mutateJson(json& doc, Random& random)
{
    std::vector<Place> all;
    places(doc, all);
    if (all.empty()) {
        doc["x"] = oddValue(random);
        return;
    }
    const Place place = all[pick(random, all.size())];
    json& value = at(place);
    switch (pick(random, 12)) {
    case 0: // delete the member or element
        if (place.parent->is_object()) {
            place.parent->erase(place.key);
        } else {
            place.parent->erase(place.index);
        }
        break;
    case 1:
    case 2:
    case 3: // a value from the edges
        value = oddValue(random);
        break;
    case 4: // an unknown member beside it
        if (value.is_object()) {
            value["unknown_" + std::to_string(pick(random, 100))] = oddValue(random);
        } else if (place.parent->is_object()) {
            (*place.parent)["unknown"] = oddValue(random);
        } else {
            place.parent->push_back(oddValue(random));
        }
        break;
    case 5: // a string changed a little
        if (value.is_string()) {
            std::string text = value.get<std::string>();
            switch (pick(random, 5)) {
            case 0:
                text = text.substr(0, pick(random, text.size() + 1));
                break;
            case 1:
                text += static_cast<char>("x0-/:\n"[pick(random, 6)]);
                break;
            case 2:
                for (char& c : text) {
                    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                }
                break;
            case 3:
                text.insert(0, "$");
                break;
            default:
                text = text + text;
            }
            value = text;
        } else {
            value = oddValue(random);
        }
        break;
    case 6: // a number changed
        if (value.is_number()) {
            const double d = value.get<double>();
            const json options[] = {d + 1, -d, d * 1e10, d + 0.5, std::to_string(d), json(d), d - 1e19};
            value = options[pick(random, std::size(options))];
        } else {
            value = pick(random, 2) ? json(42) : json("42");
        }
        break;
    case 7: // the type changed while keeping the content
        value = value.is_string() ? json::array({value}) : json(value.dump());
        break;
    case 8: // an array emptied or its element doubled
        if (value.is_array() && !value.empty()) {
            if (pick(random, 2)) {
                value = json::array();
            } else {
                value.push_back(value[0]);
            }
        } else {
            value = json::array();
        }
        break;
    case 9: // nested deep, around the limit of 64 levels
        value = nested(static_cast<int>(60 + pick(random, 8)) - static_cast<int>(all.size() % 3));
        break;
    case 10: // null where a value was
        value = nullptr;
        break;
    default: // the member renamed
        if (place.parent->is_object()) {
            json moved = value;
            const std::string key = place.key;
            place.parent->erase(key);
            (*place.parent)[key + "_"] = std::move(moved);
        } else {
            value = oddValue(random);
        }
    }
}

// One change to the bytes.
void mutateBytes(std::string& body, Random& random)
{
    static const std::vector<std::string> inserts = {"\xFF",
                                                     "\xC3",
                                                     "\xC0\xAF",
                                                     "\xED\xA0\x80",
                                                     "\xF4\x90\x80\x80",
                                                     "\xE2\x82",
                                                     std::string(1, '\0'),
                                                     "\\ud800",
                                                     "\\udc00",
                                                     "\\u0000",
                                                     "\"",
                                                     "\\",
                                                     "{",
                                                     "}",
                                                     "[",
                                                     "]",
                                                     ",",
                                                     ":",
                                                     " ",
                                                     "\t",
                                                     "\n",
                                                     "NaN",
                                                     "Infinity",
                                                     "1e400",
                                                     "-",
                                                     "0",
                                                     "é",
                                                     "😀"};
    const std::size_t position = pick(random, body.size() + 1);
    switch (pick(random, 6)) {
    case 0: // truncated
        body.resize(position);
        break;
    case 1: // a byte inserted
    case 2:
        body.insert(position, inserts[pick(random, inserts.size())]);
        break;
    case 3: // a byte flipped
        if (!body.empty()) {
            body[position % body.size()] ^= static_cast<char>(1U << pick(random, 8));
        }
        break;
    case 4: // a byte order mark
        body.insert(0, "\xEF\xBB\xBF");
        break;
    default: // an escape inside a string, paired or not
        if (const auto quote = body.find("\":\"", position); quote != std::string::npos) {
            const char* escapes[] = {"\\ud83d\\ude00", "\\ud83d", "\\u00e9", "\\n", "\\u0041"};
            body.insert(quote + 3, escapes[pick(random, std::size(escapes))]);
        }
    }
}

} // namespace

std::vector<Golden> loadGoldens(const std::filesystem::path& testdata)
{
    std::vector<Golden> goldens;
    for (const std::string_view kind : kKinds) {
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator(testdata / kind)) {
            if (entry.path().extension() == ".json") {
                files.push_back(entry.path());
            }
        }
        std::sort(files.begin(), files.end()); // the same order on every file system
        for (const fs::path& file : files) {
            std::ifstream in(file, std::ios::binary);
            std::ostringstream text;
            text << in.rdbuf();
            goldens.push_back({std::string(kind), file.stem().string(), text.str()});
        }
    }
    return goldens;
}

std::string mutate(std::string body, Random& random)
{
    const std::size_t changes = 1 + pick(random, 3);
    for (std::size_t c = 0; c < changes; ++c) {
        if (pick(random, 4) == 0) {
            mutateBytes(body, random);
            continue;
        }
        json doc = json::parse(body, nullptr, false);
        if (doc.is_discarded()) {
            mutateBytes(body, random);
            continue;
        }
        mutateJson(doc, random);
        body = doc.dump(-1, ' ', false, json::error_handler_t::ignore);
    }
    if (pick(random, 200) == 0 && body.size() > 1 && body.back() == '}' &&
        body.size() + 10 < kMaxPayloadBytes) {
        // Oversized: a long unknown member; ,"pad":"…" adds fill + 9 bytes, so the body ends up one
        // byte short of, at or past the limit.
        const std::size_t fill = kMaxPayloadBytes - body.size() - 10 + pick(random, 3);
        body.insert(body.size() - 1, ",\"pad\":\"" + std::string(fill, 'p') + "\"");
    }
    return body;
}

} // namespace retour::sync::test
