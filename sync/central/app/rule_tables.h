#pragma once

// What the rule files (refund policy, stock routing, authorisation rules) share: their [[rule]]
// arrays of tables, a rule's "file:line:col", and the first error of several reads.
#include "app/toml_reader.h"
#include "ledger/try.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::central {

// The [[name]] array of tables of `root`; an empty list when absent.
inline SourceResult<std::vector<const toml::table*>>
ruleTables(const TomlReader& reader, const toml::table& root, std::string_view name)
{
    std::vector<const toml::table*> out;
    const toml::node* node = root.get(name);
    if (node == nullptr) {
        return out;
    }
    const toml::array* array = node->as_array();
    if (array == nullptr) {
        return std::unexpected(reader.at(node->source(), std::string(name) +
                                                             " must be an array of tables; write [[" +
                                                             std::string(name) + "]]"));
    }
    for (const toml::node& element : *array) {
        const toml::table* table = element.as_table();
        if (table == nullptr) {
            return std::unexpected(reader.at(element.source(), "each " + std::string(name) +
                                                                   " must be a table; write [[" +
                                                                   std::string(name) + "]]"));
        }
        out.push_back(table);
    }
    return out;
}

// Each [[name]] table of `root` read by `read(table, index)` (a SourceResult<T>), in file order.
template <class T, class Read>
SourceResult<std::vector<T>> readRuleTables(const TomlReader& reader, const toml::table& root,
                                            std::string_view name, Read read)
{
    CENTRAL_TRY_ASSIGN(tables, ruleTables(reader, root, name));
    std::vector<T> out;
    for (std::size_t i = 0; i < tables.size(); ++i) {
        CENTRAL_TRY_ASSIGN(rule, read(*tables[i], i));
        out.push_back(std::move(rule));
    }
    return out;
}

// Where `table` starts: "file:line:col" (decisions and movements name the rule that made them).
inline std::string ruleSource(const TomlReader& reader, const toml::table& table)
{
    const SourceError here = reader.at(table.source(), "");
    return here.file + ":" + std::to_string(here.line) + ":" + std::to_string(here.column);
}

// The first error among `results` (std::expected values), in the order given.
template <class... Results> std::optional<SourceError> firstError(const Results&... results)
{
    std::optional<SourceError> first;
    ((first || results ? void() : void(first = results.error())), ...);
    return first;
}

} // namespace retour::central
