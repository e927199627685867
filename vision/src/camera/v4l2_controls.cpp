#include "camera/v4l2_controls.h"

#include "camera/cameras.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <opencv2/videoio.hpp>
#include <sys/ioctl.h>
#include <unistd.h>

namespace retour::vision {

namespace {

// V4L2_CID_EXPOSURE_AUTO menu (docs/protocols/cameras.md §1): 1 manual, 3 aperture priority.
constexpr int exposureManual = 1;

std::string sizeText(int width, int height)
{
    return std::to_string(width) + "x" + std::to_string(height);
}

} // namespace

Result<V4l2Profile> v4l2ProfileFrom(const CameraSource& source)
{
    V4l2Profile profile;
    if (auto it = source.params.find("fourcc"); it != source.params.end())
        profile.fourcc = it->second;
    if (profile.fourcc.size() != 4)
        return std::unexpected(Error{ErrorCode::InvalidSource, "camera " + describe(source) +
                                                                   ": parameter fourcc=" + profile.fourcc +
                                                                   " is not four characters"});
    struct Field
    {
        const char* key;
        int min;
        int max;
        std::optional<int> V4l2Profile::*member;
    };
    const Field fields[] = {
        {"width", 1, 16384, &V4l2Profile::width},
        {"height", 1, 16384, &V4l2Profile::height},
        {"fps", 1, 1000, &V4l2Profile::fps},
        {"exposure", 1, 1000000, &V4l2Profile::exposure},
        {"focus", 0, 100000, &V4l2Profile::focus},
        {"wb", 1000, 15000, &V4l2Profile::whiteBalance},
        {"gain", 0, 100000, &V4l2Profile::gain},
        {"exposure_priority", 0, 1, &V4l2Profile::exposurePriority},
    };
    for (const auto& field : fields) {
        auto value = intParam(source, field.key, field.min, field.max);
        if (!value)
            return std::unexpected(value.error());
        profile.*field.member = *value;
    }
    auto power = intParam(source, "powerline", 0, 60);
    if (!power)
        return std::unexpected(power.error());
    if (*power && **power != 0 && **power != 50 && **power != 60)
        return std::unexpected(
            Error{ErrorCode::InvalidSource, "camera " + describe(source) + ": parameter powerline=" +
                                                std::to_string(**power) + " is not 0, 50 or 60"});
    profile.powerLine = *power;
    if (profile.width.has_value() != profile.height.has_value())
        return std::unexpected(
            Error{ErrorCode::InvalidSource,
                  "camera " + describe(source) + ": width and height must be given together"});
    return profile;
}

std::vector<ControlWrite> controlPlan(const V4l2Profile& profile)
{
    std::vector<ControlWrite> plan;
    if (profile.exposure) {
        plan.push_back({"auto exposure", V4L2_CID_EXPOSURE_AUTO, cv::CAP_PROP_AUTO_EXPOSURE, exposureManual});
        plan.push_back({"exposure", V4L2_CID_EXPOSURE_ABSOLUTE, cv::CAP_PROP_EXPOSURE, *profile.exposure});
    }
    // Not mapped by OpenCV: with priority on, a UVC camera lengthens exposure in low light by
    // dropping the frame rate.
    if (profile.exposurePriority)
        plan.push_back({"exposure priority", V4L2_CID_EXPOSURE_AUTO_PRIORITY, -1, *profile.exposurePriority});
    if (profile.focus) {
        plan.push_back({"autofocus", V4L2_CID_FOCUS_AUTO, cv::CAP_PROP_AUTOFOCUS, 0});
        plan.push_back({"focus", V4L2_CID_FOCUS_ABSOLUTE, cv::CAP_PROP_FOCUS, *profile.focus});
    }
    if (profile.whiteBalance) {
        plan.push_back({"auto white balance", V4L2_CID_AUTO_WHITE_BALANCE, cv::CAP_PROP_AUTO_WB, 0});
        plan.push_back({"white balance", V4L2_CID_WHITE_BALANCE_TEMPERATURE, cv::CAP_PROP_WB_TEMPERATURE,
                        *profile.whiteBalance});
    }
    if (profile.gain)
        plan.push_back({"gain", V4L2_CID_GAIN, cv::CAP_PROP_GAIN, *profile.gain});
    // Not mapped by OpenCV; menu 0 disabled, 1 50 Hz, 2 60 Hz. Anti-flicker under mains lighting.
    if (profile.powerLine)
        plan.push_back({"power line frequency", V4L2_CID_POWER_LINE_FREQUENCY, -1,
                        *profile.powerLine == 0 ? 0 : (*profile.powerLine == 50 ? 1 : 2)});
    return plan;
}

std::string describe(const Granted& granted)
{
    char fps[32];
    std::snprintf(fps, sizeof fps, "%.4g", granted.fps);
    return sizeText(granted.width, granted.height) + " " + (granted.fourcc.empty() ? "?" : granted.fourcc) +
           " " + fps + " fps";
}

std::string fourccText(double property)
{
    const auto code = static_cast<std::uint32_t>(static_cast<std::int64_t>(property));
    std::string text;
    for (int i = 0; i < 4; ++i) {
        const char c = static_cast<char>((code >> (8 * i)) & 0xFF);
        if (c < 0x20 || c > 0x7E)
            return {};
        text += c;
    }
    return text;
}

std::vector<std::string> grantWarnings(const V4l2Profile& profile, const Granted& granted,
                                       const std::vector<ControlReadBack>& controls)
{
    std::vector<std::string> warnings;
    if (granted.fourcc != profile.fourcc)
        warnings.push_back("asked for " + profile.fourcc + ", the device gave " +
                           (granted.fourcc.empty() ? "an unknown format" : granted.fourcc));
    if (profile.width && (granted.width != *profile.width || granted.height != *profile.height))
        warnings.push_back("asked for " + sizeText(*profile.width, *profile.height) + ", the device gave " +
                           sizeText(granted.width, granted.height));
    // Frame rates are rational on the wire (30000/1001); a whole-fps request is met within 1%.
    if (profile.fps && std::abs(granted.fps - *profile.fps) > 0.01 * *profile.fps)
        warnings.push_back("asked for " + std::to_string(*profile.fps) + " fps, the device gave " +
                           describe(Granted{0, 0, {}, granted.fps}).substr(6));
    for (const auto& control : controls) {
        const auto& w = control.write;
        if (!control.accepted)
            warnings.push_back(w.name + " " + std::to_string(w.value) + " refused by the device");
        else if (!control.value)
            warnings.push_back(w.name + " " + std::to_string(w.value) + " written but cannot be read back");
        else if (*control.value != w.value)
            warnings.push_back(w.name + " asked " + std::to_string(w.value) + ", the device holds " +
                               std::to_string(*control.value));
    }
    return warnings;
}

Result<IoctlControlPort> IoctlControlPort::open(const std::string& node)
{
    const int fd = ::open(node.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return std::unexpected(Error{ErrorCode::CameraOffline,
                                     "cannot open " + node + " for V4L2 controls: " + std::strerror(errno)});
    return IoctlControlPort(fd, node);
}

IoctlControlPort::IoctlControlPort(IoctlControlPort&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), node_(std::move(other.node_))
{}

IoctlControlPort::~IoctlControlPort()
{
    if (fd_ >= 0)
        ::close(fd_);
}

Result<void> IoctlControlPort::set(const ControlWrite& write)
{
    v4l2_control control{};
    control.id = write.v4l2Id;
    control.value = write.value;
    if (::ioctl(fd_, VIDIOC_S_CTRL, &control) < 0)
        return std::unexpected(Error{ErrorCode::CameraOffline, "VIDIOC_S_CTRL " + write.name + "=" +
                                                                   std::to_string(write.value) + " on " +
                                                                   node_ + ": " + std::strerror(errno)});
    return {};
}

Result<int> IoctlControlPort::get(const ControlWrite& write)
{
    v4l2_control control{};
    control.id = write.v4l2Id;
    if (::ioctl(fd_, VIDIOC_G_CTRL, &control) < 0)
        return std::unexpected(Error{ErrorCode::CameraOffline, "VIDIOC_G_CTRL " + write.name + " on " +
                                                                   node_ + ": " + std::strerror(errno)});
    return control.value;
}

std::vector<ControlReadBack> applyControls(const std::vector<ControlWrite>& writes, ControlPort& opencv,
                                           ControlPort* ioctl)
{
    std::vector<ControlReadBack> results;
    for (const auto& write : writes) {
        ControlPort* port = write.cvProperty >= 0 ? &opencv : ioctl;
        ControlReadBack result{write, false, std::nullopt};
        if (port != nullptr && port->set(write)) {
            result.accepted = true;
            if (auto value = port->get(write))
                result.value = *value;
        }
        results.push_back(std::move(result));
    }
    return results;
}

} // namespace retour::vision
