#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <vector>

namespace retour::test {

// Read-only queries on an SQLite file that a program under test writes: the file is opened
// read-only and a query waits up to 5 s for the writer's lock. Every column comes back as text
// ("" for NULL).
using Rows = std::vector<std::vector<std::string>>;

// The rows, or what could not be opened or prepared (naming the file or the statement).
std::expected<Rows, std::string> tryQueryRows(const std::filesystem::path& db, const std::string& sql);
// The rows; throws std::runtime_error with tryQueryRows' error.
Rows queryRows(const std::filesystem::path& db, const std::string& sql);
// The first column of the first row; "" when there is no row or the file cannot be read yet (for
// polling a database another process is still creating).
std::string queryValue(const std::filesystem::path& db, const std::string& sql);

} // namespace retour::test
