#pragma once

#include <expected>
#include <string>

namespace retour::vision {

enum class ErrorCode
{
    InvalidSource, // a camera source that cannot be understood
    CameraOffline, // the camera could not be opened, or stopped delivering frames
    Decode,        // an image file or frame that cannot be decoded
    Encode,        // JPEG encoding failed, or a barcode that cannot be rendered (barcode_writer.h)
    Io,            // the photo store could not write or read
};

struct Error
{
    ErrorCode code;
    std::string message;
};

template <class T> using Result = std::expected<T, Error>;

} // namespace retour::vision
