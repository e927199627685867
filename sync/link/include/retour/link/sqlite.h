#pragma once

// A thin RAII layer over the sqlite3 C API shared by the station outbox and central's store: one
// prepared statement (reusable: reset() between uses), and a savepoint. Errors stay SQLite's own
// codes here; each caller maps them into its Error where it calls (docs/architecture.md "Conventions").
//
// Thread contract: thread-bound to the connection's thread; the sqlite3 handle is borrowed and
// must outlive every Statement prepared on it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace retour::sync::sqlite {

class Statement
{
public:
    Statement() = default;
    // persistent: the statement is kept and reused many times (SQLITE_PREPARE_PERSISTENT).
    Statement(sqlite3* db, std::string_view sql, bool persistent = false);
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Prepared without error (the SQLite code is prepareCode()).
    bool ok() const { return stmt_ != nullptr; }
    int prepareCode() const { return prepareRc_; }
    const std::string& sql() const { return sql_; }

    // Binding never fails on its own: a bind error is kept and returned by the next step().
    // Indexes are 1-based for binds (as sqlite3_bind_*) and 0-based for columns.
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bindNull(int index);
    Statement& bindBlob(int index, std::string_view bytes);
    template <class T> Statement& bind(int index, const std::optional<T>& value)
    {
        return value ? bind(index, *value) : bindNull(index);
    }

    // SQLITE_ROW, SQLITE_DONE or an error code (SQLITE_MISUSE when not prepared, the bind's code
    // after a failed bind).
    int step();
    // Step to SQLITE_DONE; SQLITE_DONE or the first error code.
    int run();
    // Ready for the next use: rewound, bindings cleared.
    void reset();

    bool isNull(int column) const;
    std::int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const; // "" for NULL
    std::optional<std::string> optText(int column) const;
    std::optional<std::int64_t> optInt64(int column) const;
    std::optional<double> optReal(int column) const;

private:
    void keep(int rc);

    sqlite3_stmt* stmt_ = nullptr;
    std::string sql_;
    int prepareRc_ = 0;
    int bindRc_ = 0;
};

// A savepoint: a transaction of its own outside the caller's, a nested one inside it. Rolled back
// and released on scope exit unless release() succeeded.
class Savepoint
{
public:
    Savepoint(sqlite3* db, const char* name);
    ~Savepoint();
    Savepoint(const Savepoint&) = delete;
    Savepoint& operator=(const Savepoint&) = delete;

    bool active() const { return active_; }
    bool release();

private:
    sqlite3* db_;
    std::string name_;
    bool active_ = false;
};

// The statement's text cut to a length an error message can carry.
std::string shortSql(std::string_view sql);

} // namespace retour::sync::sqlite
