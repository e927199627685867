// `retour-station verify-photos`: re-hash every photo the store refers to (docs/architecture.md "Storage":
// photos are files named by the SHA-256 of their content), so that evidence lost or altered on
// disk is found before somebody needs it.
#include "cli/cli.h"
#include "config/config.h"
#include "retour/vision/photo_store.h"
#include "store/store.h"

#include <iostream>
#include <nlohmann/json.hpp>

namespace retour::station {

int verifyPhotos(const std::filesystem::path& configFile, bool json)
{
    auto config = loadConfig(configFile);
    if (!config) {
        std::cerr << "retour-station: " << config.error().message << "\n";
        return config.error().code == ErrorCode::Config || config.error().code == ErrorCode::Rules ? 2 : 1;
    }
    auto store = Store::open(config->databasePath(),
                             Store::Options{config->site, config->stationId, config->outbox.capacity, 5000});
    if (!store) {
        std::cerr << "retour-station: " << store.error().message << "\n";
        return 1;
    }
    auto photos = (*store)->photos();
    if (!photos) {
        std::cerr << "retour-station: " << photos.error().message << "\n";
        return 1;
    }
    const vision::PhotoStore files(config->photoDir());
    nlohmann::json problems = nlohmann::json::array();
    std::size_t ok = 0;
    for (const auto& photo : *photos) {
        const auto state = files.check(photo.sha256);
        if (state == vision::PhotoStore::Check::Ok) {
            ++ok;
            continue;
        }
        problems.push_back(
            {{"inspection_id", photo.inspectionId},
             {"view", photo.view},
             {"sha256", photo.sha256},
             {"taken_at", photo.takenAt},
             {"path", files.pathOf(photo.sha256).string()},
             {"problem", state == vision::PhotoStore::Check::Missing ? "missing" : "changed"}});
    }
    if (json) {
        std::cout << nlohmann::json{{"photos", photos->size()}, {"ok", ok}, {"problems", problems}}.dump(2)
                  << "\n";
    } else {
        for (const auto& p : problems) {
            std::cout << p["problem"].get<std::string>() << "  " << p["path"].get<std::string>()
                      << "  (inspection " << p["inspection_id"].get<std::string>() << ", view "
                      << p["view"].get<std::string>() << ", taken " << p["taken_at"].get<std::string>()
                      << ")\n";
        }
        std::cout << photos->size() << " photo(s): " << ok << " ok, " << problems.size()
                  << " missing or changed\n";
    }
    return problems.empty() ? 0 : 1;
}

} // namespace retour::station
