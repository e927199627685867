// The V4L2 set-up decisions: profile → ordered control writes, read-back → warnings. No /dev/video
// exists in CI containers (and vivid cannot be loaded there), so the device side is covered by the
// error paths: a missing node, and a node that is not a V4L2 device.
#include "camera/v4l2_controls.h"

#include <gtest/gtest.h>
#include <linux/videodev2.h>
#include <map>
#include <opencv2/videoio.hpp>

namespace retour::vision {
namespace {

CameraSource v4l2(std::map<std::string, std::string> params)
{
    return {"v4l2", "/dev/video0", std::move(params), "v4l2:/dev/video0"};
}

std::vector<std::string> namesOf(const std::vector<ControlWrite>& plan)
{
    std::vector<std::string> names;
    for (const auto& w : plan)
        names.push_back(w.name + "=" + std::to_string(w.value));
    return names;
}

TEST(V4l2Profile, DefaultsToMjpgWithNothingLocked)
{
    auto profile = v4l2ProfileFrom(v4l2({}));
    ASSERT_TRUE(profile) << profile.error().message;
    EXPECT_EQ(profile->fourcc, "MJPG");
    EXPECT_FALSE(profile->width);
    EXPECT_TRUE(controlPlan(*profile).empty());
}

TEST(V4l2Profile, BadParametersNameTheParameter)
{
    const std::map<std::string, std::string> bad[] = {
        {{"exposure", "0"}}, {{"wb", "800"}},       {{"focus", "near"}},          {{"powerline", "55"}},
        {{"width", "640"}},  {{"fourcc", "MJPEG"}}, {{"exposure_priority", "2"}},
    };
    for (const auto& params : bad) {
        auto profile = v4l2ProfileFrom(v4l2(params));
        ASSERT_FALSE(profile) << params.begin()->first;
        EXPECT_EQ(profile.error().code, ErrorCode::InvalidSource);
        const std::string key = params.begin()->first == "height" ? "width" : params.begin()->first;
        EXPECT_NE(profile.error().message.find(key), std::string::npos) << profile.error().message;
    }
}

TEST(ControlPlan, EachAutomaticModeIsSwitchedOffBeforeItsManualValue)
{
    auto profile = v4l2ProfileFrom(v4l2({{"exposure", "156"},
                                         {"focus", "30"},
                                         {"wb", "4600"},
                                         {"gain", "12"},
                                         {"exposure_priority", "0"},
                                         {"powerline", "50"}}));
    ASSERT_TRUE(profile) << profile.error().message;
    const auto plan = controlPlan(*profile);
    EXPECT_EQ(namesOf(plan),
              (std::vector<std::string>{"auto exposure=1", "exposure=156", "exposure priority=0",
                                        "autofocus=0", "focus=30", "auto white balance=0",
                                        "white balance=4600", "gain=12", "power line frequency=1"}));
    // OpenCV 4.6 maps these (cap_v4l.cpp); exposure priority and power line go through the ioctl.
    EXPECT_EQ(plan[0].cvProperty, cv::CAP_PROP_AUTO_EXPOSURE);
    EXPECT_EQ(plan[0].v4l2Id, static_cast<std::uint32_t>(V4L2_CID_EXPOSURE_AUTO));
    EXPECT_EQ(plan[1].cvProperty, cv::CAP_PROP_EXPOSURE);
    EXPECT_EQ(plan[2].cvProperty, -1);
    EXPECT_EQ(plan[2].v4l2Id, static_cast<std::uint32_t>(V4L2_CID_EXPOSURE_AUTO_PRIORITY));
    EXPECT_EQ(plan[4].v4l2Id, static_cast<std::uint32_t>(V4L2_CID_FOCUS_ABSOLUTE));
    EXPECT_EQ(plan[6].cvProperty, cv::CAP_PROP_WB_TEMPERATURE);
    EXPECT_EQ(plan[8].cvProperty, -1);
    EXPECT_EQ(plan[8].v4l2Id, static_cast<std::uint32_t>(V4L2_CID_POWER_LINE_FREQUENCY));
}

TEST(GrantWarnings, NoneWhenEverythingWasGranted)
{
    auto profile =
        v4l2ProfileFrom(v4l2({{"width", "1920"}, {"height", "1080"}, {"fps", "30"}, {"focus", "20"}}));
    ASSERT_TRUE(profile);
    std::vector<ControlReadBack> controls;
    for (const auto& w : controlPlan(*profile))
        controls.push_back({w, true, w.value});
    EXPECT_TRUE(grantWarnings(*profile, {1920, 1080, "MJPG", 29.97}, controls).empty());
}

TEST(GrantWarnings, EveryRequestNotGrantedIsNamed)
{
    auto profile = v4l2ProfileFrom(
        v4l2({{"width", "1920"}, {"height", "1080"}, {"fps", "30"}, {"exposure", "100"}, {"wb", "5000"}}));
    ASSERT_TRUE(profile);
    const auto plan = controlPlan(*profile);
    ASSERT_EQ(plan.size(), 4U);
    const std::vector<ControlReadBack> controls = {{plan[0], true, 1},
                                                   {plan[1], true, 98},
                                                   {plan[2], false, std::nullopt},
                                                   {plan[3], true, std::nullopt}};
    const auto warnings = grantWarnings(*profile, {640, 480, "YUYV", 15}, controls);
    EXPECT_EQ(warnings, (std::vector<std::string>{
                            "asked for MJPG, the device gave YUYV",
                            "asked for 1920x1080, the device gave 640x480",
                            "asked for 30 fps, the device gave 15 fps",
                            "exposure asked 100, the device holds 98",
                            "auto white balance 0 refused by the device",
                            "white balance 5000 written but cannot be read back",
                        }));
}

TEST(FourccText, DecodesTheOpenCvProperty)
{
    EXPECT_EQ(fourccText(cv::VideoWriter::fourcc('M', 'J', 'P', 'G')), "MJPG");
    EXPECT_EQ(fourccText(cv::VideoWriter::fourcc('Y', 'U', 'Y', 'V')), "YUYV");
    EXPECT_EQ(fourccText(0), "");
}

// Records writes and answers reads from what was written, except for refused controls.
class RecordingPort final : public ControlPort
{
public:
    explicit RecordingPort(std::vector<std::uint32_t> refused = {}) : refused_(std::move(refused)) {}
    Result<void> set(const ControlWrite& w) override
    {
        log.push_back(w.name);
        if (std::find(refused_.begin(), refused_.end(), w.v4l2Id) != refused_.end())
            return std::unexpected(Error{ErrorCode::CameraOffline, "refused"});
        values[w.v4l2Id] = w.value;
        return {};
    }
    Result<int> get(const ControlWrite& w) override { return values.at(w.v4l2Id); }
    std::vector<std::string> log;
    std::map<std::uint32_t, int> values;

private:
    std::vector<std::uint32_t> refused_;
};

TEST(ApplyControls, MappedControlsGoThroughOpenCvTheOthersThroughTheIoctlInPlanOrder)
{
    auto profile = v4l2ProfileFrom(v4l2({{"focus", "40"}, {"powerline", "60"}}));
    ASSERT_TRUE(profile);
    RecordingPort opencv({V4L2_CID_FOCUS_AUTO});
    RecordingPort ioctl;
    const auto results = applyControls(controlPlan(*profile), opencv, &ioctl);
    EXPECT_EQ(opencv.log, (std::vector<std::string>{"autofocus", "focus"}));
    EXPECT_EQ(ioctl.log, (std::vector<std::string>{"power line frequency"}));
    ASSERT_EQ(results.size(), 3U);
    EXPECT_FALSE(results[0].accepted);
    EXPECT_EQ(results[1].value, 40);
    EXPECT_EQ(results[2].value, 2);
    // Without a control node the unmapped control is reported refused, not skipped silently.
    const auto noNode = applyControls(controlPlan(*profile), opencv, nullptr);
    EXPECT_FALSE(noNode[2].accepted);
}

TEST(IoctlControlPort, MissingNodeIsOfflineNamingIt)
{
    auto port = IoctlControlPort::open("/dev/retour-no-such-video");
    ASSERT_FALSE(port);
    EXPECT_EQ(port.error().code, ErrorCode::CameraOffline);
    EXPECT_NE(port.error().message.find("/dev/retour-no-such-video"), std::string::npos)
        << port.error().message;
}

TEST(IoctlControlPort, NodeThatIsNotV4l2NamesTheIoctlAndTheNode)
{
    auto port = IoctlControlPort::open("/dev/null");
    ASSERT_TRUE(port) << port.error().message;
    const ControlWrite write{"focus", V4L2_CID_FOCUS_ABSOLUTE, -1, 10};
    auto set = port->set(write);
    ASSERT_FALSE(set);
    EXPECT_NE(set.error().message.find("VIDIOC_S_CTRL focus=10 on /dev/null"), std::string::npos)
        << set.error().message;
    auto get = port->get(write);
    ASSERT_FALSE(get);
    EXPECT_NE(get.error().message.find("VIDIOC_G_CTRL focus on /dev/null"), std::string::npos)
        << get.error().message;
}

} // namespace
} // namespace retour::vision
