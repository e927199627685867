#pragma once

#include "retour/vision/error.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

namespace retour::vision {

// Where frames come from. The station parses the device URI and hands the pieces over, so that
// vision needs no knowledge of the device layer.
//   "file": location is a printf pattern with one integer conversion (frame_%03d.png), read as an
//           image sequence with cv::CAP_IMAGES, which starts at index 0 or 1; params: loop=1 rewinds
//           at the end, otherwise the end is CameraOffline("image sequence ended"). A location
//           without '%' is a single image, re-read (cv::imread) on every still().
//   "v4l2": location /dev/videoN or an index; params width, height, fourcc (default MJPG), fps,
//           buffers (default 2), applied at open and read back (docs/protocols/cameras.md §1); exposure,
//           focus and white balance locked from the params (v4l2_controls.h).
//   "gst":  location is a GStreamer pipeline; one without appsink gets
//           "! videoconvert ! video/x-raw,format=BGR ! appsink drop=true max-buffers=1" appended.
//   "rtsp", "http", "https": the URL (text when it starts with the scheme, else scheme:location),
//           opened with FFmpeg; param timeout_ms (default 5000) bounds open and read.
// Any other scheme is InvalidSource.
// v4l2, gst, rtsp, http and https cameras run a capture thread (CameraStatus below); params
// still_timeout_ms (default 3000) bounds the wait for a fresh frame, reopen_ms (default 250) is the
// first back-off before re-opening a lost camera, doubled up to 8 s.
struct CameraSource
{
    std::string scheme;
    std::string location;
    std::map<std::string, std::string> params; // e.g. loop=1 restarts an image sequence at its end
    std::string text;                          // as written, for messages
};

// A frame with its place in the camera's stream.
struct Frame
{
    cv::Mat image;
    std::uint64_t sequence = 0;                      // 1, 2, 3, … per camera, never reused
    std::chrono::steady_clock::time_point captured;  // when the grab that gave it started
    std::chrono::steady_clock::time_point delivered; // when that grab returned it (its age counts from here)
};

// What the camera knows of itself: a capture thread finds a lost camera without being asked.
struct CameraStatus
{
    bool online = true;
    std::string reason;       // why it is offline ("stream ended", "cannot open …")
    std::uint64_t frames = 0; // frames grabbed since open
    int reopenAttempts = 0;   // failed re-opens since it went offline
    std::string granted;      // V4L2: what the device gave at the last open ("1920x1080 MJPG 30 fps")
    std::vector<std::string> warnings; // V4L2: requests the device did not grant, read back at open
};

// A camera. still() returns a frame captured after the call.
//
// Thread contract: file cameras are not thread-safe (use from one thread at a time, the station's
// camera worker). Capture cameras (v4l2, gst, rtsp, http, https) own one capture thread that grabs
// continuously and keeps only the newest frame, so the driver's queue never hands out a stale one;
// their still(), stillFrame(), latest() and status() are thread-safe. Destroying one stops the thread
// and waits for the grab in progress, which the backend bounds: 10 s for V4L2 (docs/protocols/cameras.md §1),
// timeout_ms for FFmpeg; OpenCV 4.6's GStreamer backend refuses read timeouts, so a gst pipeline
// that stalls without ending holds the destructor until it delivers or ends.
class Camera
{
public:
    virtual ~Camera() = default;
    virtual const CameraSource& source() const = 0;
    // A frame captured after this call; CameraOffline when the camera is gone (capture cameras
    // re-open by themselves with back-off, file cameras on the next call), or when no fresh frame
    // came within still_timeout_ms ("camera stalled").
    virtual Result<cv::Mat> still() = 0;
    // still() with the frame's sequence number and capture time.
    virtual Result<Frame> stillFrame()
    {
        auto image = still();
        if (!image)
            return std::unexpected(image.error());
        const auto now = std::chrono::steady_clock::now();
        return Frame{std::move(*image), ++stills_, now, now};
    }
    // The newest frame without waiting (a preview); for file cameras the same as stillFrame().
    virtual Result<Frame> latest() { return stillFrame(); }
    virtual CameraStatus status() const { return {}; }

private:
    std::uint64_t stills_ = 0;
};

// Opens the camera once, so that a wrong path or device is reported at once: InvalidSource for a
// source that cannot be understood (unknown scheme, bad pattern, bad parameter), CameraOffline when
// it cannot be opened now.
Result<std::unique_ptr<Camera>> openCamera(const CameraSource& source);

} // namespace retour::vision
