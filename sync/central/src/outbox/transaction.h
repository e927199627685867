#pragma once

#include "retour/central/error.h"
#include "sqlite_db.h"

#include <functional>

namespace retour::central {

// Run `body` in one IMMEDIATE transaction on `db`: committed when it succeeds, rolled back (and
// its error returned) when it fails. Not reentrant. Thread-bound to the connection's thread.
inline Result<void> inTransaction(sqlite::Database& db, const std::function<Result<void>()>& body)
{
    if (auto begun = db.exec("BEGIN IMMEDIATE"); !begun) {
        return begun;
    }
    auto result = body();
    if (result) {
        result = db.exec("COMMIT");
    }
    if (!result) {
        (void)db.exec("ROLLBACK");
    }
    return result;
}

} // namespace retour::central
