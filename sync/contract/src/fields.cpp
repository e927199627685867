// The contract's JSON field reader (fields.h): JSON Schema draft 2020-12 semantics for the
// keywords docs/schemas/ uses.
#include "fields.h"

#include "retour/contract/message.h"

#include <chrono>
#include <cmath>

namespace retour::sync::detail {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isHex(char c, bool upperToo)
{
    return isDigit(c) || (c >= 'a' && c <= 'f') || (upperToo && c >= 'A' && c <= 'F');
}

// Two digits at `pos` forming a number in [0, max].
bool twoDigits(std::string_view text, std::size_t pos, int max)
{
    if (pos + 2 > text.size() || !isDigit(text[pos]) || !isDigit(text[pos + 1])) {
        return false;
    }
    return (text[pos] - '0') * 10 + (text[pos + 1] - '0') <= max;
}

// envelope.json $defs/timestamp: RFC 3339 §5.6 date-time with upper-case T and Z, a date of the
// Gregorian calendar (the pattern spells out month lengths and leap years), hours 00-23, minutes
// 00-59, seconds 00-60 and offsets within ±23:59.
bool isTimestamp(std::string_view t)
{
    if (t.size() < 20) {
        return false;
    }
    for (std::size_t i = 0; i < 4; ++i) {
        if (!isDigit(t[i])) {
            return false;
        }
    }
    if (t[4] != '-' || !twoDigits(t, 5, 12) || t[7] != '-' || !twoDigits(t, 8, 31) || t[10] != 'T' ||
        !twoDigits(t, 11, 23) || t[13] != ':' || !twoDigits(t, 14, 59) || t[16] != ':' ||
        !twoDigits(t, 17, 60)) {
        return false;
    }
    const auto number = [&](std::size_t pos, std::size_t width) {
        int value = 0;
        for (std::size_t i = pos; i < pos + width; ++i) {
            value = value * 10 + (t[i] - '0');
        }
        return value;
    };
    const std::chrono::year_month_day date{std::chrono::year{number(0, 4)},
                                           std::chrono::month{static_cast<unsigned>(number(5, 2))},
                                           std::chrono::day{static_cast<unsigned>(number(8, 2))}};
    if (!date.ok()) {
        return false;
    }
    std::size_t pos = 19;
    if (t[pos] == '.') {
        const std::size_t first = ++pos;
        while (pos < t.size() && isDigit(t[pos])) {
            ++pos;
        }
        if (pos == first) {
            return false;
        }
    }
    if (pos < t.size() && t[pos] == 'Z') {
        return pos + 1 == t.size();
    }
    return pos + 6 == t.size() && (t[pos] == '+' || t[pos] == '-') && twoDigits(t, pos + 1, 23) &&
           t[pos + 3] == ':' && twoDigits(t, pos + 4, 59);
}

bool isSha256(std::string_view text)
{
    if (text.size() != 64) {
        return false;
    }
    for (const char c : text) {
        if (!isHex(c, false)) {
            return false;
        }
    }
    return true;
}

// Code points of valid UTF-8 (nlohmann's parser refuses anything else): bytes that do not
// continue a sequence.
std::size_t codePoints(std::string_view text)
{
    std::size_t count = 0;
    for (const char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++count;
        }
    }
    return count;
}

const char* patternName(Pattern pattern)
{
    switch (pattern) {
    case Pattern::Uuid:
        return "a UUID";
    case Pattern::Timestamp:
        return "an RFC 3339 date-time (YYYY-MM-DDTHH:MM:SS[.fff]Z or ±HH:MM)";
    case Pattern::Level:
        return "a topic level (no / + # NUL, not starting with $)";
    case Pattern::Sha256:
        return "64 lower-case hex digits";
    case Pattern::None:
        break;
    }
    return "";
}

std::string quoted(const std::string& value)
{
    constexpr std::size_t kShown = 64;
    const std::string shown = value.size() > kShown ? value.substr(0, kShown) + "…" : value;
    return dump(json(shown));
}

// nlohmann's parser is iterative, but a deeply nested document still costs memory and later
// recursion (dump, comparisons); refuse it before parsing. Counts brackets outside strings.
bool nestingWithin(std::string_view text, int limit)
{
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : text) {
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                inString = false;
            }
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            if (++depth > limit) {
                return false;
            }
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return true;
}

} // namespace

bool matches(Pattern pattern, std::string_view text)
{
    switch (pattern) {
    case Pattern::None:
        return true;
    case Pattern::Uuid:
        return isUuid(text);
    case Pattern::Timestamp:
        return isTimestamp(text);
    case Pattern::Level:
        return topics::isValidLevel(text);
    case Pattern::Sha256:
        return isSha256(text);
    }
    return false;
}

Fields::Fields(const json& object, std::string path)
    : Fields(&object, std::move(path), std::make_shared<State>())
{
    if (!object.is_object()) {
        problemAt(path_.empty() ? "(body)" : path_, "must be an object");
    }
}

Fields::Fields(const json* object, std::string path, std::shared_ptr<State> state)
    : object_(object), path_(std::move(path)), state_(std::move(state))
{}

void Fields::fail(std::string_view key, std::string_view reason)
{
    problemAt(pathOf(key), reason);
}

std::string Fields::pathOf(std::string_view key) const
{
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void Fields::problemAt(std::string path, std::string_view reason)
{
    if (!state_->problem) {
        state_->problem = std::move(path) + ": " + std::string(reason);
    }
}

const json* Fields::find(const char* key, Presence presence)
{
    if (state_->problem || object_ == nullptr || !object_->is_object()) {
        return nullptr;
    }
    const auto it = object_->find(key);
    if (it == object_->end()) {
        if (presence == Presence::Required) {
            problemAt(pathOf(key), "missing");
        }
        return nullptr;
    }
    return &*it;
}

bool Fields::checkText(const std::string& path, const std::string& value, const Text& rule)
{
    if (!rule.oneOf.empty()) {
        for (const std::string_view allowed : rule.oneOf) {
            if (value == allowed) {
                return true;
            }
        }
        std::string list;
        for (const std::string_view allowed : rule.oneOf) {
            list += (list.empty() ? "" : ", ") + std::string(allowed);
        }
        problemAt(path, quoted(value) + " is not one of " + list);
        return false;
    }
    const std::size_t length = codePoints(value);
    if (length < rule.minLength || length > rule.maxLength) {
        problemAt(path, rule.minLength == 1 && length == 0
                            ? std::string("must not be empty")
                            : "must be " + std::to_string(rule.minLength) + " to " +
                                  std::to_string(rule.maxLength) + " characters long");
        return false;
    }
    if (!matches(rule.pattern, value)) {
        problemAt(path, quoted(value) + " is not " + patternName(rule.pattern));
        return false;
    }
    return true;
}

std::string Fields::string(const char* key, const Text& rule)
{
    auto value = optionalString(key, rule);
    if (!value) {
        (void)find(key, Presence::Required);
        return {};
    }
    return std::move(*value);
}

std::optional<std::string> Fields::optionalString(const char* key, const Text& rule)
{
    const json* value = find(key, Presence::Optional);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_string()) {
        problemAt(pathOf(key), "must be a string");
        return std::nullopt;
    }
    if (!checkText(pathOf(key), value->get_ref<const std::string&>(), rule)) {
        return std::nullopt;
    }
    return value->get<std::string>();
}

std::optional<std::string> Fields::nullableString(const char* key, Presence presence, const Text& rule)
{
    const json* value = find(key, presence);
    if (value == nullptr || value->is_null()) {
        return std::nullopt;
    }
    if (!value->is_string()) {
        problemAt(pathOf(key), "must be a string or null");
        return std::nullopt;
    }
    if (!checkText(pathOf(key), value->get_ref<const std::string&>(), rule)) {
        return std::nullopt;
    }
    return value->get<std::string>();
}

std::optional<std::int64_t> Fields::readInteger(const std::string& path, const json& value,
                                                const Integers& bounds)
{
    // JSON Schema: an integer is a number with a zero fractional part (1.0 is one); the typed
    // structs hold int64, and docs/schemas bound every integer to it.
    std::optional<std::int64_t> out;
    bool outOfRange = false;
    if (value.is_number_unsigned()) {
        const auto u = value.get<std::uint64_t>();
        if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            out = static_cast<std::int64_t>(u);
        } else {
            outOfRange = true;
        }
    } else if (value.is_number_integer()) {
        out = value.get<std::int64_t>();
    } else if (value.is_number_float()) {
        const double d = value.get<double>();
        if (std::trunc(d) != d) {
            problemAt(path, "must be an integer");
            return std::nullopt;
        }
        if (d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
            out = static_cast<std::int64_t>(d);
        } else {
            outOfRange = true;
        }
    } else {
        problemAt(path, "must be an integer");
        return std::nullopt;
    }
    if (outOfRange || *out > bounds.maximum) {
        problemAt(path, "is out of range (at most " + std::to_string(bounds.maximum) + ")");
        return std::nullopt;
    }
    if (*out < bounds.minimum) {
        problemAt(path, bounds.minimum == 0 ? std::string("must not be negative")
                                            : "must be at least " + std::to_string(bounds.minimum));
        return std::nullopt;
    }
    return out;
}

std::optional<double> Fields::readNumber(const std::string& path, const json& value, const Numbers& bounds)
{
    if (!value.is_number()) {
        problemAt(path, "must be a number");
        return std::nullopt;
    }
    const double d = value.get<double>();
    if (d < bounds.minimum || d > bounds.maximum) {
        problemAt(path, "must be a number from " + dump(json(bounds.minimum)) + " to " +
                            dump(json(bounds.maximum)));
        return std::nullopt;
    }
    return d;
}

std::int64_t Fields::integer(const char* key, const Integers& bounds)
{
    const json* value = find(key, Presence::Required);
    if (value == nullptr) {
        return 0;
    }
    return readInteger(pathOf(key), *value, bounds).value_or(0);
}

std::optional<std::int64_t> Fields::optionalInteger(const char* key, const Integers& bounds)
{
    const json* value = find(key, Presence::Optional);
    if (value == nullptr) {
        return std::nullopt;
    }
    return readInteger(pathOf(key), *value, bounds);
}

std::optional<std::int64_t> Fields::nullableInteger(const char* key, Presence presence,
                                                    const Integers& bounds)
{
    const json* value = find(key, presence);
    if (value == nullptr || value->is_null()) {
        return std::nullopt;
    }
    return readInteger(pathOf(key), *value, bounds);
}

double Fields::number(const char* key, const Numbers& bounds)
{
    const json* value = find(key, Presence::Required);
    if (value == nullptr) {
        return 0;
    }
    return readNumber(pathOf(key), *value, bounds).value_or(0);
}

std::optional<double> Fields::nullableNumber(const char* key, Presence presence, const Numbers& bounds)
{
    const json* value = find(key, presence);
    if (value == nullptr || value->is_null()) {
        return std::nullopt;
    }
    return readNumber(pathOf(key), *value, bounds);
}

std::optional<bool> Fields::optionalBoolean(const char* key)
{
    const json* value = find(key, Presence::Optional);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_boolean()) {
        problemAt(pathOf(key), "must be true or false");
        return std::nullopt;
    }
    return value->get<bool>();
}

Fields Fields::object(const char* key)
{
    const json* value = find(key, Presence::Required);
    if (value != nullptr && !value->is_object()) {
        problemAt(pathOf(key), "must be an object");
        value = nullptr;
    }
    return Fields(value, pathOf(key), state_);
}

std::optional<Fields> Fields::optionalObject(const char* key)
{
    const json* value = find(key, Presence::Optional);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_object()) {
        problemAt(pathOf(key), "must be an object");
        return std::nullopt;
    }
    return Fields(value, pathOf(key), state_);
}

std::vector<Fields> Fields::objects(const char* key, Presence presence)
{
    if (presence == Presence::Required) {
        (void)find(key, presence);
    }
    return optionalObjects(key).value_or(std::vector<Fields>{});
}

std::optional<std::vector<Fields>> Fields::optionalObjects(const char* key)
{
    const json* value = find(key, Presence::Optional);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_array()) {
        problemAt(pathOf(key), "must be an array");
        return std::nullopt;
    }
    std::vector<Fields> out;
    for (std::size_t i = 0; i < value->size(); ++i) {
        const std::string where = pathOf(key) + "[" + std::to_string(i) + "]";
        if (!(*value)[i].is_object()) {
            problemAt(where, "must be an object");
            return std::nullopt;
        }
        out.push_back(Fields(&(*value)[i], where, state_));
    }
    return out;
}

std::vector<std::string> Fields::strings(const char* key, Presence presence, const Text& rule)
{
    if (presence == Presence::Required) {
        (void)find(key, presence);
    }
    return optionalStrings(key, rule).value_or(std::vector<std::string>{});
}

std::optional<std::vector<std::string>> Fields::optionalStrings(const char* key, const Text& rule)
{
    const json* value = find(key, Presence::Optional);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_array()) {
        problemAt(pathOf(key), "must be an array of strings");
        return std::nullopt;
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < value->size(); ++i) {
        const std::string where = pathOf(key) + "[" + std::to_string(i) + "]";
        const json& element = (*value)[i];
        if (!element.is_string()) {
            problemAt(where, "must be a string");
            return std::nullopt;
        }
        if (!checkText(where, element.get_ref<const std::string&>(), rule)) {
            return std::nullopt;
        }
        out.push_back(element.get<std::string>());
    }
    return out;
}

template <class T, class Read>
std::map<std::string, T> Fields::map(const char* key, Presence presence, Read read)
{
    std::map<std::string, T> out;
    const json* value = find(key, presence);
    if (value == nullptr) {
        return out;
    }
    if (!value->is_object()) {
        problemAt(pathOf(key), "must be an object");
        return out;
    }
    for (const auto& [name, member] : value->items()) {
        std::optional<T> read_ = read(pathOf(key) + "." + name, member);
        if (!read_) {
            return {};
        }
        out.emplace(name, std::move(*read_));
    }
    return out;
}

std::map<std::string, std::string> Fields::stringMap(const char* key, Presence presence)
{
    return map<std::string>(key, presence, [&](const std::string& path, const json& member) {
        if (!member.is_string()) {
            problemAt(path, "must be a string");
            return std::optional<std::string>();
        }
        return std::optional<std::string>(member.get<std::string>());
    });
}

std::map<std::string, std::int64_t> Fields::integerMap(const char* key, Presence presence,
                                                       const Integers& bounds)
{
    return map<std::int64_t>(key, presence, [&](const std::string& path, const json& member) {
        return readInteger(path, member, bounds);
    });
}

std::map<std::string, Fields> Fields::objectMap(const char* key, Presence presence)
{
    return map<Fields>(key, presence, [&](const std::string& path, const json& member) {
        if (!member.is_object()) {
            problemAt(path, "must be an object");
            return std::optional<Fields>();
        }
        return std::optional<Fields>(Fields(&member, path, state_));
    });
}

void Fields::constant(const char* key, std::string_view value)
{
    const json* member = find(key, Presence::Required);
    if (member != nullptr && !(member->is_string() && member->get_ref<const std::string&>() == value)) {
        problemAt(pathOf(key), "must be \"" + std::string(value) + "\"");
    }
}

Result<json> parseObject(std::string_view payload, std::string_view what)
{
    if (payload.size() > kMaxPayloadBytes) {
        return std::unexpected(malformed(what, "(body): payload of " + std::to_string(payload.size()) +
                                                   " bytes exceeds the limit of " +
                                                   std::to_string(kMaxPayloadBytes)));
    }
    // RFC 8259 §8.1: no byte order mark (nlohmann would skip one).
    if (payload.starts_with("\xEF\xBB\xBF")) {
        return std::unexpected(malformed(what, "(body): starts with a byte order mark"));
    }
    if (!nestingWithin(payload, kMaxJsonDepth)) {
        return std::unexpected(
            malformed(what, "(body): JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"));
    }
    json doc = json::parse(payload.begin(), payload.end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
        return std::unexpected(malformed(what, "(body): not valid JSON"));
    }
    if (!doc.is_object()) {
        return std::unexpected(malformed(what, "(body): not a JSON object"));
    }
    return doc;
}

Result<void> expectSchema(const json& doc, std::string_view schema, std::string_view what)
{
    Fields fields(doc);
    const std::string name = fields.string("schema");
    const std::int64_t version = fields.integer("version");
    if (!fields.ok()) {
        return std::unexpected(malformed(what, *fields.problem()));
    }
    if (name != schema) {
        return std::unexpected(Error{ErrorCode::Unsupported, std::string(what) + ": unknown schema \"" +
                                                                 name + "\" (expected " +
                                                                 std::string(schema) + ")"});
    }
    if (version != kEventVersion) {
        return std::unexpected(Error{ErrorCode::Unsupported,
                                     std::string(what) + ": " + name + " version " + std::to_string(version) +
                                         " is not supported (only " + std::to_string(kEventVersion) + ")"});
    }
    return {};
}

Error malformed(std::string_view what, std::string_view problem)
{
    return Error{ErrorCode::Malformed, std::string(what) + ": " + std::string(problem)};
}

std::string dump(const json& doc)
{
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace retour::sync::detail
