#pragma once

#include "retour/base/error.h"

#include <expected>
#include <string>
#include <utility>

namespace retour::central {

enum class ErrorCode
{
    Database, // the store failed (message carries the backend's own text, e.g. sqlite3_errmsg)
    Invalid,  // input that does not follow its contract (an event body, a seed RMA)
    NotFound, // a return, file or database that does not exist
    Broker,   // the MQTT session refused a request
};

struct Error
{
    Error(ErrorCode errorCode, std::string text) : code(errorCode), message(std::move(text)) {}
    // A failure of base's SQLite layer is the store's.
    Error(const base::Error& error) : code(ErrorCode::Database), message(error.message) {}

    ErrorCode code;
    std::string message;
};

template <class T> using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorCode code, std::string message)
{
    return std::unexpected(Error{code, std::move(message)});
}

} // namespace retour::central
