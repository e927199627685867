#pragma once

#include "app/source_error.h"

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <vector>

namespace retour::central {

// Typed, located reads from a toml++ table for the files people write (config, RMA seed): every
// problem becomes a SourceError at the offending key or value, with a hint of what to write.
// `where` names the table in messages, e.g. "[broker]" or "[[rma]] #2".
//
// Thread contract: reentrant.
class TomlReader
{
public:
    explicit TomlReader(std::string file) : file_(std::move(file)) {}

    const std::string& file() const { return file_; }

    SourceError at(const toml::source_region& region, std::string message) const;

    // Parse a file; a missing file and a syntax error become SourceErrors.
    SourceResult<toml::table> parse(const std::filesystem::path& path) const;

    // The first key of `table` not in `known`, as an error; nothing when all keys are known.
    std::optional<SourceError> unknownKey(const toml::table& table,
                                          std::initializer_list<std::string_view> known,
                                          std::string_view where) const;

    SourceResult<std::optional<std::string>> optString(const toml::table& table, std::string_view key,
                                                       std::string_view where) const;
    // Present and not empty.
    SourceResult<std::string> string(const toml::table& table, std::string_view key,
                                     std::string_view where) const;
    SourceResult<std::optional<std::int64_t>> optInteger(const toml::table& table, std::string_view key,
                                                         std::string_view where) const;
    SourceResult<std::optional<bool>> optBool(const toml::table& table, std::string_view key,
                                              std::string_view where) const;
    // An integer or a float.
    SourceResult<std::optional<double>> optNumber(const toml::table& table, std::string_view key,
                                                  std::string_view where) const;
    SourceResult<std::optional<std::vector<std::string>>>
    optStringArray(const toml::table& table, std::string_view key, std::string_view where) const;
    // A sub-table (e.g. [broker]); nothing when absent, an error when the key holds something else.
    SourceResult<const toml::table*> optTable(const toml::table& table, std::string_view key,
                                              std::string_view where) const;

private:
    SourceError missing(const toml::table& table, std::string_view key, std::string_view where,
                        std::string_view example) const;
    SourceError wrongType(const toml::node& node, std::string_view key, std::string_view where,
                          std::string_view expected) const;

    std::string file_;
};

} // namespace retour::central
