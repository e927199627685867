#pragma once

// V4L2 camera set-up (docs/protocols/cameras.md §1): what to ask of the device at open, in which order, and
// how to judge what it granted. Pure: the writes go through a ControlPort (cv::VideoCapture properties where
// OpenCV 4.6 maps the control, VIDIOC_S_CTRL/G_CTRL on the device node where it does not).

#include "retour/vision/camera.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace retour::vision {

// What the profile asks of a V4L2 camera, from the source's params: width, height, fourcc, fps,
// exposure (V4L2 unit 100 µs), focus, wb (white balance in K), gain, exposure_priority (0/1),
// powerline (0 off, 50, 60 Hz).
struct V4l2Profile
{
    std::string fourcc = "MJPG";
    std::optional<int> width, height, fps;
    std::optional<int> exposure, focus, whiteBalance, gain, exposurePriority, powerLine;
};

Result<V4l2Profile> v4l2ProfileFrom(const CameraSource& source);

// One control write. `cvProperty` is the cv::VideoCapture property that maps to the control in
// OpenCV 4.6's V4L2 backend (cap_v4l.cpp), or -1 when only the ioctl reaches it.
struct ControlWrite
{
    std::string name;
    std::uint32_t v4l2Id = 0;
    int cvProperty = -1;
    int value = 0;
};

// The writes that lock the profile's settings, in order: each automatic mode is switched off
// before its manual value is written, since UVC cameras ignore (or refuse) a manual exposure,
// focus or white balance while the automatic one is on. Re-applied on every open: cameras keep
// them only until they lose power.
std::vector<ControlWrite> controlPlan(const V4l2Profile& profile);

// What the device reports after open.
struct Granted
{
    int width = 0;
    int height = 0;
    std::string fourcc;
    double fps = 0;
};

// "WIDTHxHEIGHT FOURCC FPS fps", for the camera status.
std::string describe(const Granted& granted);

// A warning for every request the device did not grant: format and size at open, and each control
// whose read-back (nullopt: could not be read) differs from what was written.
struct ControlReadBack
{
    ControlWrite write;
    bool accepted = false;
    std::optional<int> value;
};
std::vector<std::string> grantWarnings(const V4l2Profile& profile, const Granted& granted,
                                       const std::vector<ControlReadBack>& controls);

// FOURCC from the double cv::CAP_PROP_FOURCC reads as ("" for 0 or unprintable bytes).
std::string fourccText(double property);

// Where control writes go.
//
// Thread contract: thread-bound (the capture thread that opens the camera).
class ControlPort
{
public:
    virtual ~ControlPort() = default;
    virtual Result<void> set(const ControlWrite& write) = 0;
    virtual Result<int> get(const ControlWrite& write) = 0;
};

// VIDIOC_S_CTRL / VIDIOC_G_CTRL on a device node opened for control access only (V4L2 allows this
// beside the streaming handle). Errors name the ioctl, the control and the node.
//
// Thread contract: thread-bound.
class IoctlControlPort final : public ControlPort
{
public:
    static Result<IoctlControlPort> open(const std::string& node);
    IoctlControlPort(IoctlControlPort&& other) noexcept;
    IoctlControlPort& operator=(IoctlControlPort&&) = delete;
    ~IoctlControlPort() override;

    Result<void> set(const ControlWrite& write) override;
    Result<int> get(const ControlWrite& write) override;

private:
    IoctlControlPort(int fd, std::string node) : fd_(fd), node_(std::move(node)) {}
    int fd_ = -1;
    std::string node_;
};

// Applies the writes in order through `opencv` for those it maps and `ioctl` (may be null: no node)
// for the others, reading each back.
std::vector<ControlReadBack> applyControls(const std::vector<ControlWrite>& writes, ControlPort& opencv,
                                           ControlPort* ioctl);

} // namespace retour::vision
