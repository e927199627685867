#include "web/ui_config.h"

#include "config/toml_source.h"

#include <charconv>

namespace retour::station::web {

std::optional<std::pair<std::string, int>> parseListen(std::string_view listen)
{
    const auto colon = listen.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == listen.size()) {
        return std::nullopt;
    }
    const std::string_view portText = listen.substr(colon + 1);
    int port = -1;
    const auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
    if (ec != std::errc{} || end != portText.data() + portText.size() || port < 0 || port > 65535) {
        return std::nullopt;
    }
    return std::pair{std::string(listen.substr(0, colon)), port};
}

Result<void> readUiConfig(const toml::table& root, StationConfig& config)
{
    constexpr ErrorCode kCode = ErrorCode::Config;
    const toml::node* node = root.get("ui");
    if (node == nullptr) {
        return {};
    }
    const auto* table = node->as_table();
    if (table == nullptr) {
        return std::unexpected(
            located(kCode, base::TomlReader(config.file).at(node->source(), "[ui] must be a table")));
    }
    if (auto ok = located(kCode, base::TomlReader(config.file).unknownKey(*table, {"listen", "dir"}, "[ui]"));
        !ok) {
        return ok;
    }
    UiConfig ui;
    auto listen = located(kCode, base::TomlReader(config.file).optString(*table, "listen", "[ui]"));
    if (!listen) {
        return std::unexpected(listen.error());
    }
    if (*listen) {
        auto parsed = parseListen(**listen);
        if (!parsed) {
            return std::unexpected(located(kCode, base::TomlReader(config.file)
                                                      .at(table->get("listen")->source(),
                                                          "[ui] listen must be \"HOST:PORT\", e.g. "
                                                          "\"127.0.0.1:8080\" (port 0: any free port)")));
        }
        ui.host = parsed->first;
        ui.port = parsed->second;
    }
    auto dir = located(kCode, base::TomlReader(config.file).optString(*table, "dir", "[ui]"));
    if (!dir) {
        return std::unexpected(dir.error());
    }
    if (*dir) {
        const std::filesystem::path path(**dir);
        ui.dir = (path.is_absolute() ? path : config.dir / path).lexically_normal();
    }
    config.ui = ui;
    return {};
}

} // namespace retour::station::web

namespace retour::station::web {

std::filesystem::path uiDirectory(const std::filesystem::path& configured)
{
    if (!configured.empty()) {
        return configured;
    }
    std::error_code error;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
    if (!error) {
        const auto installed = (exe.parent_path() / "../share/retour/station-ui").lexically_normal();
        if (std::filesystem::is_regular_file(installed / "index.html", error)) {
            return installed;
        }
    }
    return RETOUR_STATION_UI_SOURCE_DIR;
}

} // namespace retour::station::web
