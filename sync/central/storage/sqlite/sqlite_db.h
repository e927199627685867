#pragma once

// The SQLite layer is base's (base/include/retour/base/sqlite.h): its errors become central's
// ErrorCode::Database (ledger/error.h).
#include "ledger/error.h"
#include "retour/base/sqlite.h"

namespace retour::central::sqlite {

using Database = base::sqlite::Database;
using Statement = base::sqlite::Statement;

} // namespace retour::central::sqlite
