#pragma once

// Helpers for reading the station's TOML files with errors that name FILE:LINE:COL (toml++ source
// regions). Internal to retour_station_core.

#include "app/error.h"

#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <vector>

namespace retour::station::tomlutil {

// "FILE:LINE:COL" of a source region (the file given when the region has no path).
std::string where(const toml::source_region& region, const std::filesystem::path& file);

// An error "FILE:LINE:COL: what".
Error errorAt(ErrorCode code, const toml::source_region& region, const std::filesystem::path& file,
              std::string_view what);

// Parse a file or a string; a syntax error becomes "FILE:LINE:COL: <description>".
Result<toml::table> parseFile(const std::filesystem::path& file, ErrorCode code);
Result<toml::table> parseText(std::string_view text, const std::filesystem::path& file, ErrorCode code);

// A readable name for a node's type ("string", "integer", …).
std::string_view typeName(const toml::node& node);

// Refuse keys not in `allowed`, naming the first unknown one and the allowed set.
Result<void> rejectUnknownKeys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                               std::string_view tableName, const std::filesystem::path& file, ErrorCode code);

// Typed getters: nullopt when the key is absent, an error naming the place when the type is wrong.
Result<std::optional<std::string>> getString(const toml::table& table, std::string_view key,
                                             std::string_view tableName, const std::filesystem::path& file,
                                             ErrorCode code);
Result<std::optional<std::int64_t>> getInteger(const toml::table& table, std::string_view key,
                                               std::string_view tableName, const std::filesystem::path& file,
                                               ErrorCode code);
// Integers are accepted where a float is expected.
Result<std::optional<double>> getNumber(const toml::table& table, std::string_view key,
                                        std::string_view tableName, const std::filesystem::path& file,
                                        ErrorCode code);
// An array of strings; a single string is not accepted (be explicit: ["A"]).
Result<std::optional<std::vector<std::string>>> getStringArray(const toml::table& table, std::string_view key,
                                                               std::string_view tableName,
                                                               const std::filesystem::path& file,
                                                               ErrorCode code);
Result<std::optional<std::vector<std::int64_t>>>
getIntegerArray(const toml::table& table, std::string_view key, std::string_view tableName,
                const std::filesystem::path& file, ErrorCode code);

} // namespace retour::station::tomlutil
