#include "retour/base/sqlite.h"

#include <cstdint>
#include <sqlite3.h>
#include <thread>

namespace retour::base::sqlite {

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

Error Statement::error(std::string_view what, int rc) const
{
    return Error{ErrorKind::Database, std::string(what) + " (" + shortSql(sql_) + "): " + sqlite3_errmsg(db_),
                 rc};
}

namespace {

void keep(std::optional<Error>& kept, int rc, const Statement& statement, sqlite3* db)
{
    if (rc != SQLITE_OK && !kept) {
        kept =
            Error{ErrorKind::Database, "bind (" + shortSql(statement.sql()) + "): " + sqlite3_errmsg(db), rc};
    }
}

} // namespace

Statement& Statement::bind(int index, std::string_view text)
{
    keep(bindError_,
         sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT), *this,
         db_);
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value)
{
    keep(bindError_, sqlite3_bind_int64(stmt_, index, value), *this, db_);
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    keep(bindError_, sqlite3_bind_double(stmt_, index, value), *this, db_);
    return *this;
}

Statement& Statement::bindNull(int index)
{
    keep(bindError_, sqlite3_bind_null(stmt_, index), *this, db_);
    return *this;
}

Statement& Statement::bindBlob(int index, std::string_view bytes)
{
    keep(bindError_,
         sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT),
         *this, db_);
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
    return std::unexpected(error("step", sqlite3_extended_errcode(db_)));
}

Result<void> Statement::run()
{
    while (true) {
        auto row = step();
        if (!row) {
            return std::unexpected(std::move(row.error()));
        }
        if (!*row) {
            return {};
        }
    }
}

void Statement::reset()
{
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    bindError_.reset();
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
    return isNull(column) ? std::nullopt : std::optional<std::string>(text(column));
}

std::int64_t Statement::integer(int column) const
{
    return sqlite3_column_int64(stmt_, column);
}

std::optional<std::int64_t> Statement::optInteger(int column) const
{
    return isNull(column) ? std::nullopt : std::optional<std::int64_t>(integer(column));
}

double Statement::real(int column) const
{
    return sqlite3_column_double(stmt_, column);
}

std::optional<double> Statement::optReal(int column) const
{
    return isNull(column) ? std::nullopt : std::optional<double>(real(column));
}

namespace {

// sqlite3_busy_timeout sleeps 1, 2, 5, 10, 15, 20, 25 … ms between its tries, so a writer that
// finds the lock held for the 2–4 ms of another connection's commit (fsync) sleeps 8 or 18 ms
// after it was freed: the tail of central's inspection → refund latency (tests/bench/central). A
// fixed 200 µs poll costs a few wake-ups per commit instead. The handler's argument is the number
// of polls allowed (the busy timeout / 200 µs).
constexpr auto kLockPoll = std::chrono::microseconds(200);

int waitForLock(void* allowed, int tries)
{
    if (tries >= static_cast<int>(reinterpret_cast<std::intptr_t>(allowed))) {
        return 0; // SQLITE_BUSY to the caller
    }
    std::this_thread::sleep_for(kLockPoll);
    return 1;
}

} // namespace

Result<Database> Database::open(const std::filesystem::path& path, const OpenOptions& options)
{
    sqlite3* db = nullptr;
    const int flags =
        (options.readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) |
        SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = "cannot open database " + path.string() + ": " +
                              (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        const int code = db != nullptr ? sqlite3_extended_errcode(db) : rc;
        sqlite3_close(db);
        return fail(ErrorKind::Database, std::move(message), code);
    }
    sqlite3_extended_result_codes(db, 1);
    // Readers and writers share the file: wait rather than fail, polling the lock finely.
    const auto polls = std::max<std::intptr_t>(1, options.busyTimeout / kLockPoll);
    sqlite3_busy_handler(db, waitForLock, reinterpret_cast<void*>(polls));
    return Database(db, path, true);
}

Database Database::borrow(sqlite3* handle)
{
    const char* file = sqlite3_db_filename(handle, "main");
    return Database(handle, file != nullptr ? std::filesystem::path(file) : std::filesystem::path(), false);
}

Database::Database(Database&& other) noexcept
    : db_(other.db_), path_(std::move(other.path_)), owned_(other.owned_), kept_(std::move(other.kept_))
{
    other.db_ = nullptr;
    other.kept_.clear();
}

Database::~Database()
{
    for (auto& [sql, kept] : kept_) {
        sqlite3_finalize(kept.stmt);
    }
    if (owned_) {
        sqlite3_close_v2(db_);
    }
}

Error Database::error(std::string_view what) const
{
    return Error{ErrorKind::Database,
                 std::string(what) + " on " + path_.string() + ": " + sqlite3_errmsg(db_),
                 sqlite3_extended_errcode(db_)};
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
            return std::unexpected(error("prepare (" + shortSql(sql) + ")"));
        }
        kept.lent = true;
        return Statement(db_, kept.stmt, sql, &kept.lent);
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return std::unexpected(error("prepare (" + shortSql(sql) + ")"));
    }
    return Statement(db_, stmt, sql);
}

Result<void> Database::exec(std::string_view sql)
{
    const std::string text(sql);
    char* message = nullptr;
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string detail = message != nullptr ? message : sqlite3_errmsg(db_);
        sqlite3_free(message);
        return fail(ErrorKind::Database, "exec (" + shortSql(sql) + ") on " + path_.string() + ": " + detail,
                    sqlite3_extended_errcode(db_));
    }
    return {};
}

Result<std::string> Database::pragma(std::string_view name)
{
    auto stmt = prepare("PRAGMA " + std::string(name));
    if (!stmt) {
        return std::unexpected(std::move(stmt.error()));
    }
    auto row = stmt->first([](const Statement& r) { return r.text(0); });
    if (!row) {
        return std::unexpected(std::move(row.error()));
    }
    return row->value_or(std::string());
}

Result<void> Database::enableWal()
{
    auto mode = pragma("journal_mode = WAL");
    if (!mode) {
        return std::unexpected(std::move(mode.error()));
    }
    if (*mode != "wal") {
        return fail(ErrorKind::Database,
                    "cannot switch " + path_.string() + " to WAL mode (journal mode is " + *mode + ")");
    }
    return {};
}

std::int64_t Database::changes() const
{
    return sqlite3_changes64(db_);
}

std::int64_t Database::lastInsertRowid() const
{
    return sqlite3_last_insert_rowid(db_);
}

bool Database::inTransaction() const
{
    return sqlite3_get_autocommit(db_) == 0;
}

Result<Transaction> Transaction::begin(Database& db, Options options)
{
    std::optional<std::string> restore;
    if (options.durable) {
        auto current = db.pragma("synchronous");
        if (!current) {
            return std::unexpected(std::move(current.error()));
        }
        // 2 is FULL; 3 EXTRA is at least as strict.
        if (*current != "2" && *current != "3") {
            if (auto full = db.exec("PRAGMA synchronous=FULL"); !full) {
                return std::unexpected(std::move(full.error()));
            }
            restore = std::move(*current);
        }
    }
    auto stmt = db.prepare(options.mode == Mode::Immediate ? "BEGIN IMMEDIATE" : "BEGIN");
    Result<void> begun = stmt ? stmt->run() : Result<void>(std::unexpected(std::move(stmt.error())));
    if (!begun) {
        if (restore) {
            (void)db.exec("PRAGMA synchronous=" + *restore);
        }
        return std::unexpected(std::move(begun.error()));
    }
    return Transaction(db, std::move(restore));
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(other.db_), restoreSynchronous_(std::move(other.restoreSynchronous_)), active_(other.active_)
{
    other.active_ = false;
    other.restoreSynchronous_.reset();
}

void Transaction::restore()
{
    if (restoreSynchronous_) {
        (void)db_->exec("PRAGMA synchronous=" + *restoreSynchronous_);
        restoreSynchronous_.reset();
    }
}

Transaction::~Transaction()
{
    if (active_) {
        if (auto rollback = db_->prepare("ROLLBACK")) {
            (void)rollback->run();
        }
    }
    restore();
}

Result<void> Transaction::commit()
{
    if (!active_) {
        return fail(ErrorKind::Database, "commit without an open transaction on " + db_->path().string());
    }
    auto stmt = db_->prepare("COMMIT");
    if (!stmt) {
        return std::unexpected(std::move(stmt.error()));
    }
    if (auto done = stmt->run(); !done) {
        return done; // still active: rolled back by the destructor
    }
    active_ = false;
    restore();
    return {};
}

Result<Savepoint> Savepoint::begin(Database& db, std::string name)
{
    auto stmt = db.prepare("SAVEPOINT " + name);
    if (!stmt) {
        return std::unexpected(std::move(stmt.error()));
    }
    if (auto done = stmt->run(); !done) {
        return std::unexpected(std::move(done.error()));
    }
    return Savepoint(db, std::move(name));
}

Savepoint::Savepoint(Savepoint&& other) noexcept
    : db_(other.db_), name_(std::move(other.name_)), active_(other.active_)
{
    other.active_ = false;
}

Savepoint::~Savepoint()
{
    if (active_) {
        if (auto back = db_->prepare("ROLLBACK TO " + name_)) {
            (void)back->run();
        }
        if (auto release = db_->prepare("RELEASE " + name_)) {
            (void)release->run();
        }
    }
}

Result<void> Savepoint::release()
{
    auto stmt = db_->prepare("RELEASE " + name_);
    if (!stmt) {
        return std::unexpected(std::move(stmt.error()));
    }
    if (auto done = stmt->run(); !done) {
        return done; // still active: rolled back by the destructor
    }
    active_ = false;
    return {};
}

} // namespace retour::base::sqlite
