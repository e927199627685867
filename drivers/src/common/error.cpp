#include "retour/drivers/error.h"

#include <cerrno>
#include <cstring>

namespace retour::drivers {

namespace {

ErrorCode codeForErrno(int err)
{
    switch (err) {
    case ENOENT:
    case ENXIO:
        return ErrorCode::NotFound;
    case EACCES:
    case EPERM:
        return ErrorCode::Permission;
    case EBUSY:
        return ErrorCode::Busy;
    case ETIMEDOUT:
        return ErrorCode::Timeout;
    case ENODEV:
    case EPIPE:
    case ECONNRESET:
    case ECONNREFUSED:
    case ECONNABORTED:
    case ENOTCONN:
    case ESHUTDOWN:
    case EHOSTUNREACH:
    case ENETUNREACH:
    case ENETDOWN:
    case EHOSTDOWN:
        return ErrorCode::Disconnected;
    case ENOTTY:
    case ENOSYS:
    case EOPNOTSUPP:
        return ErrorCode::NotSupported;
    default:
        return ErrorCode::Io;
    }
}

} // namespace

Error errnoError(int err, std::string what)
{
    // strerrordesc_np/strerrorname_np (glibc >= 2.32) are thread-safe, unlike strerror().
    const char* desc = ::strerrordesc_np(err);
    const char* name = ::strerrorname_np(err);
    std::string message = std::move(what);
    message += ": ";
    message += desc != nullptr ? desc : "unknown error";
    message += " (";
    message += name != nullptr ? name : "errno " + std::to_string(err);
    message += ")";
    return Error{codeForErrno(err), std::move(message)};
}

const char* toString(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidUri:
        return "invalid-uri";
    case ErrorCode::NotFound:
        return "not-found";
    case ErrorCode::Permission:
        return "permission";
    case ErrorCode::Busy:
        return "busy";
    case ErrorCode::Io:
        return "io";
    case ErrorCode::Timeout:
        return "timeout";
    case ErrorCode::Disconnected:
        return "disconnected";
    case ErrorCode::Protocol:
        return "protocol";
    case ErrorCode::NotSupported:
        return "not-supported";
    case ErrorCode::Refused:
        return "refused";
    }
    return "unknown";
}

} // namespace retour::drivers
