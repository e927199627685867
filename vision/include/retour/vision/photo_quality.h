#pragma once

#include "retour/vision/error.h"

#include <map>
#include <opencv2/core/mat.hpp>
#include <optional>
#include <string>
#include <vector>

namespace retour::vision {

// The quality gate of an evidence photo: is it sharp, correctly exposed, and a new frame at all?
// Every function here is pure and reentrant (no shared state); frames are BGR, BGRA or greyscale
// CV_8U. An empty or unusable frame scores 0 focus and full clipping, so it always fails.

// Variance of the Laplacian (3x3, CV_16S) of a grey copy downscaled to at most analysisWidth
// pixels wide (INTER_AREA). Downscaling keeps the cost flat from 1080p to 4K (docs/protocols/benchmarks.md §2
// reading 4) and makes the score comparable between resolutions. Higher is sharper.
double focusScore(const cv::Mat& frame, int analysisWidth = 640);

struct ExposureScore
{
    double clipped = 0; // share of pixels at or above 250 (blown highlights), 0..1
    double crushed = 0; // share of pixels at or below 5 (crushed shadows), 0..1
    double mean = 0;    // mean grey level, 0..255
};
// Clipped highlights and crushed shadows on the downscaled grey frame.
ExposureScore exposureScore(const cv::Mat& frame, int analysisWidth = 640);

// Mean absolute grey difference between two frames, both downscaled to 320 pixels wide: 0 for the
// same picture delivered twice (a frozen camera or a stuck driver buffer); a live sensor's noise
// alone keeps it above ~0.1 on a static scene. Frames of different sizes compare as -1 (changed).
double frameChange(const cv::Mat& frame, const cv::Mat& previous);

struct QualityThresholds
{
    double minFocus = 25;     // focus_min: variance of the Laplacian at 640 px
    double maxClipped = 0.25; // clip_max: share of blown pixels (a white light box is bright)
    double maxCrushed = 0.35; // crush_max: share of black pixels
    double minChange = 0.02;  // frozen_min: frameChange below this is a frozen camera
    int analysisWidth = 640;  // quality_width
};

// The thresholds from a camera's URI parameters (focus_min, clip_max, crush_max, frozen_min,
// quality_width); absent keys keep the defaults. InvalidSource naming the key for a bad value.
Result<QualityThresholds> qualityThresholdsFrom(const std::map<std::string, std::string>& params);

struct PhotoQuality
{
    double focus = 0;
    ExposureScore exposure;
    std::optional<double> change; // against the previous still, when there was one
    // Why the photo should be retaken ("out of focus (12.3 < 25)", "overexposed (41% clipped)",
    // "underexposed (…)", "frozen camera (same frame as the previous photo)"); empty = accepted.
    std::vector<std::string> problems;

    bool accepted() const { return problems.empty(); }
    // The problems joined with "; " (empty when accepted).
    std::string retakeReason() const;
};

// The whole gate: focus, exposure and, when previous is not empty, the frozen-camera check.
PhotoQuality assessPhoto(const cv::Mat& frame, const cv::Mat& previous, const QualityThresholds& thresholds);

} // namespace retour::vision
