#include "retour/vision/camera.h"
#include "tests/support/temp_dir.h"

#include <chrono>
#include <filesystem>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio/registry.hpp>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace retour::vision {
namespace {

using retour::test::TempDir;

// Frame i is a solid colour with blue = 40 * i, so order is visible in the pixels.
cv::Mat solidFrame(int i)
{
    return {48, 64, CV_8UC3, cv::Scalar(40 * i, 100, 200)};
}

int blueOf(const cv::Mat& frame)
{
    return frame.at<cv::Vec3b>(0, 0)[0];
}

// frame_001.png .. frame_00N.png in dir.
void writeSequence(const std::filesystem::path& dir, int count, int first = 1)
{
    for (int i = first; i < first + count; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "frame_%03d.png", i);
        ASSERT_TRUE(cv::imwrite((dir / name).string(), solidFrame(i)));
    }
}

CameraSource fileSource(const std::filesystem::path& location, std::map<std::string, std::string> params = {})
{
    return {"file", location.string(), std::move(params), "file:" + location.string()};
}

TEST(FileCamera, SequenceReturnsFramesInOrderThenEnds)
{
    TempDir dir;
    writeSequence(dir.path(), 3);
    auto camera = openCamera(fileSource(dir / "frame_%03d.png"));
    ASSERT_TRUE(camera) << camera.error().message;
    for (int i = 1; i <= 3; ++i) {
        auto frame = (*camera)->still();
        ASSERT_TRUE(frame) << frame.error().message;
        EXPECT_EQ(blueOf(*frame), 40 * i);
        EXPECT_EQ(frame->cols, 64);
        EXPECT_EQ(frame->rows, 48);
    }
    auto end = (*camera)->still();
    ASSERT_FALSE(end);
    EXPECT_EQ(end.error().code, ErrorCode::CameraOffline);
    EXPECT_NE(end.error().message.find("image sequence ended"), std::string::npos) << end.error().message;
    // It stays ended: no wrap without loop=1.
    EXPECT_FALSE((*camera)->still());
}

TEST(FileCamera, LoopWrapsToTheFirstFrame)
{
    TempDir dir;
    writeSequence(dir.path(), 3);
    auto camera = openCamera(fileSource(dir / "frame_%03d.png", {{"loop", "1"}}));
    ASSERT_TRUE(camera) << camera.error().message;
    std::vector<int> seen;
    for (int i = 0; i < 7; ++i) {
        auto frame = (*camera)->still();
        ASSERT_TRUE(frame) << frame.error().message;
        seen.push_back(blueOf(*frame));
    }
    EXPECT_EQ(seen, (std::vector<int>{40, 80, 120, 40, 80, 120, 40}));
    EXPECT_EQ((*camera)->source().params.at("loop"), "1");
}

TEST(FileCamera, SequenceMayStartAtZero)
{
    TempDir dir;
    writeSequence(dir.path(), 2, 0);
    auto camera = openCamera(fileSource(dir / "frame_%03d.png"));
    ASSERT_TRUE(camera) << camera.error().message;
    auto frame = (*camera)->still();
    ASSERT_TRUE(frame) << frame.error().message;
    EXPECT_EQ(blueOf(*frame), 0);
}

TEST(FileCamera, FileRemovedMidSequenceIsOfflineWithItsPathThenReopens)
{
    TempDir dir;
    writeSequence(dir.path(), 3);
    auto camera = openCamera(fileSource(dir / "frame_%03d.png", {{"loop", "1"}}));
    ASSERT_TRUE(camera) << camera.error().message;
    ASSERT_TRUE((*camera)->still());

    std::filesystem::remove(dir / "frame_002.png");
    auto gone = (*camera)->still();
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error().code, ErrorCode::CameraOffline);
    EXPECT_NE(gone.error().message.find((dir / "frame_002.png").string()), std::string::npos)
        << gone.error().message;

    // The next still() re-opens: only frame_001 is left in the sequence now.
    auto again = (*camera)->still();
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(blueOf(*again), 40);
}

TEST(FileCamera, AllFilesRemovedIsOfflineUntilTheyReturn)
{
    TempDir dir;
    writeSequence(dir.path(), 3);
    auto camera = openCamera(fileSource(dir / "frame_%03d.png"));
    ASSERT_TRUE(camera) << camera.error().message;
    ASSERT_TRUE((*camera)->still());
    for (int i = 1; i <= 3; ++i)
        std::filesystem::remove(dir / ("frame_00" + std::to_string(i) + ".png"));

    for (int attempt = 0; attempt < 3; ++attempt) {
        auto frame = (*camera)->still();
        ASSERT_FALSE(frame);
        EXPECT_EQ(frame.error().code, ErrorCode::CameraOffline);
        EXPECT_NE(frame.error().message.find(dir.path().string()), std::string::npos)
            << frame.error().message;
    }
    writeSequence(dir.path(), 3);
    auto back = (*camera)->still();
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(blueOf(*back), 40);
}

TEST(FileCamera, SingleImageGivesTheSameImageEachTime)
{
    TempDir dir;
    // Digits in the name: CAP_IMAGES would treat it as a sequence start; a plain file stays one image.
    writeSequence(dir.path(), 2);
    auto camera = openCamera(fileSource(dir / "frame_001.png"));
    ASSERT_TRUE(camera) << camera.error().message;
    for (int i = 0; i < 3; ++i) {
        auto frame = (*camera)->still();
        ASSERT_TRUE(frame) << frame.error().message;
        EXPECT_EQ(blueOf(*frame), 40);
    }
}

TEST(FileCamera, SingleImageRemovedIsOfflineThenBack)
{
    TempDir dir;
    const auto path = dir / "bench.png";
    ASSERT_TRUE(cv::imwrite(path.string(), solidFrame(2)));
    auto camera = openCamera(fileSource(path));
    ASSERT_TRUE(camera) << camera.error().message;
    std::filesystem::remove(path);
    auto gone = (*camera)->still();
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error().code, ErrorCode::CameraOffline);
    EXPECT_NE(gone.error().message.find(path.string()), std::string::npos) << gone.error().message;

    ASSERT_TRUE(cv::imwrite(path.string(), solidFrame(3)));
    auto back = (*camera)->still();
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(blueOf(*back), 120);
}

TEST(FileCamera, CorruptImageIsADecodeError)
{
    TempDir dir;
    const auto path = dir / "broken.png";
    ASSERT_TRUE(cv::imwrite(path.string(), solidFrame(1)));
    auto camera = openCamera(fileSource(path));
    ASSERT_TRUE(camera);
    std::filesystem::resize_file(path, 10);
    auto frame = (*camera)->still();
    ASSERT_FALSE(frame);
    EXPECT_EQ(frame.error().code, ErrorCode::Decode);
    EXPECT_NE(frame.error().message.find(path.string()), std::string::npos);
}

TEST(FileCamera, MissingFilesAtOpenAreOffline)
{
    TempDir dir;
    auto sequence = openCamera(fileSource(dir / "frame_%03d.png"));
    ASSERT_FALSE(sequence);
    EXPECT_EQ(sequence.error().code, ErrorCode::CameraOffline);
    EXPECT_NE(sequence.error().message.find(dir.path().string()), std::string::npos);
    auto single = openCamera(fileSource(dir / "nothing.png"));
    ASSERT_FALSE(single);
    EXPECT_EQ(single.error().code, ErrorCode::CameraOffline);
}

TEST(OpenCamera, BadSourcesAreInvalid)
{
    TempDir dir;
    writeSequence(dir.path(), 1);
    const CameraSource bad[] = {
        {"ftp", "host/x.png", {}, "ftp:host/x.png"},
        {"", "/dev/video0", {}, ""},
        {"file", "", {}, "file:"},
        {"file", (dir / "frame_%s.png").string(), {}, ""},
        {"file", (dir / "frame_%03d_%03d.png").string(), {}, ""},
        fileSource(dir / "frame_%03d.png", {{"loop", "maybe"}}),
        {"v4l2", "/dev/video0", {{"width", "wide"}, {"height", "480"}}, "v4l2:/dev/video0?width=wide"},
        {"v4l2", "/dev/video0", {{"width", "640"}}, "v4l2:/dev/video0?width=640"},
        {"v4l2", "/dev/video0", {{"fourcc", "MJPEG"}}, ""},
        {"rtsp", "//127.0.0.1/x", {{"timeout_ms", "-1"}}, ""},
    };
    for (const auto& source : bad) {
        auto camera = openCamera(source);
        ASSERT_FALSE(camera) << source.scheme << ":" << source.location;
        EXPECT_EQ(camera.error().code, ErrorCode::InvalidSource) << camera.error().message;
    }
    auto unknown = openCamera(bad[0]);
    EXPECT_NE(unknown.error().message.find("ftp"), std::string::npos) << unknown.error().message;
    auto badParam = openCamera(bad[6]);
    EXPECT_NE(badParam.error().message.find("width=wide"), std::string::npos) << badParam.error().message;
}

TEST(CaptureCamera, MissingV4l2DeviceIsOffline)
{
    auto camera = openCamera({"v4l2", "/dev/retour-no-such-video", {}, "v4l2:/dev/retour-no-such-video"});
    ASSERT_FALSE(camera);
    EXPECT_EQ(camera.error().code, ErrorCode::CameraOffline);
    EXPECT_NE(camera.error().message.find("/dev/retour-no-such-video"), std::string::npos)
        << camera.error().message;
}

// A loopback port that refuses connections: bound to find a free one, then closed.
int closedPort()
{
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof addr;
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length), 0);
    ::close(fd);
    return ntohs(addr.sin_port);
}

TEST(CaptureCamera, RefusedRtspStreamIsOffline)
{
    if (!cv::videoio_registry::hasBackend(cv::CAP_FFMPEG))
        GTEST_SKIP() << "OpenCV built without FFmpeg";
    const std::string url = "rtsp://127.0.0.1:" + std::to_string(closedPort()) + "/bench";
    auto camera = openCamera({"rtsp", url.substr(5), {{"timeout_ms", "2000"}}, url});
    ASSERT_FALSE(camera);
    EXPECT_EQ(camera.error().code, ErrorCode::CameraOffline);
    EXPECT_NE(camera.error().message.find(url), std::string::npos) << camera.error().message;
}

// The elements the pipeline below needs come from gstreamer1.0-plugins-base, which is not always
// installed beside OpenCV's GStreamer backend.
bool gstreamerBasePluginsInstalled()
{
    for (const char* dir :
         {"/usr/lib/x86_64-linux-gnu/gstreamer-1.0", "/usr/lib/aarch64-linux-gnu/gstreamer-1.0",
          "/usr/lib64/gstreamer-1.0", "/usr/lib/gstreamer-1.0"}) {
        const std::filesystem::path d(dir);
        bool convert = std::filesystem::exists(d / "libgstvideoconvert.so") ||
                       std::filesystem::exists(d / "libgstvideoconvertscale.so");
        if (convert && std::filesystem::exists(d / "libgstvideotestsrc.so") &&
            std::filesystem::exists(d / "libgstapp.so"))
            return true;
    }
    return false;
}

bool gstreamerUsable()
{
    return cv::videoio_registry::hasBackend(cv::CAP_GSTREAMER) && gstreamerBasePluginsInstalled();
}

// Polls until the predicate holds (bounded, not a timing assertion).
template <class Predicate> bool eventually(Predicate predicate)
{
    for (int i = 0; i < 2000; ++i) {
        if (predicate())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return predicate();
}

TEST(CaptureCamera, GstreamerStreamThatEndsTurnsOfflineThenReopens)
{
    if (!gstreamerUsable())
        GTEST_SKIP() << "OpenCV GStreamer backend or gstreamer1.0-plugins-base (videotestsrc, videoconvert, "
                        "appsink) missing";
    // No appsink: the camera appends one. num-buffers=2 ends the stream after two frames; the
    // capture thread finds that by itself.
    const std::string pipeline = "videotestsrc num-buffers=2 ! video/x-raw,width=320,height=240";
    auto camera = openCamera({"gst", pipeline, {{"reopen_ms", "60000"}}, "gst:" + pipeline});
    ASSERT_TRUE(camera) << camera.error().message;
    ASSERT_TRUE(eventually([&] { return !(*camera)->status().online; }));
    const auto status = (*camera)->status();
    EXPECT_NE(status.reason.find("stream ended"), std::string::npos) << status.reason;
    EXPECT_EQ(status.frames, 2U);
    auto last = (*camera)->still();
    ASSERT_FALSE(last);
    EXPECT_EQ(last.error().code, ErrorCode::CameraOffline);
    EXPECT_NE(last.error().message.find("gst:videotestsrc"), std::string::npos) << last.error().message;

    // With a short back-off the same pipeline comes back by itself and delivers frames again.
    auto flapping = openCamera({"gst", pipeline, {{"reopen_ms", "20"}}, "gst:" + pipeline});
    ASSERT_TRUE(flapping) << flapping.error().message;
    ASSERT_TRUE(eventually([&] { return (*flapping)->status().frames >= 6; }));
}

TEST(CaptureCamera, GstreamerStillIsCapturedAfterTheRequest)
{
    if (!gstreamerUsable())
        GTEST_SKIP() << "OpenCV GStreamer backend or gstreamer1.0-plugins-base missing";
    // A live source paced at 50 fps: frames keep coming whether or not anybody reads them.
    const std::string pipeline =
        "videotestsrc is-live=true pattern=ball ! video/x-raw,width=160,height=120,framerate=50/1";
    auto camera = openCamera({"gst", pipeline, {}, "gst:" + pipeline});
    ASSERT_TRUE(camera) << camera.error().message;
    ASSERT_TRUE(eventually([&] { return (*camera)->status().frames >= 3; }));
    for (int i = 0; i < 5; ++i) {
        auto before = (*camera)->latest();
        ASSERT_TRUE(before) << before.error().message;
        const auto asked = std::chrono::steady_clock::now();
        auto still = (*camera)->stillFrame();
        ASSERT_TRUE(still) << still.error().message;
        EXPECT_GE(still->captured, asked) << "the still was grabbed before it was asked for";
        EXPECT_GT(still->sequence, before->sequence);
        EXPECT_EQ(still->image.cols, 160);
        EXPECT_EQ(still->image.type(), CV_8UC3);
    }
}

TEST(CaptureCamera, BadTimingParametersAreInvalid)
{
    for (const char* key : {"still_timeout_ms", "reopen_ms"}) {
        auto camera = openCamera({"gst", "videotestsrc", {{key, "0"}}, "gst:videotestsrc"});
        ASSERT_FALSE(camera) << key;
        EXPECT_EQ(camera.error().code, ErrorCode::InvalidSource);
        EXPECT_NE(camera.error().message.find(key), std::string::npos) << camera.error().message;
    }
}

} // namespace
} // namespace retour::vision
