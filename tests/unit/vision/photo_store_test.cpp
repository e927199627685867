#include "retour/vision/barcode_writer.h"
#include "retour/vision/photo_store.h"
#include "tests/support/temp_dir.h"

#include <array>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <openssl/evp.h>
#include <set>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace retour::vision {
namespace {

using retour::test::TempDir;

std::vector<unsigned char> readBytes(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Computed here with OpenSSL's one-shot EVP_Digest, independently of the library's hashing.
std::string opensslSha256(const std::vector<unsigned char>& bytes)
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EXPECT_EQ(EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr), 1);
    std::string hex;
    char pair[3];
    for (unsigned int i = 0; i < length; ++i) {
        std::snprintf(pair, sizeof pair, "%02x", digest[i]);
        hex += pair;
    }
    return hex;
}

cv::Mat evidenceFrame()
{
    cv::Mat frame = renderTestChart({{"4006381333931", "EAN-13"}, {"R-1", "QR Code"}}, "evidence photo");
    cv::circle(frame, {1100, 600}, 60, cv::Scalar(30, 160, 40), cv::FILLED);
    return frame;
}

std::set<std::string> filesIn(const std::filesystem::path& dir)
{
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        names.insert(entry.path().filename().string());
    return names;
}

TEST(Sha256Hex, KnownDigests)
{
    EXPECT_EQ(sha256Hex("abc", 3), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256Hex("", 0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(PhotoStore, NameIsTheSha256OfTheJpegFile)
{
    TempDir root;
    PhotoStore store(root.path());
    cv::Mat frame = evidenceFrame();
    auto photo = store.store(frame);
    ASSERT_TRUE(photo) << photo.error().message;

    auto bytes = readBytes(photo->path);
    ASSERT_FALSE(bytes.empty());
    EXPECT_EQ(photo->sha256, opensslSha256(bytes));
    EXPECT_EQ(photo->sha256.size(), 64u);
    EXPECT_EQ(photo->bytes, bytes.size());
    EXPECT_EQ(photo->width, 1280);
    EXPECT_EQ(photo->height, 720);
    EXPECT_EQ(photo->path, root.path() / photo->sha256.substr(0, 2) / (photo->sha256 + ".jpg"));
    EXPECT_EQ(photo->path, store.pathOf(photo->sha256));
    // JPEG magic, and it decodes to the frame's size.
    EXPECT_EQ(bytes[0], 0xff);
    EXPECT_EQ(bytes[1], 0xd8);
    cv::Mat decoded = cv::imread(photo->path.string());
    EXPECT_EQ(decoded.size(), frame.size());
    EXPECT_TRUE(store.verify(photo->sha256));
}

TEST(PhotoStore, ThumbnailExistsAndIsSmaller)
{
    TempDir root;
    PhotoStore store(root.path());
    auto photo = store.store(evidenceFrame());
    ASSERT_TRUE(photo) << photo.error().message;
    EXPECT_EQ(photo->thumbnail, store.thumbnailOf(photo->sha256));
    ASSERT_TRUE(std::filesystem::is_regular_file(photo->thumbnail));
    EXPECT_LT(std::filesystem::file_size(photo->thumbnail), std::filesystem::file_size(photo->path));
    cv::Mat thumb = cv::imread(photo->thumbnail.string());
    EXPECT_EQ(thumb.cols, PhotoStore::thumbnailWidth);
    EXPECT_EQ(thumb.rows, 720 * PhotoStore::thumbnailWidth / 1280);
}

TEST(PhotoStore, StoringTheSameFrameTwiceGivesTheSameName)
{
    TempDir root;
    PhotoStore store(root.path());
    cv::Mat frame = evidenceFrame();
    auto first = store.store(frame);
    auto second = store.store(frame);
    ASSERT_TRUE(first) << first.error().message;
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(first->sha256, second->sha256);
    EXPECT_EQ(filesIn(first->path.parent_path()),
              (std::set<std::string>{first->sha256 + ".jpg", first->sha256 + ".thumb.jpg"}));
}

TEST(PhotoStore, ConcurrentStoresOfOneFrameAgreeAndLeaveNoTemporaryFiles)
{
    TempDir root;
    PhotoStore store(root.path());
    cv::Mat frame = evidenceFrame();
    std::vector<Result<StoredPhoto>> results(4, std::unexpected(Error{ErrorCode::Io, "not run"}));
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < results.size(); ++i)
        threads.emplace_back([&, i] { results[i] = store.store(frame); });
    for (auto& thread : threads)
        thread.join();
    for (const auto& result : results) {
        ASSERT_TRUE(result) << result.error().message;
        EXPECT_EQ(result->sha256, results[0]->sha256);
    }
    EXPECT_TRUE(store.verify(results[0]->sha256));
    EXPECT_EQ(filesIn(results[0]->path.parent_path()).size(), 2u);
}

TEST(PhotoStore, DifferentFramesGetDifferentNames)
{
    TempDir root;
    PhotoStore store(root.path());
    cv::Mat a = evidenceFrame();
    cv::Mat b = a.clone();
    cv::circle(b, {200, 600}, 40, cv::Scalar(0, 0, 255), cv::FILLED);
    auto first = store.store(a);
    auto second = store.store(b);
    ASSERT_TRUE(first && second);
    EXPECT_NE(first->sha256, second->sha256);
}

TEST(PhotoStore, VerifyFailsAfterModificationOrDeletion)
{
    TempDir root;
    PhotoStore store(root.path());
    auto photo = store.store(evidenceFrame());
    ASSERT_TRUE(photo) << photo.error().message;
    ASSERT_TRUE(store.verify(photo->sha256));

    {
        std::fstream file(photo->path, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(100);
        char byte = 0;
        file.seekg(100);
        file.get(byte);
        file.seekp(100);
        file.put(static_cast<char>(byte ^ 0x01));
    }
    EXPECT_FALSE(store.verify(photo->sha256));

    // Storing the frame again repairs the damaged file.
    auto again = store.store(evidenceFrame());
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_TRUE(store.verify(photo->sha256));

    std::filesystem::remove(photo->path);
    EXPECT_FALSE(store.verify(photo->sha256));
}

TEST(PhotoStore, VerifyRefusesNamesThatAreNotDigests)
{
    TempDir root;
    PhotoStore store(root.path());
    EXPECT_FALSE(store.verify(""));
    EXPECT_FALSE(store.verify("../../etc/passwd"));
    EXPECT_FALSE(store.verify(std::string(64, 'g')));
    EXPECT_FALSE(store.verify(std::string(64, 'a'))); // well formed, absent
}

TEST(PhotoStore, RootUnderAFileIsAnIoErrorNamingThePath)
{
    // Works as root too (CI): no permission bit stops root, a regular file in the path does.
    TempDir dir;
    const auto blocker = dir / "not-a-directory";
    std::ofstream(blocker) << "x";
    PhotoStore store(blocker / "photos");
    auto photo = store.store(evidenceFrame());
    ASSERT_FALSE(photo);
    EXPECT_EQ(photo.error().code, ErrorCode::Io);
    EXPECT_NE(photo.error().message.find(blocker.string()), std::string::npos) << photo.error().message;
    EXPECT_NE(photo.error().message.find("Not a directory"), std::string::npos) << photo.error().message;
}

TEST(PhotoStore, ReadOnlyRootIsAnIoError)
{
    if (::geteuid() == 0)
        GTEST_SKIP() << "permission bits do not stop root; covered by RootUnderAFileIsAnIoErrorNamingThePath";
    TempDir dir;
    const auto root = dir / "photos";
    std::filesystem::create_directory(root);
    ::chmod(root.c_str(), 0555);
    PhotoStore store(root);
    auto photo = store.store(evidenceFrame());
    ::chmod(root.c_str(), 0755);
    ASSERT_FALSE(photo);
    EXPECT_EQ(photo.error().code, ErrorCode::Io);
    EXPECT_NE(photo.error().message.find(root.string()), std::string::npos) << photo.error().message;
    EXPECT_NE(photo.error().message.find("Permission denied"), std::string::npos) << photo.error().message;
}

TEST(PhotoStore, EmptyFrameIsAnEncodeError)
{
    TempDir root;
    PhotoStore store(root.path());
    auto photo = store.store(cv::Mat());
    ASSERT_FALSE(photo);
    EXPECT_EQ(photo.error().code, ErrorCode::Encode);
}

TEST(PhotoStore, QualityChangesTheBytes)
{
    TempDir root;
    cv::Mat frame = evidenceFrame();
    auto low = PhotoStore(root.path(), 30).store(frame);
    auto high = PhotoStore(root.path(), 95).store(frame);
    ASSERT_TRUE(low && high);
    EXPECT_NE(low->sha256, high->sha256);
    EXPECT_LT(low->bytes, high->bytes);
}

} // namespace
} // namespace retour::vision
