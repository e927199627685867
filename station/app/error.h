#pragma once

#include "retour/base/error.h"

#include <expected>
#include <string>

namespace retour::station {

// What went wrong in the station application. Configuration and rules errors carry a message
// that already starts with FILE:LINE:COL.
enum class ErrorCode
{
    Config,   // station config file: missing, syntax, unknown key, bad value
    Rules,    // disposition / grade rules file
    Database, // SQLite (message carries sqlite3_errmsg)
    Device,   // a device could not be created or used
    Sync,     // outbox / MQTT
    Invalid,  // a value that does not follow its format (RMA JSON, grade command, …)
};

struct Error
{
    ErrorCode code;
    std::string message;
};

template <class T> using Result = std::expected<T, Error>;

// A failure of base's SQLite layer (retour/base/sqlite.h) is the station database's.
inline Error databaseError(const base::Error& error)
{
    return Error{ErrorCode::Database, "station database: " + error.message};
}

inline std::unexpected<Error> fail(ErrorCode code, std::string message)
{
    return std::unexpected(Error{code, std::move(message)});
}

} // namespace retour::station
