#include "retour/vision/photo_store.h"

#include "photo/sha256.h"
#include "retour/base/durable_file.h"

#include <algorithm>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace retour::vision {

namespace {

constexpr int thumbnailQuality = 80;

Error ioError(const base::Error& error)
{
    return Error{ErrorCode::Io, error.message};
}

bool isSha256Hex(const std::string& text)
{
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

} // namespace

Result<std::vector<unsigned char>> encodeJpeg(const cv::Mat& image, int quality)
{
    std::vector<unsigned char> bytes;
    try {
        if (!cv::imencode(".jpg", image, bytes, {cv::IMWRITE_JPEG_QUALITY, quality}) || bytes.empty())
            return std::unexpected(Error{ErrorCode::Encode, "JPEG encoding failed for a " +
                                                                std::to_string(image.cols) + "x" +
                                                                std::to_string(image.rows) + " frame"});
    } catch (const cv::Exception& e) {
        return std::unexpected(Error{ErrorCode::Encode, std::string("JPEG encoding failed: ") + e.what()});
    }
    return bytes;
}

PhotoStore::PhotoStore(std::filesystem::path root, int jpegQuality)
    : root_(std::move(root)), quality_(std::clamp(jpegQuality, 1, 100))
{}

Result<StoredPhoto> PhotoStore::store(const cv::Mat& frame) const
{
    if (frame.empty())
        return std::unexpected(Error{ErrorCode::Encode, "cannot store an empty frame"});
    auto jpeg = encodeJpeg(frame, quality_);
    if (!jpeg)
        return std::unexpected(jpeg.error());

    StoredPhoto photo;
    photo.sha256 = sha256Hex(jpeg->data(), jpeg->size());
    if (photo.sha256.empty())
        return std::unexpected(
            Error{ErrorCode::Io, "SHA-256 failed (OpenSSL) for a photo under " + root_.string()});
    photo.path = pathOf(photo.sha256);
    photo.thumbnail = thumbnailOf(photo.sha256);
    photo.bytes = jpeg->size();
    photo.width = frame.cols;
    photo.height = frame.rows;

    const auto dir = photo.path.parent_path();
    if (auto made = base::makeDurableDirectory(dir); !made)
        return std::unexpected(ioError(made.error()));
    // The same picture stored twice: keep the file that is there when it still matches its name.
    if (sha256OfFile(photo.path) != photo.sha256) {
        if (auto written = base::writeFileDurably(photo.path, *jpeg); !written)
            return std::unexpected(ioError(written.error()));
    }

    std::error_code ec;
    if (!std::filesystem::is_regular_file(photo.thumbnail, ec)) {
        cv::Mat small;
        if (frame.cols > thumbnailWidth) {
            int height = std::max(1, frame.rows * thumbnailWidth / frame.cols);
            cv::resize(frame, small, cv::Size(thumbnailWidth, height), 0, 0, cv::INTER_AREA);
        } else {
            small = frame;
        }
        auto thumb = encodeJpeg(small, std::min(quality_, thumbnailQuality));
        if (!thumb)
            return std::unexpected(thumb.error());
        if (auto written = base::writeFileDurably(photo.thumbnail, *thumb); !written)
            return std::unexpected(ioError(written.error()));
    }
    return photo;
}

bool PhotoStore::verify(const std::string& sha256) const
{
    // Only a well-formed digest names a file: anything else could point outside the store.
    return isSha256Hex(sha256) && sha256OfFile(pathOf(sha256)) == sha256;
}

PhotoStore::Check PhotoStore::check(const std::string& sha256) const
{
    if (!isSha256Hex(sha256))
        return Check::Missing;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(pathOf(sha256), ec))
        return Check::Missing;
    return sha256OfFile(pathOf(sha256)) == sha256 ? Check::Ok : Check::Changed;
}

std::filesystem::path PhotoStore::pathOf(const std::string& sha256) const
{
    return root_ / sha256.substr(0, 2) / (sha256 + ".jpg");
}

std::filesystem::path PhotoStore::thumbnailOf(const std::string& sha256) const
{
    return root_ / sha256.substr(0, 2) / (sha256 + ".thumb.jpg");
}

} // namespace retour::vision
