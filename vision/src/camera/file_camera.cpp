// "file" cameras: image files standing in for a camera in tests, demos and training
// (docs/protocols/cameras.md §3, docs/protocols/testing-without-hardware.md §7).
#include "camera/cameras.h"
#include "camera/sequence_pattern.h"

#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

namespace retour::vision {

namespace {

std::unexpected<Error> offline(std::string message)
{
    return std::unexpected(Error{ErrorCode::CameraOffline, std::move(message)});
}

bool isFile(const std::filesystem::path& path)
{
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec);
}

// One image file, re-read on every still() so that a demo can replace it while the station runs.
//
// Thread contract: not thread-safe (Camera).
class SingleImageCamera final : public Camera
{
public:
    explicit SingleImageCamera(CameraSource source) : source_(std::move(source)) {}

    const CameraSource& source() const override { return source_; }

    Result<cv::Mat> still() override
    {
        // Checked first: imread on a missing file also logs an OpenCV warning.
        if (!isFile(source_.location))
            return offline("camera " + describe(source_) + ": image file missing: " + source_.location);
        cv::Mat frame;
        try {
            frame = cv::imread(source_.location, cv::IMREAD_COLOR);
        } catch (const cv::Exception& e) {
            return std::unexpected(Error{ErrorCode::Decode, "camera " + describe(source_) +
                                                                ": cannot decode " + source_.location + ": " +
                                                                e.what()});
        }
        if (frame.empty())
            return std::unexpected(Error{ErrorCode::Decode, "camera " + describe(source_) +
                                                                ": cannot decode image " + source_.location});
        return frame;
    }

private:
    CameraSource source_;
};

// A printf-numbered image sequence read with cv::CAP_IMAGES (named explicitly: CAP_ANY would pick
// FFmpeg's image2 demuxer, docs/protocols/cameras.md §3).
//
// Thread contract: not thread-safe (Camera).
class ImageSequenceCamera final : public Camera
{
public:
    ImageSequenceCamera(CameraSource source, SequencePattern pattern, bool loop)
        : source_(std::move(source)), pattern_(std::move(pattern)), loop_(loop)
    {}

    const CameraSource& source() const override { return source_; }

    Result<void> open()
    {
        // CAP_IMAGES starts a pattern at index 0, or at 1 when 0 is missing (verified on 4.6).
        firstIndex_ = isFile(pattern_.format(0)) ? 0 : 1;
        const auto first = pattern_.format(firstIndex_);
        if (!isFile(first))
            return offline("camera " + describe(source_) + ": no image sequence at " + source_.location +
                           " (" + first + " does not exist)");
        try {
            capture_.open(source_.location, cv::CAP_IMAGES);
        } catch (const cv::Exception& e) {
            return offline("camera " + describe(source_) + ": cannot open image sequence " +
                           source_.location + ": " + e.what());
        }
        if (!capture_.isOpened())
            return offline("camera " + describe(source_) + ": cannot open image sequence " +
                           source_.location);
        return {};
    }

    Result<cv::Mat> still() override
    {
        if (!capture_.isOpened()) {
            if (auto opened = open(); !opened)
                return std::unexpected(opened.error());
        }
        try {
            return next();
        } catch (const cv::Exception& e) {
            capture_.release();
            return offline("camera " + describe(source_) + ": " + e.what());
        }
    }

private:
    Result<cv::Mat> next()
    {
        auto count = static_cast<long>(capture_.get(cv::CAP_PROP_FRAME_COUNT));
        auto position = static_cast<long>(capture_.get(cv::CAP_PROP_POS_FRAMES));
        if (position >= count) {
            if (!loop_)
                return offline("camera " + describe(source_) + ": image sequence ended after " +
                               std::to_string(count) + " frames (" + source_.location + ")");
            capture_.set(cv::CAP_PROP_POS_FRAMES, 0);
            position = 0;
        }
        const auto expected = pattern_.format(firstIndex_ + position);
        cv::Mat frame;
        if (!isFile(expected) || !capture_.read(frame) || frame.empty()) {
            // Removed or unreadable mid-sequence: start again from a fresh open on the next call,
            // which counts the files that exist then.
            capture_.release();
            return offline("camera " + describe(source_) + ": image file missing or unreadable: " + expected);
        }
        return frame;
    }

    CameraSource source_;
    SequencePattern pattern_;
    bool loop_;
    long firstIndex_ = 0;
    cv::VideoCapture capture_;
};

} // namespace

Result<std::unique_ptr<Camera>> openFileCamera(const CameraSource& source)
{
    auto loop = boolParam(source, "loop", false);
    if (!loop)
        return std::unexpected(loop.error());

    if (source.location.find('%') == std::string::npos) {
        if (!isFile(source.location))
            return offline("camera " + describe(source) + ": image file missing: " + source.location);
        return std::make_unique<SingleImageCamera>(source);
    }

    auto pattern = parseSequencePattern(source.location);
    if (!pattern)
        return std::unexpected(
            Error{ErrorCode::InvalidSource, "camera " + describe(source) + ": " + source.location +
                                                " is not an image sequence pattern (one %d, %u or %0Nd)"});
    auto camera = std::make_unique<ImageSequenceCamera>(source, std::move(*pattern), *loop);
    if (auto opened = camera->open(); !opened)
        return std::unexpected(opened.error());
    return camera;
}

} // namespace retour::vision
