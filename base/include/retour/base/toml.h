#pragma once

// Reading the TOML files people write (configs, rules, seeds, scenarios, catalogues) with toml++:
// every problem becomes a SourceError at the offending key or value ("FILE:LINE:COL: message"),
// with a hint of what to write.

#include <cstdint>
#include <expected>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <vector>

namespace retour::base {

// An error in a file a person wrote: where it is and what to do.
struct SourceError
{
    std::string file;
    std::int64_t line = 1;
    std::int64_t column = 1;
    std::string message;

    // "FILE:LINE:COL: message", the form editors and compilers use.
    std::string format() const
    {
        return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
    }
};

template <class T> using SourceResult = std::expected<T, SourceError>;

// A node's type for messages, with its article: "a string", "an integer", "a table", …
std::string_view tomlTypeName(const toml::node& node);

// Typed, located reads from a toml++ table. `where` names the table in messages, e.g. "[broker]"
// or "[[rma]] #2". The getters answer nullopt when the key is absent and an error at the value
// when its type is wrong.
//
// Thread contract: reentrant.
class TomlReader
{
public:
    // `file` names the file in every error (the path as the user gave it).
    explicit TomlReader(const std::filesystem::path& file) : file_(file.string()) {}

    const std::string& file() const { return file_; }

    SourceError at(const toml::source_region& region, std::string message) const;

    // Parse the file (or `text` as if it were the file's content); a missing file and a syntax
    // error become SourceErrors.
    SourceResult<toml::table> parse(const std::filesystem::path& path) const;
    SourceResult<toml::table> parse() const { return parse(file_); }
    SourceResult<toml::table> parseText(std::string_view text) const;

    // The first key of `table` not in `known`, as an error naming the allowed ones; nothing when
    // all keys are known.
    std::optional<SourceError> unknownKey(const toml::table& table,
                                          std::initializer_list<std::string_view> known,
                                          std::string_view where) const;
    // The error for a key that must be there, with an example of what to write.
    SourceError missing(const toml::table& table, std::string_view key, std::string_view where,
                        std::string_view example) const;
    // The error for a value of the wrong type: `expected` says what it must be ("an integer").
    SourceError wrongType(const toml::node& node, std::string_view key, std::string_view where,
                          std::string_view expected) const;

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
    // An array of strings; a single string is not accepted (be explicit: ["A"]).
    SourceResult<std::optional<std::vector<std::string>>>
    optStringArray(const toml::table& table, std::string_view key, std::string_view where) const;
    SourceResult<std::optional<std::vector<std::int64_t>>>
    optIntegerArray(const toml::table& table, std::string_view key, std::string_view where) const;
    // A sub-table (e.g. [broker]); nullptr when absent, an error when the key holds something else.
    SourceResult<const toml::table*> optTable(const toml::table& table, std::string_view key,
                                              std::string_view where) const;
    // An array of tables (e.g. [[step]]); nullptr when absent, an error when it holds anything else.
    SourceResult<const toml::array*> optTableArray(const toml::table& table, std::string_view key,
                                                   std::string_view where) const;

private:
    std::string file_;
};

} // namespace retour::base
