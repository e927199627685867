#pragma once

// Thin RAII over sqlite3 for the station store. Internal to retour_station_core.
//
// Thread contract: thread-bound to the connection's thread.

#include "app/error.h"

#include <cstdint>
#include <optional>
#include <sqlite3.h>
#include <string>
#include <string_view>

namespace retour::station::sql {

Error dbError(sqlite3* db, std::string_view what);

class Statement
{
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    bool ok() const { return rc_ == SQLITE_OK; }
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bindNull(int index);
    template <class T> Statement& bind(int index, const std::optional<T>& value)
    {
        return value ? bind(index, *value) : bindNull(index);
    }
    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step();
    // Run to completion; false on error (no row expected).
    bool run();
    void reset();

    std::int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    bool isNull(int column) const;

private:
    sqlite3_stmt* stmt_ = nullptr;
    int rc_ = SQLITE_OK;
    bool bindOk_ = true;
};

// BEGIN IMMEDIATE … COMMIT; rolls back unless commit() succeeded. With durable = true the commit
// runs with PRAGMA synchronous=FULL: nothing the operator confirmed is lost (docs/architecture.md).
class Transaction
{
public:
    Transaction(sqlite3* db, bool durable);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    bool active() const { return active_; }
    Result<void> commit();

private:
    sqlite3* db_;
    bool durable_;
    bool active_ = false;
};

bool exec(sqlite3* db, const char* sql);

} // namespace retour::station::sql
