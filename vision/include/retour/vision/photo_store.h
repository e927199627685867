#pragma once

#include <filesystem>
#include <string>

#include <opencv2/core/mat.hpp>

#include "retour/vision/error.h"

namespace retour::vision {

struct StoredPhoto
{
    std::string sha256;               // hex digest of the JPEG bytes: the photo's name
    std::filesystem::path path;       // <root>/<first two hex>/<sha256>.jpg
    std::filesystem::path thumbnail;  // <root>/<first two hex>/<sha256>.thumb.jpg
    std::size_t bytes = 0;
    int width = 0;
    int height = 0;
};

// Evidence photos as JPEG files named by the SHA-256 of their content. A photo is written to a
// temporary file, flushed (fsync) and renamed, so a crash never leaves a partial photo under its
// final name; storing the same picture twice is harmless.
//
// Thread contract: reentrant (distinct stores), and one store may be used from several threads.
class PhotoStore
{
public:
    explicit PhotoStore(std::filesystem::path root, int jpegQuality = 90);

    Result<StoredPhoto> store(const cv::Mat& frame) const;
    // Re-hash a stored photo: false when it is missing or its content no longer matches its name.
    bool verify(const std::string& sha256) const;
    std::filesystem::path pathOf(const std::string& sha256) const;

private:
    std::filesystem::path root_;
    int quality_;
};

// Hex SHA-256 of a byte buffer (OpenSSL EVP).
std::string sha256Hex(const void* data, std::size_t size);

}  // namespace retour::vision
