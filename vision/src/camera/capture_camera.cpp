// Cameras behind cv::VideoCapture: V4L2 devices, GStreamer pipelines and FFmpeg network streams
// (docs/protocols/cameras.md §1), each read by a capture thread that keeps only the newest frame
// (capture_thread.h).
#include "camera/cameras.h"
#include "camera/capture_thread.h"
#include "camera/v4l2_controls.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <opencv2/videoio.hpp>
#include <optional>
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
    std::string target;                 // device path, pipeline or URL
    int index = -1;                     // V4L2 device index when the location is a number
    int api = cv::CAP_ANY;              // backend, always named explicitly
    std::vector<int> params;            // properties applied at open (cv::VideoCapture params form)
    std::optional<V4l2Profile> profile; // V4L2: format, size and controls to lock and read back
    std::string node;                   // V4L2: the device node, for the controls OpenCV does not map
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
        spec.node = "/dev/video" + source.location;
    } else {
        spec.target = source.location;
        spec.node = source.location;
    }
    auto profile = v4l2ProfileFrom(source);
    if (!profile)
        return std::unexpected(profile.error());
    auto buffers = intParam(source, "buffers", 1, 10);
    if (!buffers)
        return std::unexpected(buffers.error());

    // Format and size at open, not by set() afterwards: each FOURCC or size change re-initialises
    // the stream, and MJPG must be asked for because V4L2 picks YUYV first, which caps the frame rate
    // at high resolutions (docs/protocols/cameras.md §1).
    const auto& f = profile->fourcc;
    spec.params = {cv::CAP_PROP_FOURCC, cv::VideoWriter::fourcc(f[0], f[1], f[2], f[3])};
    if (profile->width)
        spec.params.insert(spec.params.end(), {cv::CAP_PROP_FRAME_WIDTH, *profile->width,
                                               cv::CAP_PROP_FRAME_HEIGHT, *profile->height});
    if (profile->fps)
        spec.params.insert(spec.params.end(), {cv::CAP_PROP_FPS, *profile->fps});
    // OpenCV queues 4 buffers by default; the capture thread drains them continuously, and fewer
    // queued buffers means a younger frame at each dequeue.
    spec.params.insert(spec.params.end(), {cv::CAP_PROP_BUFFERSIZE, buffers->value_or(2)});
    spec.profile = std::move(*profile);
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

std::string backendName(int api)
{
    switch (api) {
    case cv::CAP_V4L2:
        return "V4L2";
    case cv::CAP_GSTREAMER:
        return "GSTREAMER";
    case cv::CAP_FFMPEG:
        return "FFMPEG";
    default:
        return std::to_string(api);
    }
}

// Controls through cv::VideoCapture properties (values raw, in the driver's range: docs/protocols/cameras.md
// §1).
//
// Thread contract: thread-bound (the capture thread).
class OpenCvControlPort final : public ControlPort
{
public:
    explicit OpenCvControlPort(cv::VideoCapture& capture) : capture_(capture) {}

    Result<void> set(const ControlWrite& write) override
    {
        if (!capture_.set(write.cvProperty, write.value))
            return std::unexpected(Error{ErrorCode::CameraOffline, write.name + " not supported"});
        return {};
    }
    Result<int> get(const ControlWrite& write) override
    {
        const double value = capture_.get(write.cvProperty);
        if (value == -1)
            return std::unexpected(Error{ErrorCode::CameraOffline, write.name + " cannot be read"});
        return static_cast<int>(std::lround(value));
    }

private:
    cv::VideoCapture& capture_;
};

// A cv::VideoCapture read by the capture thread.
//
// Thread contract: thread-bound to the CaptureThread after construction (FrameSource).
class VideoCaptureSource final : public FrameSource
{
public:
    explicit VideoCaptureSource(CaptureSpec spec) : spec_(std::move(spec)) {}

    Result<void> open() override
    {
        try {
            if (spec_.index >= 0)
                capture_.open(spec_.index, spec_.api, spec_.params);
            else
                capture_.open(spec_.target, spec_.api, spec_.params);
        } catch (const cv::Exception& e) {
            capture_.release();
            return lost(std::string("cannot open: ") + e.what());
        }
        if (!capture_.isOpened())
            return lost("cannot open " + (spec_.index >= 0 ? std::to_string(spec_.index) : spec_.target) +
                        " with OpenCV backend " + backendName(spec_.api));
        if (spec_.profile)
            lockV4l2();
        return {};
    }

    std::string granted() const override { return granted_; }
    std::vector<std::string> warnings() const override { return warnings_; }

    Result<cv::Mat> grab() override
    {
        cv::Mat frame;
        try {
            if (!capture_.read(frame) || frame.empty())
                return lost("no frame (unplugged, device error or the stream ended)");
        } catch (const cv::Exception& e) {
            return lost(e.what());
        }
        // Some backends hand out their own buffer, which the next grab overwrites.
        return frame.clone();
    }

    void close() override { capture_.release(); }

private:
    static std::unexpected<Error> lost(std::string message)
    {
        return std::unexpected(Error{ErrorCode::CameraOffline, std::move(message)});
    }

    // Locks exposure, focus and white balance, then reads back what the device granted.
    void lockV4l2()
    {
        OpenCvControlPort opencv(capture_);
        auto ioctl = IoctlControlPort::open(spec_.node);
        const auto controls = applyControls(controlPlan(*spec_.profile), opencv, ioctl ? &*ioctl : nullptr);
        const Granted got{static_cast<int>(capture_.get(cv::CAP_PROP_FRAME_WIDTH)),
                          static_cast<int>(capture_.get(cv::CAP_PROP_FRAME_HEIGHT)),
                          fourccText(capture_.get(cv::CAP_PROP_FOURCC)), capture_.get(cv::CAP_PROP_FPS)};
        granted_ = describe(got);
        warnings_ = grantWarnings(*spec_.profile, got, controls);
        if (!ioctl && !controls.empty())
            warnings_.push_back(ioctl.error().message);
    }

    CaptureSpec spec_;
    cv::VideoCapture capture_;
    std::string granted_;
    std::vector<std::string> warnings_;
};

// Thread contract: thread-safe (Camera: capture cameras); the CaptureThread does the grabbing.
class CaptureCamera final : public Camera
{
public:
    CaptureCamera(CameraSource source, std::unique_ptr<FrameSource> frames, CaptureTiming timing)
        : source_(std::move(source)), thread_(describe(source_), std::move(frames), timing)
    {}

    const CameraSource& source() const override { return source_; }

    Result<cv::Mat> still() override
    {
        auto frame = thread_.next();
        if (!frame)
            return std::unexpected(frame.error());
        return std::move(frame->image);
    }
    Result<Frame> stillFrame() override { return thread_.next(); }
    Result<Frame> latest() override { return thread_.latest(); }
    CameraStatus status() const override { return thread_.status(); }

private:
    CameraSource source_;
    CaptureThread thread_;
};

Result<CaptureTiming> captureTiming(const CameraSource& source)
{
    CaptureTiming timing;
    auto still = intParam(source, "still_timeout_ms", 1, 600000);
    if (!still)
        return std::unexpected(still.error());
    auto reopen = intParam(source, "reopen_ms", 1, 600000);
    if (!reopen)
        return std::unexpected(reopen.error());
    if (*still)
        timing.stillTimeout = std::chrono::milliseconds(**still);
    if (*reopen)
        timing.reopenFirst = std::chrono::milliseconds(**reopen);
    timing.reopenMax = std::max(timing.reopenMax, timing.reopenFirst);
    return timing;
}

} // namespace

Result<std::unique_ptr<Camera>> openCaptureCamera(const CameraSource& source)
{
    Result<CaptureSpec> spec = source.scheme == "v4l2"  ? v4l2Spec(source)
                               : source.scheme == "gst" ? Result<CaptureSpec>(gstreamerSpec(source))
                                                        : ffmpegSpec(source);
    if (!spec)
        return std::unexpected(spec.error());
    auto timing = captureTiming(source);
    if (!timing)
        return std::unexpected(timing.error());
    // Opened here, before the thread starts, so that a wrong device is reported to the caller.
    auto frames = std::make_unique<VideoCaptureSource>(std::move(*spec));
    if (auto opened = frames->open(); !opened)
        return std::unexpected(
            Error{ErrorCode::CameraOffline, "camera " + describe(source) + ": " + opened.error().message});
    return std::make_unique<CaptureCamera>(source, std::move(frames), *timing);
}

} // namespace retour::vision
