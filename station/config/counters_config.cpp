#include "config/counters_config.h"

#include "config/toml_util.h"
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
            tomlutil::errorAt(kCode, node->source(), config.file, "[counters] must be a table"));
    }
    if (auto ok = tomlutil::rejectUnknownKeys(*table, {"shifts"}, "[counters]", config.file, kCode); !ok) {
        return ok;
    }
    auto shifts = tomlutil::getStringArray(*table, "shifts", "[counters]", config.file, kCode);
    if (!shifts) {
        return std::unexpected(shifts.error());
    }
    if (!*shifts) {
        return {};
    }
    const toml::array& array = *table->get("shifts")->as_array();
    if ((*shifts)->empty()) {
        return std::unexpected(tomlutil::errorAt(kCode, array.source(), config.file,
                                                 "[counters] shifts needs at least one start time, "
                                                 "e.g. [\"06:00\", \"14:00\", \"22:00\"]"));
    }
    std::vector<int> starts;
    for (std::size_t i = 0; i < (*shifts)->size(); ++i) {
        const auto minutes = parseTimeOfDay((**shifts)[i]);
        if (!minutes) {
            return std::unexpected(tomlutil::errorAt(kCode, array[i].source(), config.file,
                                                     "[counters] shifts: \"" + (**shifts)[i] +
                                                         "\" is not a local time HH:MM (00:00 to 23:59)"));
        }
        if (std::find(starts.begin(), starts.end(), *minutes) != starts.end()) {
            return std::unexpected(
                tomlutil::errorAt(kCode, array[i].source(), config.file,
                                  "[counters] shifts: \"" + (**shifts)[i] + "\" is listed twice"));
        }
        starts.push_back(*minutes);
    }
    std::sort(starts.begin(), starts.end());
    config.counters.shiftStarts = std::move(starts);
    return {};
}

} // namespace retour::station
