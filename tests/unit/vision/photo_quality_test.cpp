#include "retour/vision/photo_quality.h"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace retour::vision {
namespace {

// A sharp, mid-grey textured scene: text and edges on a grey background, as an item on a bench.
cv::Mat sharpScene(int width = 1920, int height = 1080)
{
    cv::Mat frame(height, width, CV_8UC3, cv::Scalar(120, 125, 130));
    cv::RNG rng(7);
    for (int i = 0; i < 60; ++i)
        cv::rectangle(frame, {rng.uniform(0, width), rng.uniform(0, height)},
                      {rng.uniform(0, width), rng.uniform(0, height)}, cv::Scalar::all(rng.uniform(40, 220)),
                      3);
    for (int i = 0; i < 30; ++i)
        cv::putText(frame, "RETOUR 2024", {rng.uniform(0, width - 300), rng.uniform(30, height)},
                    cv::FONT_HERSHEY_SIMPLEX, 1.5, cv::Scalar::all(rng.uniform(0, 60)), 3);
    return frame;
}

TEST(PhotoQuality, SharpSceneIsAccepted)
{
    const cv::Mat frame = sharpScene();
    const auto quality = assessPhoto(frame, {}, {});
    EXPECT_TRUE(quality.accepted()) << quality.retakeReason();
    EXPECT_GT(quality.focus, 100);
    EXPECT_FALSE(quality.change.has_value());
    EXPECT_EQ(quality.retakeReason(), "");
}

TEST(PhotoQuality, BlurredSceneIsFlaggedOutOfFocus)
{
    cv::Mat blurred;
    cv::GaussianBlur(sharpScene(), blurred, cv::Size(), 8);
    const auto quality = assessPhoto(blurred, {}, {});
    EXPECT_FALSE(quality.accepted());
    EXPECT_LT(quality.focus, focusScore(sharpScene()) / 10);
    EXPECT_NE(quality.retakeReason().find("out of focus"), std::string::npos) << quality.retakeReason();
}

TEST(PhotoQuality, FocusIsComparableAcrossResolutions)
{
    // Downscaled to the same analysis width, a 4K and a 1080p view of one scene score alike.
    const cv::Mat hd = sharpScene();
    cv::Mat uhd;
    cv::resize(hd, uhd, cv::Size(3840, 2160), 0, 0, cv::INTER_CUBIC);
    const double a = focusScore(hd);
    const double b = focusScore(uhd);
    EXPECT_NEAR(a, b, a * 0.35);
}

TEST(PhotoQuality, BlownAndBlackFramesAreFlagged)
{
    cv::Mat bright = sharpScene();
    bright.convertTo(bright, -1, 1.0, 200);
    const auto over = assessPhoto(bright, {}, {});
    EXPECT_GT(over.exposure.clipped, 0.9);
    EXPECT_NE(over.retakeReason().find("overexposed"), std::string::npos) << over.retakeReason();

    cv::Mat dark = sharpScene();
    dark.convertTo(dark, -1, 0.02, 0);
    const auto under = assessPhoto(dark, {}, {});
    EXPECT_GT(under.exposure.crushed, 0.9);
    EXPECT_NE(under.retakeReason().find("underexposed"), std::string::npos) << under.retakeReason();
}

TEST(PhotoQuality, SameFrameTwiceIsAFrozenCamera)
{
    const cv::Mat frame = sharpScene();
    const auto frozen = assessPhoto(frame, frame.clone(), {});
    ASSERT_TRUE(frozen.change.has_value());
    EXPECT_EQ(*frozen.change, 0.0);
    EXPECT_NE(frozen.retakeReason().find("frozen camera"), std::string::npos) << frozen.retakeReason();

    // Sensor noise on a static scene is a live camera.
    cv::Mat noisy = frame.clone();
    cv::Mat noise(frame.size(), CV_8UC3);
    cv::RNG(3).fill(noise, cv::RNG::UNIFORM, 0, 4);
    noisy += noise;
    const auto live = assessPhoto(noisy, frame, {});
    EXPECT_TRUE(live.accepted()) << live.retakeReason();
    EXPECT_GT(*live.change, 0.1);

    // A different size cannot be compared: never frozen.
    EXPECT_EQ(frameChange(frame, cv::Mat(10, 10, CV_8UC3, cv::Scalar::all(0))), -1);
}

TEST(PhotoQuality, EmptyFrameFails)
{
    const auto quality = assessPhoto(cv::Mat(), {}, {});
    EXPECT_FALSE(quality.accepted());
    EXPECT_EQ(quality.focus, 0);
}

TEST(PhotoQuality, ThresholdsComeFromCameraParameters)
{
    auto t = qualityThresholdsFrom({{"focus_min", "80.5"}, {"clip_max", "0.1"}, {"frozen_min", "0.5"}});
    ASSERT_TRUE(t) << t.error().message;
    EXPECT_EQ(t->minFocus, 80.5);
    EXPECT_EQ(t->maxClipped, 0.1);
    EXPECT_EQ(t->maxCrushed, QualityThresholds{}.maxCrushed);
    EXPECT_EQ(t->minChange, 0.5);

    auto bad = qualityThresholdsFrom({{"clip_max", "2"}});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::InvalidSource);
    EXPECT_NE(bad.error().message.find("clip_max=2"), std::string::npos) << bad.error().message;
    EXPECT_FALSE(qualityThresholdsFrom({{"focus_min", "sharp"}}));

    // A strict focus threshold flags the same sharp scene.
    auto strict = qualityThresholdsFrom({{"focus_min", "1000000"}});
    ASSERT_TRUE(strict);
    EXPECT_FALSE(assessPhoto(sharpScene(), {}, *strict).accepted());
}

} // namespace
} // namespace retour::vision
