#pragma once

#include <expected>
#include <string>

namespace retour::sync {

enum class ErrorCode
{
    Database,     // SQLite failed (message carries sqlite3_errmsg)
    Full,         // the outbox reached its capacity: the write was refused, nothing was dropped
    Malformed,    // a message that is not valid JSON or does not follow its schema
    Unauthorised, // a message whose body disagrees with its topic, or a PUBACK reason >= 0x80
    Unsupported,  // an unknown schema name or version
    Broker,       // libmosquitto failed (message carries mosquitto_strerror)
    NotConnected,
};

struct Error
{
    ErrorCode code;
    std::string message;
};

template <class T> using Result = std::expected<T, Error>;

} // namespace retour::sync
