// A thin RAII layer over the sqlite3 C API; every SQLite error becomes an Error naming the
// statement and the database.
#include "storage/sqlite/sqlite_db.h"

#include "retour/base/sqlite.h"

#include <chrono>
#include <sqlite3.h>
#include <thread>

namespace retour::central::sqlite {

using base::sqlite::shortSql;

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, std::string_view sql, bool* lent)
    : db_(db), stmt_(stmt), sql_(sql), lent_(lent)
{}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), sql_(std::move(other.sql_)),
      bindError_(std::move(other.bindError_)), lent_(other.lent_)
{
    other.stmt_ = nullptr;
    other.lent_ = nullptr;
}

Statement::~Statement()
{
    if (lent_ != nullptr) {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
        *lent_ = false;
        return;
    }
    sqlite3_finalize(stmt_);
}

Error Statement::error(std::string_view what) const
{
    return Error{ErrorCode::Database,
                 std::string(what) + " (" + shortSql(sql_) + "): " + sqlite3_errmsg(db_)};
}

Statement& Statement::bind(int index, std::string_view text)
{
    if (sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT) !=
            SQLITE_OK &&
        !bindError_) {
        bindError_ = error("bind");
    }
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value)
{
    if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK && !bindError_) {
        bindError_ = error("bind");
    }
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK && !bindError_) {
        bindError_ = error("bind");
    }
    return *this;
}

Statement& Statement::bindNull(int index)
{
    if (sqlite3_bind_null(stmt_, index) != SQLITE_OK && !bindError_) {
        bindError_ = error("bind");
    }
    return *this;
}

Statement& Statement::bindBlob(int index, std::string_view bytes)
{
    if (sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT) !=
            SQLITE_OK &&
        !bindError_) {
        bindError_ = error("bind");
    }
    return *this;
}

Result<bool> Statement::step()
{
    if (bindError_) {
        return std::unexpected(*bindError_);
    }
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    return std::unexpected(error("step"));
}

Result<void> Statement::run()
{
    while (true) {
        auto row = step();
        if (!row) {
            return std::unexpected(row.error());
        }
        if (!*row) {
            return {};
        }
    }
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
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
    if (isNull(column)) {
        return std::nullopt;
    }
    return text(column);
}

std::int64_t Statement::integer(int column) const
{
    return sqlite3_column_int64(stmt_, column);
}

std::optional<std::int64_t> Statement::optInteger(int column) const
{
    if (isNull(column)) {
        return std::nullopt;
    }
    return integer(column);
}

std::optional<double> Statement::optReal(int column) const
{
    if (isNull(column)) {
        return std::nullopt;
    }
    return sqlite3_column_double(stmt_, column);
}

namespace {

// sqlite3_busy_timeout sleeps 1, 2, 5, 10, 15, 20, 25 … ms between its tries, so a writer that
// finds the lock held for the 2–4 ms of another connection's commit (fsync) sleeps 8 or 18 ms
// after it was freed: the tail of the inspection → refund latency (tests/bench/central). A fixed
// 200 µs poll costs a few wake-ups per commit instead; given up after 5 s, as before.
constexpr auto kLockPoll = std::chrono::microseconds(200);
constexpr int kLockTries = 5'000'000 / 200;

int waitForLock(void* /*unused*/, int tries)
{
    if (tries >= kLockTries) {
        return 0; // SQLITE_BUSY to the caller
    }
    std::this_thread::sleep_for(kLockPoll);
    return 1;
}

} // namespace

Result<Database> Database::open(const std::filesystem::path& path, bool readOnly)
{
    sqlite3* db = nullptr;
    const int flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) |
                      SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = "cannot open database " + path.string() + ": " +
                              (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return fail(ErrorCode::Database, std::move(message));
    }
    sqlite3_extended_result_codes(db, 1);
    // Readers (the reporting commands) and the writers (run's loop and its delivery worker) share
    // the file: wait rather than fail, polling the lock finely (waitForLock).
    sqlite3_busy_handler(db, waitForLock, nullptr);
    return Database(db, path);
}

Database::Database(Database&& other) noexcept
    : db_(other.db_), path_(std::move(other.path_)), inTransaction_(other.inTransaction_),
      kept_(std::move(other.kept_))
{
    other.db_ = nullptr;
}

Database::~Database()
{
    for (auto& [sql, kept] : kept_) {
        sqlite3_finalize(kept.stmt);
    }
    sqlite3_close(db_);
}

Result<Statement> Database::prepare(std::string_view sql)
{
    auto [it, added] = kept_.try_emplace(std::string(sql));
    Kept& kept = it->second;
    if (!kept.lent) {
        if (kept.stmt == nullptr &&
            sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                               &kept.stmt, nullptr) != SQLITE_OK) {
            kept_.erase(it);
            return fail(ErrorCode::Database,
                        "prepare (" + shortSql(sql) + ") on " + path_.string() + ": " + sqlite3_errmsg(db_));
        }
        kept.lent = true;
        return Statement(db_, kept.stmt, sql, &kept.lent);
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
        return fail(ErrorCode::Database,
                    "prepare (" + shortSql(sql) + ") on " + path_.string() + ": " + sqlite3_errmsg(db_));
    }
    return Statement(db_, stmt, sql);
}

std::int64_t Database::changes() const
{
    return sqlite3_changes64(db_);
}

Result<void> Database::exec(std::string_view sql)
{
    const std::string text(sql);
    char* message = nullptr;
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string detail = message != nullptr ? message : sqlite3_errmsg(db_);
        sqlite3_free(message);
        return fail(ErrorCode::Database, "exec (" + shortSql(sql) + ") on " + path_.string() + ": " + detail);
    }
    return {};
}

Result<void> Database::transaction(const std::function<Result<void>()>& body)
{
    if (inTransaction_) {
        return fail(ErrorCode::Database, "nested transaction on " + path_.string());
    }
    if (auto begun = exec("BEGIN IMMEDIATE"); !begun) {
        return begun;
    }
    inTransaction_ = true;
    auto result = body();
    if (result) {
        result = exec("COMMIT");
    }
    if (!result) {
        (void)exec("ROLLBACK");
    }
    inTransaction_ = false;
    return result;
}

} // namespace retour::central::sqlite
