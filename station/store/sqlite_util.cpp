#include "store/sqlite_util.h"

namespace retour::station::sql {

Error dbError(sqlite3* db, std::string_view what)
{
    return Error{ErrorCode::Database, "station database: " + std::string(what) + ": " + sqlite3_errmsg(db) +
                                          " (sqlite " + std::to_string(sqlite3_extended_errcode(db)) + ")"};
}

Statement::Statement(sqlite3* db, std::string_view sql)
{
    rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
}

Statement::~Statement()
{
    sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::string_view text)
{
    bindOk_ = bindOk_ && sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                                           SQLITE_TRANSIENT) == SQLITE_OK;
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value)
{
    bindOk_ = bindOk_ && sqlite3_bind_int64(stmt_, index, value) == SQLITE_OK;
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    bindOk_ = bindOk_ && sqlite3_bind_double(stmt_, index, value) == SQLITE_OK;
    return *this;
}

Statement& Statement::bindNull(int index)
{
    bindOk_ = bindOk_ && sqlite3_bind_null(stmt_, index) == SQLITE_OK;
    return *this;
}

int Statement::step()
{
    if (!ok()) {
        return rc_;
    }
    if (!bindOk_) {
        return SQLITE_MISUSE;
    }
    return sqlite3_step(stmt_);
}

bool Statement::run()
{
    int rc = step();
    while (rc == SQLITE_ROW) {
        rc = sqlite3_step(stmt_);
    }
    return rc == SQLITE_DONE;
}

void Statement::reset()
{
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    bindOk_ = true;
}

std::int64_t Statement::int64(int column) const
{
    return sqlite3_column_int64(stmt_, column);
}

double Statement::real(int column) const
{
    return sqlite3_column_double(stmt_, column);
}

std::string Statement::text(int column) const
{
    const auto* p = sqlite3_column_text(stmt_, column);
    return p == nullptr ? std::string{}
                        : std::string(reinterpret_cast<const char*>(p),
                                      static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

bool exec(sqlite3* db, const char* sqlText)
{
    return sqlite3_exec(db, sqlText, nullptr, nullptr, nullptr) == SQLITE_OK;
}

Transaction::Transaction(sqlite3* db, bool durable) : db_(db), durable_(durable)
{
    if (durable_) {
        exec(db_, "PRAGMA synchronous=FULL");
    }
    active_ = exec(db_, "BEGIN IMMEDIATE");
}

Transaction::~Transaction()
{
    if (active_) {
        exec(db_, "ROLLBACK");
    }
    if (durable_) {
        exec(db_, "PRAGMA synchronous=NORMAL");
    }
}

Result<void> Transaction::commit()
{
    if (!active_) {
        return std::unexpected(dbError(db_, "commit without an open transaction"));
    }
    if (!exec(db_, "COMMIT")) {
        return std::unexpected(dbError(db_, "commit"));
    }
    active_ = false;
    return {};
}

} // namespace retour::station::sql
