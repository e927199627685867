#pragma once

#include "ledger/error.h"
#include "storage/sqlite/sqlite_db.h"

#include <functional>

namespace retour::central {

// Run `body` in one IMMEDIATE transaction on `db` (sqlite::Database::transaction). Not reentrant.
// Thread-bound to the connection's thread.
inline Result<void> inTransaction(sqlite::Database& db, const std::function<Result<void>()>& body)
{
    return db.transaction(body);
}

} // namespace retour::central
