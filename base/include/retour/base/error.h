#pragma once

#include <expected>
#include <string>
#include <utility>

namespace retour::base {

// What failed below the applications: the store (SQLite) or the file system. Each component maps
// it into its own error type where it calls (its ErrorCode::Database, ErrorCode::Io, …).
enum class ErrorKind
{
    Database, // message carries sqlite3_errmsg and the statement; code is the extended result code
    Io,       // message names the path and strerror; code is errno
};

struct Error
{
    ErrorKind kind = ErrorKind::Database;
    std::string message;
    int code = 0;

    bool operator==(const Error&) const = default;
};

template <class T> using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorKind kind, std::string message, int code = 0)
{
    return std::unexpected(Error{kind, std::move(message), code});
}

} // namespace retour::base
