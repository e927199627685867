#include "retour/base/toml.h"

#include <system_error>

namespace retour::base {

std::string_view tomlTypeName(const toml::node& node)
{
    switch (node.type()) {
    case toml::node_type::string:
        return "a string";
    case toml::node_type::integer:
        return "an integer";
    case toml::node_type::floating_point:
        return "a float";
    case toml::node_type::boolean:
        return "a boolean";
    case toml::node_type::array:
        return "an array";
    case toml::node_type::table:
        return "a table";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
        return "a date/time";
    case toml::node_type::none:
        break;
    }
    return "nothing";
}

SourceError TomlReader::at(const toml::source_region& region, std::string message) const
{
    SourceError error;
    error.file = file_;
    error.line = region.begin.line > 0 ? static_cast<std::int64_t>(region.begin.line) : 1;
    error.column = region.begin.column > 0 ? static_cast<std::int64_t>(region.begin.column) : 1;
    error.message = std::move(message);
    return error;
}

namespace {

SourceError syntaxError(const TomlReader& reader, const toml::parse_error& error)
{
    return reader.at(error.source(), "TOML syntax error: " + std::string(error.description()) +
                                         " (fix the TOML syntax there)");
}

} // namespace

SourceResult<toml::table> TomlReader::parse(const std::filesystem::path& path) const
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        const bool exists = std::filesystem::exists(path, ec);
        return std::unexpected(SourceError{
            file_, 1, 1,
            exists
                ? "is not a regular file (pass the path of a TOML file)"
                : "file not found (check the path; relative paths resolve against the directory of the file "
                  "that names them)"});
    }
    try {
        return toml::parse_file(path.string());
    } catch (const toml::parse_error& error) {
        return std::unexpected(syntaxError(*this, error));
    }
}

SourceResult<toml::table> TomlReader::parseText(std::string_view text) const
{
    try {
        return toml::parse(text, file_);
    } catch (const toml::parse_error& error) {
        return std::unexpected(syntaxError(*this, error));
    }
}

std::optional<SourceError> TomlReader::unknownKey(const toml::table& table,
                                                  std::initializer_list<std::string_view> known,
                                                  std::string_view where) const
{
    for (auto&& [key, value] : table) {
        bool isKnown = false;
        for (const std::string_view name : known) {
            isKnown = isKnown || key.str() == name;
        }
        if (!isKnown) {
            std::string list;
            for (const std::string_view name : known) {
                list += list.empty() ? "" : ", ";
                list += name;
            }
            return at(key.source(), "unknown key \"" + std::string(key.str()) + "\" in " +
                                        std::string(where) + " (allowed: " + list + ")");
        }
    }
    return std::nullopt;
}

SourceError TomlReader::missing(const toml::table& table, std::string_view key, std::string_view where,
                                std::string_view example) const
{
    return at(table.source(), "missing key \"" + std::string(key) + "\" in " + std::string(where) + "; add " +
                                  std::string(key) + " = " + std::string(example));
}

SourceError TomlReader::wrongType(const toml::node& node, std::string_view key, std::string_view where,
                                  std::string_view expected) const
{
    return at(node.source(), std::string(where) + " \"" + std::string(key) + "\" must be " +
                                 std::string(expected) + ", not " + std::string(tomlTypeName(node)));
}

SourceResult<std::optional<std::string>> TomlReader::optString(const toml::table& table, std::string_view key,
                                                               std::string_view where) const
{
    const toml::node* node = table.get(key);
    if (node == nullptr) {
        return std::optional<std::string>{};
    }
    if (const auto* value = node->as_string()) {
        return std::optional<std::string>{value->get()};
    }
    return std::unexpected(wrongType(*node, key, where, "a string"));
}

SourceResult<std::string> TomlReader::string(const toml::table& table, std::string_view key,
                                             std::string_view where) const
{
    auto value = optString(table, key, where);
    if (!value) {
        return std::unexpected(value.error());
    }
    if (!*value) {
        return std::unexpected(missing(table, key, where, "\"…\""));
    }
    if ((*value)->empty()) {
        return std::unexpected(at(table.get(key)->source(), std::string(where) + " \"" + std::string(key) +
                                                                "\" is empty; give it a value"));
    }
    return std::move(**value);
}

SourceResult<std::optional<std::int64_t>>
TomlReader::optInteger(const toml::table& table, std::string_view key, std::string_view where) const
{
    const toml::node* node = table.get(key);
    if (node == nullptr) {
        return std::optional<std::int64_t>{};
    }
    if (const auto* value = node->as_integer()) {
        return std::optional<std::int64_t>{value->get()};
    }
    return std::unexpected(wrongType(*node, key, where, "an integer"));
}

SourceResult<std::optional<bool>> TomlReader::optBool(const toml::table& table, std::string_view key,
                                                      std::string_view where) const
{
    const toml::node* node = table.get(key);
    if (node == nullptr) {
        return std::optional<bool>{};
    }
    if (const auto* value = node->as_boolean()) {
        return std::optional<bool>{value->get()};
    }
    return std::unexpected(wrongType(*node, key, where, "true or false"));
}

SourceResult<std::optional<double>> TomlReader::optNumber(const toml::table& table, std::string_view key,
                                                          std::string_view where) const
{
    const toml::node* node = table.get(key);
    if (node == nullptr) {
        return std::optional<double>{};
    }
    if (const auto* value = node->as_floating_point()) {
        return std::optional<double>{value->get()};
    }
    if (const auto* value = node->as_integer()) {
        return std::optional<double>{static_cast<double>(value->get())};
    }
    return std::unexpected(wrongType(*node, key, where, "a number"));
}

namespace {

template <class T, class As>
SourceResult<std::optional<std::vector<T>>> optArray(const TomlReader& reader, const toml::table& table,
                                                     std::string_view key, std::string_view where,
                                                     std::string_view expected, As as)
{
    const toml::node* node = table.get(key);
    if (node == nullptr) {
        return std::optional<std::vector<T>>{};
    }
    const auto* array = node->as_array();
    if (array == nullptr) {
        return std::unexpected(reader.wrongType(*node, key, where, expected));
    }
    std::vector<T> out;
    for (const toml::node& element : *array) {
        const auto* value = as(element);
        if (value == nullptr) {
            return std::unexpected(reader.wrongType(element, key, where, expected));
        }
        out.push_back(value->get());
    }
    return std::optional<std::vector<T>>{std::move(out)};
}

} // namespace

SourceResult<std::optional<std::vector<std::string>>>
TomlReader::optStringArray(const toml::table& table, std::string_view key, std::string_view where) const
{
    return optArray<std::string>(*this, table, key, where, "an array of strings",
                                 [](const toml::node& n) { return n.as_string(); });
}

SourceResult<std::optional<std::vector<std::int64_t>>>
TomlReader::optIntegerArray(const toml::table& table, std::string_view key, std::string_view where) const
{
    return optArray<std::int64_t>(*this, table, key, where, "an array of integers",
                                  [](const toml::node& n) { return n.as_integer(); });
}

SourceResult<const toml::table*> TomlReader::optTable(const toml::table& table, std::string_view key,
                                                      std::string_view where) const
{
    const toml::node* node = table.get(key);
    if (node == nullptr) {
        return static_cast<const toml::table*>(nullptr);
    }
    if (const auto* sub = node->as_table()) {
        return sub;
    }
    return std::unexpected(wrongType(*node, key, where, "a table ([" + std::string(key) + "])"));
}

SourceResult<const toml::array*> TomlReader::optTableArray(const toml::table& table, std::string_view key,
                                                           std::string_view where) const
{
    const toml::node* node = table.get(key);
    if (node == nullptr) {
        return static_cast<const toml::array*>(nullptr);
    }
    if (const auto* array = node->as_array();
        array != nullptr && (array->empty() || array->is_array_of_tables())) {
        return array;
    }
    return std::unexpected(wrongType(*node, key, where, "an array of tables ([[" + std::string(key) + "]])"));
}

} // namespace retour::base
