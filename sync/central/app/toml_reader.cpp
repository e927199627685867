// Located reads from TOML files (config and RMA seed), so every error names file:line:column.
#include "app/toml_reader.h"

#include <system_error>

namespace retour::central {

namespace {

std::string_view typeName(const toml::node& node)
{
    switch (node.type()) {
    case toml::node_type::string:
        return "a string";
    case toml::node_type::integer:
        return "an integer";
    case toml::node_type::floating_point:
        return "a number";
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

} // namespace

SourceError TomlReader::at(const toml::source_region& region, std::string message) const
{
    SourceError error;
    error.file = file_;
    error.line = region.begin.line > 0 ? static_cast<std::int64_t>(region.begin.line) : 1;
    error.column = region.begin.column > 0 ? static_cast<std::int64_t>(region.begin.column) : 1;
    error.message = std::move(message);
    return error;
}

SourceResult<toml::table> TomlReader::parse(const std::filesystem::path& path) const
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        const bool exists = std::filesystem::exists(path, ec);
        return std::unexpected(SourceError{file_, 1, 1,
                                           exists ? "is not a regular file; pass the path of a TOML file"
                                                  : "file not found; check the path (relative paths in a "
                                                    "config resolve against its directory)"});
    }
    try {
        return toml::parse_file(path.string());
    } catch (const toml::parse_error& error) {
        return std::unexpected(at(error.source(), "TOML syntax error: " + std::string(error.description()) +
                                                      "; fix the syntax at this place"));
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
                                        std::string(where) + "; remove it or use one of: " + list);
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
    return at(node.source(), "\"" + std::string(key) + "\" in " + std::string(where) + " must be " +
                                 std::string(expected) + ", not " + std::string(typeName(node)));
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
    return std::unexpected(wrongType(*node, key, where, "a string in quotes"));
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
        return std::unexpected(
            at(table.get(key)->source(),
               "\"" + std::string(key) + "\" in " + std::string(where) + " is empty; give it a value"));
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

SourceResult<std::optional<std::vector<std::string>>>
TomlReader::optStringArray(const toml::table& table, std::string_view key, std::string_view where) const
{
    const toml::node* node = table.get(key);
    if (node == nullptr) {
        return std::optional<std::vector<std::string>>{};
    }
    const auto* array = node->as_array();
    if (array == nullptr) {
        return std::unexpected(wrongType(*node, key, where, "an array of strings"));
    }
    std::vector<std::string> out;
    for (const toml::node& element : *array) {
        const auto* text = element.as_string();
        if (text == nullptr) {
            return std::unexpected(wrongType(element, key, where, "an array of strings"));
        }
        out.push_back(text->get());
    }
    return std::optional<std::vector<std::string>>{std::move(out)};
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

} // namespace retour::central
