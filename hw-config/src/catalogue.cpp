#include "catalogue.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <toml++/toml.h>

namespace retour::hwconfig {

namespace {

std::string where(const std::filesystem::path& file, const toml::source_region& region)
{
    return file.string() + ":" + std::to_string(region.begin.line) + ":" +
           std::to_string(region.begin.column);
}

unsigned parseHexId(const toml::node& node, const char* key, const std::filesystem::path& file)
{
    const auto* text = node.as_string();
    unsigned value = 0;
    if (text != nullptr) {
        const std::string& s = text->get();
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, 16);
        if (ec == std::errc{} && end == s.data() + s.size() && s.size() == 4)
            return value;
    }
    throw std::runtime_error(where(file, node.source()) + ": '" + key +
                             "' must be four hex digits in quotes, e.g. \"0922\"");
}

std::string requireString(const toml::table& table, const char* key, const std::filesystem::path& file)
{
    const auto* node = table.get(key);
    if (node == nullptr || !node->is_string())
        throw std::runtime_error(where(file, table.source()) + ": device entry needs a string '" + key + "'");
    return node->as_string()->get();
}

} // namespace

std::filesystem::path Catalogue::defaultFile()
{
    return RETOUR_CATALOGUE_FILE;
}

Catalogue Catalogue::load(const std::filesystem::path& file)
{
    toml::table root;
    try {
        root = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        throw std::runtime_error(where(file, e.source()) + ": " + std::string(e.description()));
    }
    Catalogue catalogue;
    for (auto&& [key, node] : root) {
        if (key.str() != "device")
            throw std::runtime_error(where(file, node.source()) + ": unknown key '" + std::string(key.str()) +
                                     "' (the catalogue holds [[device]] entries only)");
    }
    const auto* devices = root.get_as<toml::array>("device");
    if (devices == nullptr)
        return catalogue;
    for (const auto& node : *devices) {
        const auto* table = node.as_table();
        if (table == nullptr)
            throw std::runtime_error(where(file, node.source()) + ": [[device]] must be a table");
        for (auto&& [key, value] : *table) {
            static constexpr std::string_view known[] = {"vid", "pid", "name", "kind", "driver", "quirks"};
            if (std::find(std::begin(known), std::end(known), key.str()) == std::end(known))
                throw std::runtime_error(where(file, value.source()) + ": unknown key '" +
                                         std::string(key.str()) +
                                         "' (expected vid, pid, name, kind, driver, quirks)");
        }
        CatalogueEntry entry;
        const auto* vid = table->get("vid");
        const auto* pid = table->get("pid");
        if (vid == nullptr || pid == nullptr)
            throw std::runtime_error(where(file, table->source()) + ": device entry needs 'vid' and 'pid'");
        entry.vendor = parseHexId(*vid, "vid", file);
        entry.product = parseHexId(*pid, "pid", file);
        entry.name = requireString(*table, "name", file);
        entry.kind = requireString(*table, "kind", file);
        entry.driver = requireString(*table, "driver", file);
        if (const auto* quirks = table->get_as<toml::array>("quirks")) {
            for (const auto& q : *quirks) {
                if (!q.is_string())
                    throw std::runtime_error(where(file, q.source()) + ": quirks must be strings");
                entry.quirks.push_back(q.as_string()->get());
            }
        }
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
