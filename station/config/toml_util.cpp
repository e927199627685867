#include "config/toml_util.h"

#include <sstream>

namespace retour::station::tomlutil {

std::string where(const toml::source_region& region, const std::filesystem::path& file)
{
    const std::string path = region.path ? *region.path : file.string();
    return path + ":" + std::to_string(region.begin.line == 0 ? 1 : region.begin.line) + ":" +
           std::to_string(region.begin.column == 0 ? 1 : region.begin.column);
}

Error errorAt(ErrorCode code, const toml::source_region& region, const std::filesystem::path& file,
              std::string_view what)
{
    return Error{code, where(region, file) + ": " + std::string(what)};
}

Result<toml::table> parseText(std::string_view text, const std::filesystem::path& file, ErrorCode code)
{
    try {
        return toml::parse(text, file.string());
    } catch (const toml::parse_error& e) {
        return std::unexpected(
            errorAt(code, e.source(), file, std::string(e.description()) + " (fix the TOML syntax there)"));
    }
}

Result<toml::table> parseFile(const std::filesystem::path& file, ErrorCode code)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        return fail(code, file.string() +
                              ":1:1: file not found (check the path; relative paths resolve against "
                              "the directory of the file that names them)");
    }
    try {
        return toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        return std::unexpected(
            errorAt(code, e.source(), file, std::string(e.description()) + " (fix the TOML syntax there)"));
    }
}

std::string_view typeName(const toml::node& node)
{
    switch (node.type()) {
    case toml::node_type::table:
        return "table";
    case toml::node_type::array:
        return "array";
    case toml::node_type::string:
        return "string";
    case toml::node_type::integer:
        return "integer";
    case toml::node_type::floating_point:
        return "float";
    case toml::node_type::boolean:
        return "boolean";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
        return "date/time";
    case toml::node_type::none:
        break;
    }
    return "nothing";
}

Result<void> rejectUnknownKeys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                               std::string_view tableName, const std::filesystem::path& file, ErrorCode code)
{
    for (const auto& [key, node] : table) {
        bool known = false;
        for (auto name : allowed) {
            known = known || key.str() == name;
        }
        if (!known) {
            std::string list;
            for (auto name : allowed) {
                list += (list.empty() ? "" : ", ") + std::string(name);
            }
            return std::unexpected(errorAt(code, key.source(), file,
                                           "unknown key \"" + std::string(key.str()) + "\" in " +
                                               std::string(tableName) + " (allowed: " + list + ")"));
        }
    }
    return {};
}

namespace {

Error wrongType(const toml::node& node, std::string_view key, std::string_view tableName,
                std::string_view expected, const std::filesystem::path& file, ErrorCode code)
{
    return errorAt(code, node.source(), file,
                   std::string(tableName) + " \"" + std::string(key) + "\" must be " + std::string(expected) +
                       ", not a " + std::string(typeName(node)));
}

} // namespace

Result<std::optional<std::string>> getString(const toml::table& table, std::string_view key,
                                             std::string_view tableName, const std::filesystem::path& file,
                                             ErrorCode code)
{
    const toml::node* node = table.get(key);
    if (node == nullptr) {
        return std::optional<std::string>{};
    }
    if (const auto* value = node->as_string()) {
        return std::optional<std::string>{value->get()};
    }
    return std::unexpected(wrongType(*node, key, tableName, "a string", file, code));
}

Result<std::optional<std::int64_t>> getInteger(const toml::table& table, std::string_view key,
                                               std::string_view tableName, const std::filesystem::path& file,
                                               ErrorCode code)
{
    const toml::node* node = table.get(key);
    if (node == nullptr) {
        return std::optional<std::int64_t>{};
    }
    if (const auto* value = node->as_integer()) {
        return std::optional<std::int64_t>{value->get()};
    }
    return std::unexpected(wrongType(*node, key, tableName, "an integer", file, code));
}

Result<std::optional<double>> getNumber(const toml::table& table, std::string_view key,
                                        std::string_view tableName, const std::filesystem::path& file,
                                        ErrorCode code)
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
    return std::unexpected(wrongType(*node, key, tableName, "a number", file, code));
}

Result<std::optional<std::vector<std::string>>> getStringArray(const toml::table& table, std::string_view key,
                                                               std::string_view tableName,
                                                               const std::filesystem::path& file,
                                                               ErrorCode code)
{
    const toml::node* node = table.get(key);
    if (node == nullptr) {
        return std::optional<std::vector<std::string>>{};
    }
    const auto* array = node->as_array();
    if (array == nullptr) {
        return std::unexpected(wrongType(*node, key, tableName, "an array of strings", file, code));
    }
    std::vector<std::string> values;
    for (const auto& element : *array) {
        const auto* value = element.as_string();
        if (value == nullptr) {
            return std::unexpected(wrongType(element, key, tableName, "an array of strings", file, code));
        }
        values.push_back(value->get());
    }
    return std::optional<std::vector<std::string>>{std::move(values)};
}

Result<std::optional<std::vector<std::int64_t>>>
getIntegerArray(const toml::table& table, std::string_view key, std::string_view tableName,
                const std::filesystem::path& file, ErrorCode code)
{
    const toml::node* node = table.get(key);
    if (node == nullptr) {
        return std::optional<std::vector<std::int64_t>>{};
    }
    const auto* array = node->as_array();
    if (array == nullptr) {
        return std::unexpected(wrongType(*node, key, tableName, "an array of integers", file, code));
    }
    std::vector<std::int64_t> values;
    for (const auto& element : *array) {
        const auto* value = element.as_integer();
        if (value == nullptr) {
            return std::unexpected(wrongType(element, key, tableName, "an array of integers", file, code));
        }
        values.push_back(value->get());
    }
    return std::optional<std::vector<std::int64_t>>{std::move(values)};
}

} // namespace retour::station::tomlutil
