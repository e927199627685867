#include "tests/support/sqlite_query.h"

#include <memory>
#include <sqlite3.h>
#include <stdexcept>

namespace retour::test {

std::expected<Rows, std::string> tryQueryRows(const std::filesystem::path& db, const std::string& sql)
{
    sqlite3* raw = nullptr;
    const int opened = sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    const std::unique_ptr<sqlite3, decltype(&sqlite3_close)> handle(raw, &sqlite3_close);
    if (opened != SQLITE_OK) {
        return std::unexpected("cannot open " + db.string());
    }
    sqlite3_busy_timeout(raw, 5000);
    sqlite3_stmt* rawStmt = nullptr;
    if (sqlite3_prepare_v2(raw, sql.c_str(), -1, &rawStmt, nullptr) != SQLITE_OK) {
        return std::unexpected(sql + ": " + sqlite3_errmsg(raw));
    }
    const std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> stmt(rawStmt, &sqlite3_finalize);
    Rows rows;
    while (sqlite3_step(rawStmt) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int i = 0; i < sqlite3_column_count(rawStmt); ++i) {
            const auto* text = sqlite3_column_text(rawStmt, i);
            row.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

Rows queryRows(const std::filesystem::path& db, const std::string& sql)
{
    auto rows = tryQueryRows(db, sql);
    if (!rows) {
        throw std::runtime_error(rows.error());
    }
    return std::move(*rows);
}

std::string queryValue(const std::filesystem::path& db, const std::string& sql)
{
    const auto rows = tryQueryRows(db, sql);
    return rows && !rows->empty() && !rows->front().empty() ? rows->front().front() : "";
}

} // namespace retour::test
