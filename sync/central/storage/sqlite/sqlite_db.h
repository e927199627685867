#pragma once

#include "ledger/error.h"

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

namespace retour::central::sqlite {

// A prepared statement. Binding never fails on its own: a bind error is kept and reported by the
// next step(). Indexes are 1-based for binds (as sqlite3_bind_*) and 0-based for columns.
//
// Thread contract: thread-bound to its connection's thread.
class Statement
{
public:
    // `lent`: the statement belongs to its Database's cache, which lends it out (the flag is set
    // while lent); it is reset, not finalised, when this Statement ends.
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
    std::optional<double> optReal(int column) const;

private:
    Error error(std::string_view what) const;

    sqlite3* db_;
    sqlite3_stmt* stmt_;
    std::string sql_;
    std::optional<Error> bindError_;
    bool* lent_ = nullptr;
};

// One SQLite connection.
//
// Thread contract: thread-bound.
class Database
{
public:
    static Result<Database> open(const std::filesystem::path& path, bool readOnly);
    Database(Database&& other) noexcept;
    Database& operator=(Database&&) = delete;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    // Statements are prepared once per connection and kept (an ingest batch then parses no SQL);
    // a statement already in use (nested use of the same SQL) is prepared afresh.
    Result<Statement> prepare(std::string_view sql);
    // Run one or more statements without results.
    Result<void> exec(std::string_view sql);
    // Run `body` in one IMMEDIATE transaction (the write lock taken up front, so a concurrent writer
    // waits for the busy timeout rather than failing half-way with SQLITE_BUSY): committed when it
    // succeeds, rolled back and its error returned when it fails. A nested call is refused.
    Result<void> transaction(const std::function<Result<void>()>& body);
    // Rows changed by the last INSERT/UPDATE/DELETE.
    std::int64_t changes() const;
    const std::filesystem::path& path() const { return path_; }

private:
    Database(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}

    struct Kept
    {
        sqlite3_stmt* stmt = nullptr;
        bool lent = false;
    };

    sqlite3* db_;
    std::filesystem::path path_;
    bool inTransaction_ = false;
    // Node-based: a lent Statement keeps a pointer to its entry's flag across inserts and moves.
    std::unordered_map<std::string, Kept> kept_;
};

} // namespace retour::central::sqlite
