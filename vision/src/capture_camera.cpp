// Cameras behind cv::VideoCapture: V4L2 devices, GStreamer pipelines and FFmpeg network streams
// (devices.md §5). Kept simple for the walking skeleton; a capture thread that keeps only the
// newest frame (style.md §5.5 rule 5) comes with the camera issue.
#include "cameras.h"

#include <charconv>
#include <opencv2/videoio.hpp>
#include <vector>

namespace retour::vision {

namespace {

std::unexpected<Error> invalid(const CameraSource& source, std::string message)
{
    return std::unexpected(Error{ErrorCode::InvalidSource, "camera " + describe(source) + ": " + message});
}

bool allDigits(std::string_view text)
{
    return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// How to open one capture source, worked out once from the CameraSource.
struct CaptureSpec
{
    std::string target;      // device path, pipeline or URL
    int index = -1;          // V4L2 device index when the location is a number
    int api = cv::CAP_ANY;   // backend, always named explicitly
    std::vector<int> params; // properties applied at open (cv::VideoCapture params form)
    int discard = 0;         // frames to drop before a still, so that it was captured after the call
};

Result<CaptureSpec> v4l2Spec(const CameraSource& source)
{
    CaptureSpec spec;
    spec.api = cv::CAP_V4L2;
    if (allDigits(source.location)) {
        auto [end, ec] = std::from_chars(source.location.data(),
                                         source.location.data() + source.location.size(), spec.index);
        if (ec != std::errc{})
            return invalid(source, "device index " + source.location + " is out of range");
    } else {
        spec.target = source.location;
    }

    // MJPG at open: V4L2 otherwise picks YUYV first, which caps the frame rate at high resolutions.
    std::string fourcc = "MJPG";
    if (auto it = source.params.find("fourcc"); it != source.params.end())
        fourcc = it->second;
    if (fourcc.size() != 4)
        return invalid(source, "parameter fourcc=" + fourcc + " is not four characters");
    spec.params = {cv::CAP_PROP_FOURCC, cv::VideoWriter::fourcc(fourcc[0], fourcc[1], fourcc[2], fourcc[3])};

    // Width and height only work together (the driver re-initialises on the second one).
    auto width = intParam(source, "width", 1, 16384);
    auto height = intParam(source, "height", 1, 16384);
    auto fps = intParam(source, "fps", 1, 1000);
    auto buffers = intParam(source, "buffers", 1, 10);
    for (const auto* value : {&width, &height, &fps, &buffers})
        if (!*value)
            return std::unexpected(value->error());
    if (width->has_value() != height->has_value())
        return invalid(source, "width and height must be given together");
    if (width->has_value())
        spec.params.insert(spec.params.end(),
                           {cv::CAP_PROP_FRAME_WIDTH, **width, cv::CAP_PROP_FRAME_HEIGHT, **height});
    if (fps->has_value())
        spec.params.insert(spec.params.end(), {cv::CAP_PROP_FPS, **fps});
    // OpenCV queues 4 buffers by default; every queued frame may predate the call.
    int queued = buffers->value_or(4);
    spec.params.insert(spec.params.end(), {cv::CAP_PROP_BUFFERSIZE, queued});
    spec.discard = queued;
    return spec;
}

CaptureSpec gstreamerSpec(const CameraSource& source)
{
    CaptureSpec spec;
    spec.api = cv::CAP_GSTREAMER;
    spec.target = source.location;
    // OpenCV reads from an appsink; one that keeps only the newest buffer gives fresh stills.
    if (spec.target.find("appsink") == std::string::npos)
        spec.target += " ! videoconvert ! video/x-raw,format=BGR ! appsink drop=true max-buffers=1";
    return spec;
}

Result<CaptureSpec> ffmpegSpec(const CameraSource& source)
{
    CaptureSpec spec;
    spec.api = cv::CAP_FFMPEG;
    const std::string prefix = source.scheme + ":";
    if (source.text.starts_with(prefix))
        spec.target = source.text;
    else if (source.location.starts_with("//"))
        spec.target = prefix + source.location;
    else
        spec.target = prefix + "//" + source.location;
    // FFmpeg-only properties (videoio.hpp); without them a dead stream blocks read() indefinitely.
    auto timeout = intParam(source, "timeout_ms", 1, 600000);
    if (!timeout)
        return std::unexpected(timeout.error());
    int ms = timeout->value_or(5000);
    spec.params = {cv::CAP_PROP_OPEN_TIMEOUT_MSEC, ms, cv::CAP_PROP_READ_TIMEOUT_MSEC, ms};
    return spec;
}

// Thread contract: not thread-safe (Camera).
class CaptureCamera final : public Camera
{
public:
    CaptureCamera(CameraSource source, CaptureSpec spec) : source_(std::move(source)), spec_(std::move(spec))
    {}

    const CameraSource& source() const override { return source_; }

    Result<void> open()
    {
        try {
            if (spec_.index >= 0)
                capture_.open(spec_.index, spec_.api, spec_.params);
            else
                capture_.open(spec_.target, spec_.api, spec_.params);
        } catch (const cv::Exception& e) {
            capture_.release();
            return offline(std::string("cannot open: ") + e.what());
        }
        if (!capture_.isOpened())
            return offline("cannot open " + (spec_.index >= 0 ? std::to_string(spec_.index) : spec_.target) +
                           " with OpenCV backend " + backendName());
        return {};
    }

    Result<cv::Mat> still() override
    {
        if (!capture_.isOpened()) {
            if (auto opened = open(); !opened)
                return std::unexpected(opened.error());
        }
        cv::Mat frame;
        try {
            bool grabbed = true;
            for (int i = 0; i <= spec_.discard && grabbed; ++i)
                grabbed = capture_.grab();
            if (grabbed)
                grabbed = capture_.retrieve(frame);
            if (!grabbed || frame.empty()) {
                capture_.release();
                return offline("no frame (unplugged, or the stream ended); re-opening on the next still");
            }
        } catch (const cv::Exception& e) {
            capture_.release();
            return offline(e.what());
        }
        // Some backends hand out their own buffer; the caller keeps the frame beyond the next grab.
        return frame.clone();
    }

private:
    std::unexpected<Error> offline(std::string message) const
    {
        return std::unexpected(
            Error{ErrorCode::CameraOffline, "camera " + describe(source_) + ": " + message});
    }

    std::string backendName() const
    {
        switch (spec_.api) {
        case cv::CAP_V4L2:
            return "V4L2";
        case cv::CAP_GSTREAMER:
            return "GSTREAMER";
        case cv::CAP_FFMPEG:
            return "FFMPEG";
        default:
            return std::to_string(spec_.api);
        }
    }

    CameraSource source_;
    CaptureSpec spec_;
    cv::VideoCapture capture_;
};

} // namespace

Result<std::unique_ptr<Camera>> openCaptureCamera(const CameraSource& source)
{
    Result<CaptureSpec> spec = source.scheme == "v4l2"  ? v4l2Spec(source)
                               : source.scheme == "gst" ? Result<CaptureSpec>(gstreamerSpec(source))
                                                        : ffmpegSpec(source);
    if (!spec)
        return std::unexpected(spec.error());
    auto camera = std::make_unique<CaptureCamera>(source, std::move(*spec));
    if (auto opened = camera->open(); !opened)
        return std::unexpected(opened.error());
    return camera;
}

} // namespace retour::vision
