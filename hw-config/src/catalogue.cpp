#include "catalogue.h"

#include "retour/base/toml.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace retour::hwconfig {

namespace {

// start-up only: a broken catalogue stops the tool with "FILE:LINE:COL: what".
template <class T> T need(base::SourceResult<T> value)
{
    if (!value) {
        throw std::runtime_error(value.error().format());
    }
    return std::move(*value);
}

unsigned parseHexId(const base::TomlReader& reader, const toml::node& node, const char* key)
{
    const auto* text = node.as_string();
    unsigned value = 0;
    if (text != nullptr) {
        const std::string& s = text->get();
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, 16);
        if (ec == std::errc{} && end == s.data() + s.size() && s.size() == 4) {
            return value;
        }
    }
    throw std::runtime_error(
        reader
            .at(node.source(), std::string("'") + key + "' must be four hex digits in quotes, e.g. \"0922\"")
            .format());
}

} // namespace

std::filesystem::path Catalogue::defaultFile()
{
    return RETOUR_CATALOGUE_FILE;
}

Catalogue Catalogue::load(const std::filesystem::path& file)
{
    const base::TomlReader reader(file);
    const toml::table root = need(reader.parse());
    if (auto unknown =
            reader.unknownKey(root, {"device"}, "the catalogue (it holds [[device]] entries only)")) {
        throw std::runtime_error(unknown->format());
    }
    Catalogue catalogue;
    const toml::array* devices = need(reader.optTableArray(root, "device", "the catalogue"));
    if (devices == nullptr) {
        return catalogue;
    }
    for (std::size_t i = 0; i < devices->size(); ++i) {
        const toml::table& table = *(*devices)[i].as_table();
        const std::string where = "[[device]] #" + std::to_string(i + 1);
        if (auto unknown =
                reader.unknownKey(table, {"vid", "pid", "name", "kind", "driver", "quirks"}, where)) {
            throw std::runtime_error(unknown->format());
        }
        CatalogueEntry entry;
        const auto* vid = table.get("vid");
        const auto* pid = table.get("pid");
        if (vid == nullptr || pid == nullptr) {
            throw std::runtime_error(
                reader.missing(table, vid == nullptr ? "vid" : "pid", where, "\"0922\"").format());
        }
        entry.vendor = parseHexId(reader, *vid, "vid");
        entry.product = parseHexId(reader, *pid, "pid");
        entry.name = need(reader.string(table, "name", where));
        entry.kind = need(reader.string(table, "kind", where));
        entry.driver = need(reader.string(table, "driver", where));
        entry.quirks =
            need(reader.optStringArray(table, "quirks", where)).value_or(std::vector<std::string>{});
        catalogue.entries_.push_back(std::move(entry));
    }
    return catalogue;
}

const CatalogueEntry* Catalogue::find(unsigned vendor, unsigned product) const
{
    for (const auto& entry : entries_) {
        if (entry.vendor == vendor && entry.product == product)
            return &entry;
    }
    return nullptr;
}

} // namespace retour::hwconfig
