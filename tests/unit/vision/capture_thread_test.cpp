// The capture thread against a scripted FrameSource whose frames carry their grab number in the
// pixels, so that "captured after the request" is checked on the image itself.
#include "camera/capture_thread.h"

#include <atomic>
#include <gtest/gtest.h>
#include <thread>

namespace retour::vision {
namespace {

using namespace std::chrono_literals;

// Grab n (1, 2, …) returns a 1x1 CV_32S frame holding n, after a short pause like a frame period.
// `endAfter` grabs end the stream; `failOpens` re-opens fail before one succeeds; `hold` blocks
// grabs until released (a stalled device).
struct Script
{
    std::atomic<int> grabsStarted{0};
    std::atomic<int> endAfter{1 << 30};
    std::atomic<int> failOpens{0};
    std::atomic<int> opens{0};
    std::atomic<bool> hold{false};
};

class ScriptedSource final : public FrameSource
{
public:
    explicit ScriptedSource(Script& script) : script_(script) {}

    Result<void> open() override
    {
        ++script_.opens;
        if (script_.failOpens > 0) {
            --script_.failOpens;
            return std::unexpected(Error{ErrorCode::CameraOffline, "cannot open scripted device"});
        }
        script_.endAfter = 1 << 30;
        return {};
    }

    Result<cv::Mat> grab() override
    {
        const int n = ++script_.grabsStarted;
        while (script_.hold)
            std::this_thread::sleep_for(1ms);
        std::this_thread::sleep_for(2ms);
        if (n > script_.endAfter)
            return std::unexpected(Error{ErrorCode::CameraOffline, "stream ended"});
        return cv::Mat(1, 1, CV_32S, cv::Scalar(n));
    }

    void close() override {}

private:
    Script& script_;
};

int numberOf(const Frame& frame)
{
    return frame.image.at<int>(0, 0);
}

// Polls until the predicate holds (bounded, not a timing assertion).
template <class Predicate> bool eventually(Predicate predicate)
{
    for (int i = 0; i < 5000; ++i) {
        if (predicate())
            return true;
        std::this_thread::sleep_for(2ms);
    }
    return predicate();
}

CaptureTiming fastTiming()
{
    return {.stillTimeout = 5000ms, .reopenFirst = 5ms, .reopenMax = 20ms};
}

TEST(CaptureThread, StillIsNeverAFrameGrabbedBeforeTheRequest)
{
    Script script;
    CaptureThread thread("scripted", std::make_unique<ScriptedSource>(script), fastTiming());
    ASSERT_TRUE(eventually([&] { return thread.latest().has_value(); }));
    std::uint64_t lastSequence = 0;
    for (int i = 0; i < 30; ++i) {
        const int startedBefore = script.grabsStarted;
        auto frame = thread.next();
        ASSERT_TRUE(frame) << frame.error().message;
        EXPECT_GT(numberOf(*frame), startedBefore) << "a frame grabbed before the request";
        EXPECT_GT(frame->sequence, lastSequence);
        EXPECT_GE(frame->delivered, frame->captured);
        lastSequence = frame->sequence;
    }
}

TEST(CaptureThread, KeepsOnlyTheNewestFrame)
{
    Script script;
    CaptureThread thread("scripted", std::make_unique<ScriptedSource>(script), fastTiming());
    ASSERT_TRUE(eventually([&] { return script.grabsStarted > 10; }));
    auto newest = thread.latest();
    ASSERT_TRUE(newest) << newest.error().message;
    // The newest frame, not the oldest queued one: at most the grab in progress is newer.
    EXPECT_GE(numberOf(*newest), script.grabsStarted - 2);
    EXPECT_EQ(newest->sequence, static_cast<std::uint64_t>(numberOf(*newest)));
    EXPECT_GE(thread.status().frames, 10U);
}

TEST(CaptureThread, StreamEndTurnsOfflineWithTheReasonThenReopensWithBackoff)
{
    Script script;
    CaptureThread thread("scripted", std::make_unique<ScriptedSource>(script), fastTiming());
    ASSERT_TRUE(thread.next());
    script.failOpens = 3;
    script.endAfter = 0;
    ASSERT_TRUE(eventually([&] { return !thread.status().online; }));
    auto gone = thread.next();
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error().code, ErrorCode::CameraOffline);
    EXPECT_NE(gone.error().message.find("camera scripted"), std::string::npos) << gone.error().message;
    EXPECT_FALSE(thread.latest());

    // Three failed re-opens are counted with their reason, then the fourth brings frames back.
    ASSERT_TRUE(eventually([&] { return thread.status().online; }));
    EXPECT_EQ(script.opens, 4);
    auto back = thread.next();
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(thread.status().reopenAttempts, 0);
    EXPECT_TRUE(thread.status().reason.empty());
}

TEST(CaptureThread, FailedReopensAreReported)
{
    Script script;
    CaptureThread thread("scripted", std::make_unique<ScriptedSource>(script),
                         {.stillTimeout = 5000ms, .reopenFirst = 5ms, .reopenMax = 10ms});
    script.failOpens = 1 << 20;
    script.endAfter = 0;
    ASSERT_TRUE(eventually([&] { return thread.status().reopenAttempts >= 3; }));
    const auto status = thread.status();
    EXPECT_FALSE(status.online);
    EXPECT_EQ(status.reason, "cannot open scripted device");
}

TEST(CaptureThread, StalledCameraGivesAnErrorAtTheDeadline)
{
    Script script;
    CaptureThread thread("scripted", std::make_unique<ScriptedSource>(script),
                         {.stillTimeout = 100ms, .reopenFirst = 5ms, .reopenMax = 20ms});
    ASSERT_TRUE(thread.next());
    script.hold = true;
    auto stalled = thread.next();
    ASSERT_FALSE(stalled);
    EXPECT_EQ(stalled.error().code, ErrorCode::CameraOffline);
    EXPECT_NE(stalled.error().message.find("camera stalled"), std::string::npos) << stalled.error().message;
    script.hold = false;
    auto resumed = thread.next();
    EXPECT_TRUE(resumed) << resumed.error().message;
}

} // namespace
} // namespace retour::vision
