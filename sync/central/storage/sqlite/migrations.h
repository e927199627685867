#pragma once

#include <span>
#include <string_view>

namespace retour::central {

// A numbered schema migration (storage/sqlite/migrations/NNNN_name.sql, embedded at build time).
struct Migration
{
    int version;
    std::string_view name;
    std::string_view sql;
};

// In version order. Defined in the generated sqlite_migrations.cpp.
std::span<const Migration> sqliteMigrations();

} // namespace retour::central
