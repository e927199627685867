#include "retour/link/sqlite.h"

#include <sqlite3.h>
#include <utility>

namespace retour::sync::sqlite {

std::string shortSql(std::string_view sql)
{
    constexpr std::size_t kMax = 80;
    std::string out(sql.substr(0, kMax));
    for (char& c : out) {
        if (c == '\n' || c == '\t') {
            c = ' ';
        }
    }
    return sql.size() > kMax ? out + "…" : out;
}

Statement::Statement(sqlite3* db, std::string_view sql, bool persistent) : sql_(sql)
{
    prepareRc_ = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                    persistent ? SQLITE_PREPARE_PERSISTENT : 0u, &stmt_, nullptr);
    if (prepareRc_ != SQLITE_OK) {
        sqlite3_finalize(stmt_);
        stmt_ = nullptr;
    }
}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), sql_(std::move(other.sql_)), prepareRc_(other.prepareRc_),
      bindRc_(other.bindRc_)
{}

Statement& Statement::operator=(Statement&& other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(stmt_);
        stmt_ = std::exchange(other.stmt_, nullptr);
        sql_ = std::move(other.sql_);
        prepareRc_ = other.prepareRc_;
        bindRc_ = other.bindRc_;
    }
    return *this;
}

Statement::~Statement()
{
    sqlite3_finalize(stmt_);
}

void Statement::keep(int rc)
{
    if (rc != SQLITE_OK && bindRc_ == SQLITE_OK) {
        bindRc_ = rc;
    }
}

Statement& Statement::bind(int index, std::string_view text)
{
    keep(sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value)
{
    keep(sqlite3_bind_int64(stmt_, index, value));
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    keep(sqlite3_bind_double(stmt_, index, value));
    return *this;
}

Statement& Statement::bindNull(int index)
{
    keep(sqlite3_bind_null(stmt_, index));
    return *this;
}

Statement& Statement::bindBlob(int index, std::string_view bytes)
{
    keep(sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT));
    return *this;
}

int Statement::step()
{
    if (stmt_ == nullptr) {
        return SQLITE_MISUSE;
    }
    if (bindRc_ != SQLITE_OK) {
        return bindRc_;
    }
    return sqlite3_step(stmt_);
}

int Statement::run()
{
    int rc = SQLITE_ROW;
    while ((rc = step()) == SQLITE_ROW) {
    }
    return rc;
}

void Statement::reset()
{
    if (stmt_ != nullptr) {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
    bindRc_ = SQLITE_OK;
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
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
    const auto* data = sqlite3_column_blob(stmt_, column);
    const int size = sqlite3_column_bytes(stmt_, column);
    if (data == nullptr || size <= 0) {
        return {};
    }
    return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

std::optional<std::string> Statement::optText(int column) const
{
    return isNull(column) ? std::nullopt : std::optional<std::string>(text(column));
}

std::optional<std::int64_t> Statement::optInt64(int column) const
{
    return isNull(column) ? std::nullopt : std::optional<std::int64_t>(int64(column));
}

std::optional<double> Statement::optReal(int column) const
{
    return isNull(column) ? std::nullopt : std::optional<double>(real(column));
}

Savepoint::Savepoint(sqlite3* db, const char* name) : db_(db), name_(name)
{
    active_ = sqlite3_exec(db_, ("SAVEPOINT " + name_).c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

Savepoint::~Savepoint()
{
    if (active_) {
        sqlite3_exec(db_, ("ROLLBACK TO " + name_).c_str(), nullptr, nullptr, nullptr);
        sqlite3_exec(db_, ("RELEASE " + name_).c_str(), nullptr, nullptr, nullptr);
    }
}

bool Savepoint::release()
{
    active_ = false;
    return sqlite3_exec(db_, ("RELEASE " + name_).c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

} // namespace retour::sync::sqlite
