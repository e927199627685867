#pragma once

// The one JSON field reader of the contract: every decoder reads its message through Fields, which
// checks each field the way the message's JSON Schema (docs/schemas/) says — presence, type, null,
// enum, pattern, length, bounds — and names the first field that breaks it.

#include "retour/contract/error.h"

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace retour::sync::detail {

using nlohmann::json;

// The "pattern"s of docs/schemas/envelope.json $defs (and sha256 of inspection.completed), checked
// as ECMA 262 patterns anchored at both ends.
enum class Pattern
{
    None,
    Uuid,      // 8-4-4-4-12 hex digits, either case
    Timestamp, // RFC 3339 date-time, upper-case T and Z, fields within their ranges
    Level,     // one topic level: not empty, no / + # NUL, not starting with $
    Sha256,    // 64 lower-case hex digits
};
bool matches(Pattern pattern, std::string_view text);

// Rules of a string field: minLength/maxLength count code points (JSON Schema), not bytes.
struct Text
{
    std::size_t minLength = 0;
    std::size_t maxLength = std::numeric_limits<std::size_t>::max();
    Pattern pattern = Pattern::None;
    std::span<const std::string_view> oneOf = {}; // "enum"; empty: any string
};

// Bounds of an integer field (the typed structs hold int64).
struct Integers
{
    std::int64_t minimum = std::numeric_limits<std::int64_t>::min();
    std::int64_t maximum = std::numeric_limits<std::int64_t>::max();
};

// Bounds of a number field.
struct Numbers
{
    double minimum = -std::numeric_limits<double>::infinity();
    double maximum = std::numeric_limits<double>::infinity();
};

enum class Presence
{
    Required, // in the schema's "required"
    Optional,
};

// Reads the fields of one JSON object and keeps the first problem (the field's path and what is
// wrong); after a problem every read returns an empty value, so a decoder reads every field and
// checks once (problem()). Unknown fields are ignored, as the schemas allow them.
//
// Thread contract: thread-bound; the JSON document must outlive the reader.
class Fields
{
public:
    // A reader over `object`, the message itself (path "") or a part of it named by `path`; a
    // problem when it is not an object.
    explicit Fields(const json& object, std::string path = {});

    // The first problem, "<path>: <reason>", or nullopt.
    const std::optional<std::string>& problem() const { return state_->problem; }
    bool ok() const { return !state_->problem; }
    // Records a problem found by the decoder itself (a rule between fields).
    void fail(std::string_view key, std::string_view reason);

    // A string that must be present and not null.
    std::string string(const char* key, const Text& rule = {});
    // A string that may be absent, never null.
    std::optional<std::string> optionalString(const char* key, const Text& rule = {});
    // A string or null ({"type": ["string", "null"]}), present or not as `presence` says.
    std::optional<std::string> nullableString(const char* key, Presence presence, const Text& rule = {});

    std::int64_t integer(const char* key, const Integers& bounds = {});
    std::optional<std::int64_t> optionalInteger(const char* key, const Integers& bounds = {});
    std::optional<std::int64_t> nullableInteger(const char* key, Presence presence,
                                                const Integers& bounds = {});

    double number(const char* key, const Numbers& bounds = {});
    std::optional<double> nullableNumber(const char* key, Presence presence, const Numbers& bounds = {});

    std::optional<bool> optionalBoolean(const char* key);

    // A nested object; absent or mistyped: a problem and a reader over nothing.
    Fields object(const char* key);
    std::optional<Fields> optionalObject(const char* key);

    // Arrays: absent (Optional) reads as empty.
    std::vector<Fields> objects(const char* key, Presence presence);
    std::optional<std::vector<Fields>> optionalObjects(const char* key);
    std::vector<std::string> strings(const char* key, Presence presence, const Text& rule = {});
    std::optional<std::vector<std::string>> optionalStrings(const char* key, const Text& rule = {});

    // Objects whose every member is of one kind ("additionalProperties").
    std::map<std::string, std::string> stringMap(const char* key, Presence presence);
    std::map<std::string, std::int64_t> integerMap(const char* key, Presence presence,
                                                   const Integers& bounds = {});
    std::map<std::string, Fields> objectMap(const char* key, Presence presence);

    // "const": a string member equal to `value`.
    void constant(const char* key, std::string_view value);

private:
    struct State
    {
        std::optional<std::string> problem;
    };
    Fields(const json* object, std::string path, std::shared_ptr<State> state);

    // The member, or nullptr when absent (a problem when required) or after a problem.
    const json* find(const char* key, Presence presence);
    std::string pathOf(std::string_view key) const;
    void problemAt(std::string path, std::string_view reason);
    bool checkText(const std::string& path, const std::string& value, const Text& rule);
    std::optional<std::int64_t> readInteger(const std::string& path, const json& value,
                                            const Integers& bounds);
    std::optional<double> readNumber(const std::string& path, const json& value, const Numbers& bounds);
    template <class T, class Read>
    std::map<std::string, T> map(const char* key, Presence presence, Read read);

    const json* object_;
    std::string path_;
    std::shared_ptr<State> state_;
};

// The object of a message body: within kMaxPayloadBytes and kMaxJsonDepth, no byte order mark,
// JSON (RFC 8259, UTF-8: nlohmann refuses bad UTF-8, unpaired surrogates and numbers beyond a
// double), an object. Malformed otherwise; `what` names the message.
Result<json> parseObject(std::string_view payload, std::string_view what);

// Checks "schema" and "version" against `schema` and 1: Unsupported for another schema name or
// version, Malformed when absent or mistyped.
Result<void> expectSchema(const json& doc, std::string_view schema, std::string_view what);

// The Error for a reader's problem: Malformed, "<what>: <path>: <reason>".
Error malformed(std::string_view what, std::string_view problem);

// A whole message: parseObject, expectSchema (unless `schema` is empty: `read` checks it), then
// `read(Fields&)`; its result, or the first problem the reader found.
template <class Read>
auto decodeMessage(std::string_view payload, std::string_view schema, std::string_view what, Read read)
    -> Result<std::invoke_result_t<Read, Fields&>>
{
    auto parsed = parseObject(payload, what);
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    if (!schema.empty()) {
        if (auto ok = expectSchema(*parsed, schema, what); !ok) {
            return std::unexpected(ok.error());
        }
    }
    Fields fields(*parsed);
    auto out = read(fields);
    if (!fields.ok()) {
        return std::unexpected(malformed(what, *fields.problem()));
    }
    return out;
}

// nlohmann's dump with invalid UTF-8 replaced (U+FFFD) instead of thrown: encoding never fails.
std::string dump(const json& doc);

} // namespace retour::sync::detail
