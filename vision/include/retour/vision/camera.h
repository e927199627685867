#pragma once

#include "retour/vision/error.h"

#include <map>
#include <memory>
#include <opencv2/core/mat.hpp>
#include <string>

namespace retour::vision {

// Where frames come from. The station parses the device URI and hands the pieces over, so that
// vision needs no knowledge of the device layer.
//   "file": location is a printf pattern with one integer conversion (frame_%03d.png), read as an
//           image sequence with cv::CAP_IMAGES, which starts at index 0 or 1; params: loop=1 rewinds
//           at the end, otherwise the end is CameraOffline("image sequence ended"). A location
//           without '%' is a single image, re-read (cv::imread) on every still().
//   "v4l2": location /dev/videoN or an index; params width, height, fourcc (default MJPG), fps,
//           buffers (default 4), applied at open (devices.md §5); a still drops the queued
//           buffers first, so that it was captured after the call.
//   "gst":  location is a GStreamer pipeline; one without appsink gets
//           "! videoconvert ! video/x-raw,format=BGR ! appsink drop=true max-buffers=1" appended.
//   "rtsp", "http", "https": the URL (text when it starts with the scheme, else scheme:location),
//           opened with FFmpeg; param timeout_ms (default 5000) bounds open and read.
// Any other scheme is InvalidSource.
struct CameraSource
{
    std::string scheme;
    std::string location;
    std::map<std::string, std::string> params; // e.g. loop=1 restarts an image sequence at its end
    std::string text;                          // as written, for messages
};

// A camera. still() returns a frame captured after the call.
//
// Thread contract: not thread-safe; use from one thread at a time (the station's camera worker).
class Camera
{
public:
    virtual ~Camera() = default;
    virtual const CameraSource& source() const = 0;
    // A frame captured after this call; CameraOffline when the camera is gone (the camera then
    // tries to re-open on the next call).
    virtual Result<cv::Mat> still() = 0;
};

// Opens the camera once, so that a wrong path or device is reported at once: InvalidSource for a
// source that cannot be understood (unknown scheme, bad pattern, bad parameter), CameraOffline when
// it cannot be opened now.
Result<std::unique_ptr<Camera>> openCamera(const CameraSource& source);

} // namespace retour::vision
