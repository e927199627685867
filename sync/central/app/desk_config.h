#pragma once

#include "app/config.h"
#include "app/toml_reader.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace retour::central {

// The [http], [rules] and [returns] tables of the config file (see config.h). `file` is the
// config file's absolute path; relative paths resolve against its directory. Reentrant.
SourceResult<void> readDeskSections(const TomlReader& reader, const toml::table& root,
                                    const std::filesystem::path& file, Config& config);

struct ListenAddress
{
    std::string host;
    int port = 0;
};
// "HOST:PORT" (IPv4 address or name; "[::1]:8081" for IPv6), port 0-65535. Pure.
std::optional<ListenAddress> parseListen(std::string_view text);

} // namespace retour::central
