#pragma once

// The station's files are read with base's TOML reader (retour/base/toml.h); its FILE:LINE:COL
// errors become the station's Error with the code of the kind of file (Config, Rules).

#include "app/error.h"
#include "retour/base/toml.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace retour::station {

inline Error located(ErrorCode code, const base::SourceError& error)
{
    return Error{code, error.format()};
}

// An error at `key` of `table` (at the table when the key is absent).
inline Error errorAtKey(ErrorCode code, const toml::table& table, std::string_view key,
                        const std::filesystem::path& file, std::string_view what)
{
    const toml::node* node = table.get(key);
    return located(code, base::TomlReader(file).at(node != nullptr ? node->source() : table.source(),
                                                   std::string(what)));
}

// An unknown key (base::TomlReader::unknownKey) as an error; nothing when every key is known.
inline Result<void> located(ErrorCode code, const std::optional<base::SourceError>& error)
{
    if (error) {
        return std::unexpected(located(code, *error));
    }
    return {};
}

template <class T> Result<T> located(ErrorCode code, base::SourceResult<T>&& result)
{
    if (!result) {
        return std::unexpected(located(code, result.error()));
    }
    return std::move(*result);
}

} // namespace retour::station
