#include "retour/drivers/sim.h"

#include <system_error>

namespace retour::drivers {

SimWorld::SimWorld() = default;
SimWorld::~SimWorld() = default;

Result<SimWorld::Cursor*> SimWorld::cursor(const std::filesystem::path& file)
{
    // One cursor per file, however the URIs spell its path.
    std::error_code ec;
    std::filesystem::path key = std::filesystem::weakly_canonical(file, ec);
    if (ec) {
        key = file.lexically_normal();
    }
    if (const auto it = cursors_.find(key); it != cursors_.end()) {
        return it->second.get();
    }
    auto scenario = loadSimScenario(file);
    if (!scenario) {
        return std::unexpected(scenario.error());
    }
    auto cursor = std::make_unique<Cursor>();
    cursor->scenario = std::move(*scenario);
    Cursor* raw = cursor.get();
    cursors_.emplace(std::move(key), std::move(cursor));
    return raw;
}

bool SimWorld::finished() const
{
    return delivered() == total();
}

std::size_t SimWorld::delivered() const
{
    std::size_t n = 0;
    for (const auto& [file, cursor] : cursors_) {
        n += cursor->next;
    }
    return n;
}

std::size_t SimWorld::total() const
{
    std::size_t n = 0;
    for (const auto& [file, cursor] : cursors_) {
        n += cursor->scenario.steps.size();
    }
    return n;
}

} // namespace retour::drivers
