#pragma once

#include <map>
#include <memory>
#include <string>

#include <opencv2/core/mat.hpp>

#include "retour/vision/error.h"

namespace retour::vision {

// Where frames come from. The station parses the device URI and hands the pieces over, so that
// vision needs no knowledge of the device layer.
//   scheme "file": location is a path or a printf pattern (frame_%03d.png), read with cv::CAP_IMAGES
//   (v4l2, gst, rtsp, http: later)
struct CameraSource
{
    std::string scheme;
    std::string location;
    std::map<std::string, std::string> params;  // e.g. loop=1 restarts an image sequence at its end
    std::string text;                           // as written, for messages
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

Result<std::unique_ptr<Camera>> openCamera(const CameraSource& source);

}  // namespace retour::vision
