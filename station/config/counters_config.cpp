#include "config/counters_config.h"

#include "config/toml_source.h"
#include "store/counters.h"

#include <algorithm>

namespace retour::station {

Result<void> readCountersConfig(const toml::table& root, StationConfig& config)
{
    constexpr ErrorCode kCode = ErrorCode::Config;
    const toml::node* node = root.get("counters");
    if (node == nullptr) {
        return {};
    }
    const auto* table = node->as_table();
    if (table == nullptr) {
        return std::unexpected(
            located(kCode, base::TomlReader(config.file).at(node->source(), "[counters] must be a table")));
    }
    if (auto ok = located(kCode, base::TomlReader(config.file).unknownKey(*table, {"shifts"}, "[counters]"));
        !ok) {
        return ok;
    }
    auto shifts =
        located(kCode, base::TomlReader(config.file).optStringArray(*table, "shifts", "[counters]"));
    if (!shifts) {
        return std::unexpected(shifts.error());
    }
    if (!*shifts) {
        return {};
    }
    const toml::array& array = *table->get("shifts")->as_array();
    if ((*shifts)->empty()) {
        return std::unexpected(
            located(kCode, base::TomlReader(config.file)
                               .at(array.source(), "[counters] shifts needs at least one start time, "
                                                   "e.g. [\"06:00\", \"14:00\", \"22:00\"]")));
    }
    std::vector<int> starts;
    for (std::size_t i = 0; i < (*shifts)->size(); ++i) {
        const auto minutes = parseTimeOfDay((**shifts)[i]);
        if (!minutes) {
            return std::unexpected(located(
                kCode, base::TomlReader(config.file)
                           .at(array[i].source(), "[counters] shifts: \"" + (**shifts)[i] +
                                                      "\" is not a local time HH:MM (00:00 to 23:59)")));
        }
        if (std::find(starts.begin(), starts.end(), *minutes) != starts.end()) {
            return std::unexpected(
                located(kCode, base::TomlReader(config.file)
                                   .at(array[i].source(),
                                       "[counters] shifts: \"" + (**shifts)[i] + "\" is listed twice")));
        }
        starts.push_back(*minutes);
    }
    std::sort(starts.begin(), starts.end());
    config.counters.shiftStarts = std::move(starts);
    return {};
}

} // namespace retour::station
