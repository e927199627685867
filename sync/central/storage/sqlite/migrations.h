#pragma once

// The numbered schema migrations of the SQLite store (storage/sqlite/migrations/NNNN_name.sql,
// embedded at build time by retour_sql_migrations, cmake/RetourSqlMigrations.cmake):
// std::span<const base::Migration> sqliteMigrations(), in version order.
#include "central_sqlite_migrations.h"
#include "retour/base/migrations.h"

namespace retour::central {

using base::Migration;

} // namespace retour::central
