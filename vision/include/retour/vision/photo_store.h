#pragma once

#include "retour/vision/error.h"

#include <filesystem>
#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

namespace retour::vision {

struct StoredPhoto
{
    std::string sha256;              // hex digest of the JPEG bytes: the photo's name
    std::filesystem::path path;      // <root>/<first two hex>/<sha256>.jpg
    std::filesystem::path thumbnail; // <root>/<first two hex>/<sha256>.thumb.jpg
    std::size_t bytes = 0;
    int width = 0;
    int height = 0;
};

// Evidence photos as JPEG files named by the SHA-256 of their content. A photo is written to a
// temporary file, flushed (fsync) and renamed, so a crash never leaves a partial photo under its
// final name; storing the same picture twice is harmless.
//
// store() fails with Encode for an empty or unencodable frame and with Io (naming the path and the
// system error) when a directory or file cannot be created, written, synced or renamed. The
// thumbnail is at most thumbnailWidth pixels wide.
//
// Thread contract: reentrant (distinct stores), and one store may be used from several threads.
class PhotoStore
{
public:
    static constexpr int thumbnailWidth = 320;

    explicit PhotoStore(std::filesystem::path root, int jpegQuality = 90);

    Result<StoredPhoto> store(const cv::Mat& frame) const;
    // Re-hash a stored photo: false when it is missing or its content no longer matches its name.
    bool verify(const std::string& sha256) const;
    enum class Check
    {
        Ok,
        Missing, // no file under the photo's name (or not a well-formed digest)
        Changed, // the file's content no longer hashes to its name
    };
    // verify() with the reason.
    Check check(const std::string& sha256) const;
    std::filesystem::path pathOf(const std::string& sha256) const;
    std::filesystem::path thumbnailOf(const std::string& sha256) const;

private:
    std::filesystem::path root_;
    int quality_;
};

// The JPEG bytes of a frame at quality 1..100 (4:2:0, libjpeg-turbo through cv::imencode), as the
// store writes them; Encode error for an empty or unencodable frame. Reentrant.
Result<std::vector<unsigned char>> encodeJpeg(const cv::Mat& frame, int quality);

// Hex SHA-256 of a byte buffer (OpenSSL EVP); empty only if OpenSSL itself fails. Reentrant.
std::string sha256Hex(const void* data, std::size_t size);

} // namespace retour::vision
