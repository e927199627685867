#pragma once

#include "retour/vision/camera.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace retour::vision {

// The source as the user wrote it, for messages.
std::string describe(const CameraSource& source);

// An integer parameter within [min, max]: nullopt when absent, InvalidSource when unparsable.
Result<std::optional<int>> intParam(const CameraSource& source, std::string_view key, int min, int max);
// A boolean parameter ("1"/"0"/"true"/"false"/"yes"/"no"), the fallback when absent.
Result<bool> boolParam(const CameraSource& source, std::string_view key, bool fallback);

// "file": an image sequence or a single image (file_camera.cpp).
Result<std::unique_ptr<Camera>> openFileCamera(const CameraSource& source);
// "v4l2", "gst", "rtsp", "http", "https": a cv::VideoCapture device or stream (capture_camera.cpp).
Result<std::unique_ptr<Camera>> openCaptureCamera(const CameraSource& source);

} // namespace retour::vision
