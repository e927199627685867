#pragma once

// Numbered schema migrations of the station database, applied in order at open (docs/architecture.md
// "Storage"). Never edit a released migration: add the next number. Internal.

#include <span>

namespace retour::station {

struct Migration
{
    int version;
    const char* sql;
};

std::span<const Migration> stationMigrations();

} // namespace retour::station
