#pragma once

#include "app/config.h"
#include "app/toml_reader.h"

namespace retour::central {

// [returns.refunds], [returns.stock], [returns.messages] and [returns.delivery] of the config file
// (see config.h), read from the [returns] table. `file` is the config file's absolute path;
// relative paths resolve against its directory. Reentrant.
SourceResult<void> readOutcomeSections(const TomlReader& reader, const toml::table& returns,
                                       const std::filesystem::path& file, Config& config);

} // namespace retour::central
