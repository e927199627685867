// The evidence-photo quality gate (focus, exposure, frozen camera). Scores are computed on a
// downscaled grey copy: the decisions do not need full resolution, and the cost stays a few
// milliseconds per frame even at 4K (docs/protocols/benchmarks.md §2, B5).
#include "retour/vision/photo_quality.h"

#include "image/grey.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace retour::vision {

namespace {

constexpr int changeWidth = 320;

// Shortest form ("25", "0.35") or one decimal.
std::string shortest(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

std::string oneDecimal(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", value);
    return text;
}

std::string percent(double share)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.0f%%", 100 * share);
    return text;
}

Result<void> readDouble(const std::map<std::string, std::string>& params, const std::string& key, double min,
                        double max, double& out)
{
    auto it = params.find(key);
    if (it == params.end())
        return {};
    const std::string& text = it->second;
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value) || value < min ||
        value > max)
        return std::unexpected(Error{ErrorCode::InvalidSource, "camera quality parameter " + key + "=" +
                                                                   text + " is not a number in [" +
                                                                   shortest(min) + ", " + shortest(max) +
                                                                   "]"});
    out = value;
    return {};
}

} // namespace

double focusScore(const cv::Mat& frame, int analysisWidth)
{
    try {
        const cv::Mat grey = downscaledGrey(frame, analysisWidth);
        if (grey.empty() || grey.cols < 3 || grey.rows < 3)
            return 0;
        // CV_16S holds every 3x3 Laplacian of 8-bit input and is 4x smaller than CV_64F.
        cv::Mat laplacian;
        cv::Laplacian(grey, laplacian, CV_16S);
        cv::Scalar mean;
        cv::Scalar stddev;
        cv::meanStdDev(laplacian, mean, stddev);
        return stddev[0] * stddev[0];
    } catch (const cv::Exception&) {
        return 0;
    }
}

ExposureScore exposureScore(const cv::Mat& frame, int analysisWidth)
{
    ExposureScore score{1.0, 0.0, 255.0};
    try {
        const cv::Mat grey = downscaledGrey(frame, analysisWidth);
        if (grey.empty())
            return score;
        const double total = static_cast<double>(grey.total());
        score.clipped = cv::countNonZero(grey >= 250) / total;
        score.crushed = cv::countNonZero(grey <= 5) / total;
        score.mean = cv::mean(grey)[0];
    } catch (const cv::Exception&) {
    }
    return score;
}

double frameChange(const cv::Mat& frame, const cv::Mat& previous)
{
    try {
        if (frame.size() != previous.size())
            return -1;
        const cv::Mat a = downscaledGrey(frame, changeWidth);
        const cv::Mat b = downscaledGrey(previous, changeWidth);
        if (a.empty() || b.empty() || a.size() != b.size())
            return -1;
        cv::Mat diff;
        cv::absdiff(a, b, diff);
        return cv::mean(diff)[0];
    } catch (const cv::Exception&) {
        return -1;
    }
}

Result<QualityThresholds> qualityThresholdsFrom(const std::map<std::string, std::string>& params)
{
    QualityThresholds t;
    double width = t.analysisWidth;
    for (auto read : {readDouble(params, "focus_min", 0, 1e9, t.minFocus),
                      readDouble(params, "clip_max", 0, 1, t.maxClipped),
                      readDouble(params, "crush_max", 0, 1, t.maxCrushed),
                      readDouble(params, "frozen_min", 0, 255, t.minChange),
                      readDouble(params, "quality_width", 32, 16384, width)})
        if (!read)
            return std::unexpected(read.error());
    t.analysisWidth = static_cast<int>(width);
    return t;
}

std::string PhotoQuality::retakeReason() const
{
    std::string reason;
    for (const auto& problem : problems)
        reason += (reason.empty() ? "" : "; ") + problem;
    return reason;
}

PhotoQuality assessPhoto(const cv::Mat& frame, const cv::Mat& previous, const QualityThresholds& thresholds)
{
    PhotoQuality quality;
    quality.focus = focusScore(frame, thresholds.analysisWidth);
    quality.exposure = exposureScore(frame, thresholds.analysisWidth);
    if (!previous.empty())
        quality.change = frameChange(frame, previous);

    if (quality.focus < thresholds.minFocus)
        quality.problems.push_back("out of focus (sharpness " + oneDecimal(quality.focus) + " < " +
                                   shortest(thresholds.minFocus) + ")");
    if (quality.exposure.clipped > thresholds.maxClipped)
        quality.problems.push_back("overexposed (" + percent(quality.exposure.clipped) +
                                   " of pixels blown, max " + percent(thresholds.maxClipped) + ")");
    if (quality.exposure.crushed > thresholds.maxCrushed)
        quality.problems.push_back("underexposed (" + percent(quality.exposure.crushed) +
                                   " of pixels black, max " + percent(thresholds.maxCrushed) + ")");
    if (quality.change && *quality.change >= 0 && *quality.change < thresholds.minChange)
        quality.problems.push_back("frozen camera (same frame as the previous photo)");
    return quality;
}

} // namespace retour::vision
