#pragma once

// A thin RAII layer over the sqlite3 C API: one connection (Database), its prepared statements
// (Statement, kept and reused per connection), transactions and savepoints. Every SQLite error
// becomes an Error naming the statement and the database, with SQLite's extended result code.

#include "retour/base/error.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace retour::base::sqlite {

// The statement's text cut to a length an error message can carry.
std::string shortSql(std::string_view sql);

// A prepared statement. Binding never fails on its own: a bind error is kept and reported by the
// next step(). Indexes are 1-based for binds (as sqlite3_bind_*) and 0-based for columns.
//
// Thread contract: thread-bound to its connection's thread.
class Statement
{
public:
    // `lent`: the statement belongs to its Database's cache, which lends it out (the flag is set
    // while lent); it is reset, not finalised, when this Statement ends, so no half-read SELECT
    // keeps a read transaction (and an old WAL snapshot) open on the connection.
    Statement(sqlite3* db, sqlite3_stmt* stmt, std::string_view sql, bool* lent = nullptr);
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

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

    // true: a row is available; false: done.
    Result<bool> step();
    // Step to the end (for statements without rows).
    Result<void> run();
    // Ready for another use: rewound, bindings cleared.
    void reset();

    // The row readers: `read(const Statement&)` maps the current row to a value, `visit` is called
    // with each row in turn. A step error ends the loop and is returned.
    template <class Read> using Row = std::invoke_result_t<Read&, const Statement&>;
    // Every row.
    template <class Read> Result<std::vector<Row<Read>>> all(Read read)
    {
        std::vector<Row<Read>> out;
        auto done = each([&](const Statement& row) { out.push_back(read(row)); });
        if (!done) {
            return std::unexpected(std::move(done.error()));
        }
        return out;
    }
    // The first row, if any.
    template <class Read> Result<std::optional<Row<Read>>> first(Read read)
    {
        auto row = step();
        if (!row) {
            return std::unexpected(std::move(row.error()));
        }
        if (!*row) {
            return std::optional<Row<Read>>{};
        }
        return std::optional<Row<Read>>{read(*this)};
    }
    template <class Visit> Result<void> each(Visit visit)
    {
        while (true) {
            auto row = step();
            if (!row) {
                return std::unexpected(std::move(row.error()));
            }
            if (!*row) {
                return {};
            }
            visit(std::as_const(*this));
        }
    }

    bool isNull(int column) const;
    std::string text(int column) const; // "" for NULL
    std::optional<std::string> optText(int column) const;
    std::int64_t integer(int column) const;
    std::optional<std::int64_t> optInteger(int column) const;
    double real(int column) const;
    std::optional<double> optReal(int column) const;

    const std::string& sql() const { return sql_; }

private:
    Error error(std::string_view what, int rc) const;

    sqlite3* db_;
    sqlite3_stmt* stmt_;
    std::string sql_;
    std::optional<Error> bindError_;
    bool* lent_ = nullptr;
};

struct OpenOptions
{
    bool readOnly = false;
    // How long a connection waits for another's lock before SQLITE_BUSY, polling every 200 µs.
    std::chrono::milliseconds busyTimeout{5000};
};

// One SQLite connection: owned (open) or borrowed from code that owns the sqlite3 handle.
//
// Thread contract: thread-bound.
class Database
{
public:
    static Result<Database> open(const std::filesystem::path& path, const OpenOptions& options);
    static Result<Database> open(const std::filesystem::path& path, bool readOnly)
    {
        return open(path, OpenOptions{.readOnly = readOnly});
    }
    // A view of a connection opened elsewhere (not closed here; it must outlive this Database).
    static Database borrow(sqlite3* handle);
    Database(Database&& other) noexcept;
    Database& operator=(Database&&) = delete;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    // Statements are prepared once per connection and kept (a batch then parses no SQL); a
    // statement already in use (nested use of the same SQL) is prepared afresh.
    Result<Statement> prepare(std::string_view sql);
    // Run one or more statements without results.
    Result<void> exec(std::string_view sql);
    // Run `body` in one IMMEDIATE transaction (the write lock taken up front, so a concurrent writer
    // waits for the busy timeout rather than failing half-way with SQLITE_BUSY): committed when it
    // succeeds, rolled back and its error returned when it fails. A nested call is refused.
    template <class E>
    std::expected<void, E> transaction(const std::function<std::expected<void, E>()>& body);
    Result<void> transaction(const std::function<Result<void>()>& body) { return transaction<Error>(body); }
    // journal_mode=WAL, checked (an error when the file cannot use it).
    Result<void> enableWal();
    // The value of a pragma that answers one row (e.g. "synchronous", "journal_mode").
    Result<std::string> pragma(std::string_view name);

    // Rows changed by the last INSERT/UPDATE/DELETE.
    std::int64_t changes() const;
    std::int64_t lastInsertRowid() const;
    // A transaction is open on this connection (by anyone).
    bool inTransaction() const;
    const std::filesystem::path& path() const { return path_; }
    sqlite3* handle() const { return db_; }

    // An Error for a failure of the last call on this connection: "<what> on <path>: <errmsg>".
    Error error(std::string_view what) const;

private:
    Database(sqlite3* db, std::filesystem::path path, bool owned)
        : db_(db), path_(std::move(path)), owned_(owned)
    {}

    struct Kept
    {
        sqlite3_stmt* stmt = nullptr;
        bool lent = false;
    };

    sqlite3* db_;
    std::filesystem::path path_;
    bool owned_ = true;
    // Node-based: a lent Statement keeps a pointer to its entry's flag across inserts and moves.
    std::unordered_map<std::string, Kept> kept_;
};

// BEGIN (IMMEDIATE by default) … COMMIT, rolled back on scope exit unless commit() succeeded.
// Durable: the commit runs with PRAGMA synchronous=FULL (on disk before commit() returns, also in
// WAL mode), the connection's previous setting restored afterwards.
//
// Thread contract: thread-bound to its connection's thread.
class Transaction
{
public:
    enum class Mode
    {
        Deferred,
        Immediate,
    };
    struct Options
    {
        Mode mode = Mode::Immediate;
        bool durable = false;
    };

    static Result<Transaction> begin(Database& db, Options options);
    static Result<Transaction> begin(Database& db) { return begin(db, Options{}); }
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    Result<void> commit();
    bool active() const { return active_; }

private:
    Transaction(Database& db, std::optional<std::string> restoreSynchronous)
        : db_(&db), restoreSynchronous_(std::move(restoreSynchronous)), active_(true)
    {}
    void restore();

    Database* db_;
    std::optional<std::string> restoreSynchronous_;
    bool active_ = false;
};

// A savepoint: a transaction of its own outside the caller's, a nested one inside it. Rolled back
// and released on scope exit unless release() succeeded. Its statements are the connection's
// kept ones, so a savepoint on a hot path parses no SQL.
//
// Thread contract: thread-bound to its connection's thread.
class Savepoint
{
public:
    static Result<Savepoint> begin(Database& db, std::string name);
    Savepoint(Savepoint&& other) noexcept;
    Savepoint& operator=(Savepoint&&) = delete;
    Savepoint(const Savepoint&) = delete;
    Savepoint& operator=(const Savepoint&) = delete;
    ~Savepoint();

    Result<void> release();

private:
    Savepoint(Database& db, std::string name) : db_(&db), name_(std::move(name)), active_(true) {}

    Database* db_;
    std::string name_;
    bool active_ = false;
};

template <class E>
std::expected<void, E> Database::transaction(const std::function<std::expected<void, E>()>& body)
{
    if (inTransaction()) {
        return std::unexpected(E(Error{ErrorKind::Database, "nested transaction on " + path_.string()}));
    }
    auto tx = Transaction::begin(*this);
    if (!tx) {
        return std::unexpected(E(std::move(tx.error())));
    }
    if (auto done = body(); !done) {
        return done; // rolled back by ~Transaction
    }
    if (auto committed = tx->commit(); !committed) {
        return std::unexpected(E(std::move(committed.error())));
    }
    return {};
}

} // namespace retour::base::sqlite
