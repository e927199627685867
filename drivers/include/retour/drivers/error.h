#pragma once

#include <expected>
#include <string>

namespace retour::drivers {

// What went wrong at the device layer. Drivers never throw on device input: every failure is
// one of these, carried by Result<T>.
enum class ErrorCode
{
    InvalidUri,   // a device URI that does not follow the grammar (see device_uri.h)
    NotFound,     // no such device (file, USB VID:PID, host)
    Permission,   // the device exists but cannot be opened (udev rules, group membership)
    Busy,         // claimed by someone else (kernel driver, another process)
    Io,           // a read, write or ioctl failed
    Timeout,      // a deadline passed (connect, write, status reply)
    Disconnected, // the device went away (unplugged, socket closed, powered off)
    Protocol,     // the device answered something the protocol does not allow
    NotSupported, // the device or transport cannot do this
    Refused,      // the device refused the job (paper out, head open, ...)
};

struct Error
{
    ErrorCode code;
    std::string message; // names the device and what to do about it
};

template <class T> using Result = std::expected<T, Error>;

// errno mapped to an Error, with `what` naming the operation and the device.
Error errnoError(int err, std::string what);

const char* toString(ErrorCode code);

} // namespace retour::drivers
