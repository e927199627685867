#include "camera/cameras.h"

#include <charconv>

namespace retour::vision {

std::string describe(const CameraSource& source)
{
    if (!source.text.empty())
        return source.text;
    return source.scheme + ":" + source.location;
}

Result<std::optional<int>> intParam(const CameraSource& source, std::string_view key, int min, int max)
{
    auto it = source.params.find(std::string(key));
    if (it == source.params.end())
        return std::optional<int>{};
    const std::string& text = it->second;
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max)
        return std::unexpected(
            Error{ErrorCode::InvalidSource, "camera " + describe(source) + ": parameter " + std::string(key) +
                                                "=" + text + " is not an integer in [" + std::to_string(min) +
                                                ", " + std::to_string(max) + "]"});
    return std::optional<int>{value};
}

Result<bool> boolParam(const CameraSource& source, std::string_view key, bool fallback)
{
    auto it = source.params.find(std::string(key));
    if (it == source.params.end())
        return fallback;
    const std::string& text = it->second;
    if (text == "1" || text == "true" || text == "yes")
        return true;
    if (text == "0" || text == "false" || text == "no")
        return false;
    return std::unexpected(Error{ErrorCode::InvalidSource, "camera " + describe(source) + ": parameter " +
                                                               std::string(key) + "=" + text +
                                                               " is not a boolean (1/0, true/false)"});
}

Result<std::unique_ptr<Camera>> openCamera(const CameraSource& source)
{
    if (source.location.empty())
        return std::unexpected(
            Error{ErrorCode::InvalidSource, "camera " + describe(source) + ": no path, device or URL"});
    if (source.scheme == "file")
        return openFileCamera(source);
    if (source.scheme == "v4l2" || source.scheme == "gst" || source.scheme == "rtsp" ||
        source.scheme == "http" || source.scheme == "https")
        return openCaptureCamera(source);
    return std::unexpected(Error{ErrorCode::InvalidSource, "camera " + describe(source) +
                                                               ": unsupported scheme \"" + source.scheme +
                                                               "\" (file, v4l2, gst, rtsp, http, https)"});
}

} // namespace retour::vision
