// Photo evidence at the station: quality scores and retake reasons kept with each photo, shown by
// `retour-station report`, the store re-hashed by `retour-station verify-photos`, and the camera
// service's quality gate and offline handling with a real file camera.
#include "cli/cli.h"
#include "config/config.h"
#include "devices/camera_service.h"
#include "retour/vision/barcode_writer.h"
#include "retour/vision/photo_store.h"
#include "store/store.h"
#include "tests/support/temp_dir.h"

#include <algorithm>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace retour::station {
namespace {

using retour::test::TempDir;

cv::Mat scene(int seed)
{
    cv::Mat frame(480, 640, CV_8UC3, cv::Scalar(120, 125, 130));
    cv::RNG rng(static_cast<std::uint64_t>(seed));
    for (int i = 0; i < 40; ++i)
        cv::rectangle(frame, {rng.uniform(0, 640), rng.uniform(0, 480)},
                      {rng.uniform(0, 640), rng.uniform(0, 480)}, cv::Scalar::all(rng.uniform(30, 220)), 2);
    return frame;
}

Inspection inspectionWith(std::vector<PhotoRef> photos)
{
    Inspection i;
    i.inspectionId = "insp-1";
    i.parcelId = "parcel-1";
    i.channel = "portal";
    i.identifiedBy = "rma_label";
    i.item = ItemInfo{"HEAD-BT-200", "4006381333931", "SN-1", "electronics", "Headphones"};
    i.photos = std::move(photos);
    i.grade = GradeResult{0, 'A', 'A'};
    i.disposition = Decision{Disposition::RestockNew, "A-01", "like-new-restock"};
    i.lpn = "LPN-bench-01-000001";
    i.operatorId = "op-17";
    i.confirmedAt = "2026-11-26T11:29:56.123Z";
    return i;
}

class PhotoEvidence : public ::testing::Test
{
protected:
    void SetUp() override
    {
        configFile_ =
            dir_.write("station.toml", "[station]\nsite = \"s\"\nid = \"b\"\ndata_dir = \"data\"\n");
        auto config = loadConfig(configFile_);
        ASSERT_TRUE(config) << config.error().message;
        photoDir_ = config->photoDir();
        auto store = Store::open(config->databasePath(), Store::Options{"s", "b", 1000, 5000});
        ASSERT_TRUE(store) << store.error().message;
        store_ = std::move(*store);
        ASSERT_TRUE(store_->createParcel(Parcel{"parcel-1", std::nullopt, "portal", "rma_label", "RMA-1",
                                                "op-17", "2026-11-26T11:00:00.000Z"}));
    }

    // Stores two real photos and confirms an item with them; the second is flagged for retake.
    std::vector<vision::StoredPhoto> confirmTwoPhotos()
    {
        vision::PhotoStore files(photoDir_);
        auto front = files.store(scene(1));
        auto back = files.store(scene(2));
        EXPECT_TRUE(front && back);
        PhotoRef a{front->sha256, "front", front->bytes, front->width, front->height};
        a.focus = 512.5;
        a.clipped = 0.01;
        a.crushed = 0.0;
        PhotoRef b{back->sha256, "back", back->bytes, back->width, back->height};
        b.focus = 3.2;
        b.clipped = 0.0;
        b.crushed = 0.0;
        b.change = 0.0;
        b.retakeReason =
            "out of focus (sharpness 3.2 < 25); frozen camera (same frame as the previous photo)";
        auto ok = store_->confirmItem(inspectionWith({a, b}),
                                      LabelRecord{"job-1", "insp-1", "LPN-bench-01-000001", "^XA^XZ"});
        EXPECT_TRUE(ok) << ok.error().message;
        return {*front, *back};
    }

    TempDir dir_;
    std::filesystem::path configFile_;
    std::filesystem::path photoDir_;
    std::unique_ptr<Store> store_;
};

TEST_F(PhotoEvidence, QualityScoresAndRetakeReasonsAreInTheReport)
{
    confirmTwoPhotos();
    auto report = store_->report();
    ASSERT_TRUE(report) << report.error().message;
    const auto& photos = (*report)[0]["items"][0]["photo_quality"];
    ASSERT_EQ(photos.size(), 2u);
    EXPECT_EQ(photos[0]["view"], "front");
    EXPECT_DOUBLE_EQ(photos[0]["focus"].get<double>(), 512.5);
    EXPECT_TRUE(photos[0]["retake_reason"].is_null());
    EXPECT_TRUE(photos[0]["change"].is_null());
    EXPECT_EQ(photos[1]["view"], "back");
    EXPECT_DOUBLE_EQ(photos[1]["change"].get<double>(), 0.0);
    EXPECT_NE(photos[1]["retake_reason"].get<std::string>().find("frozen camera"), std::string::npos);

    store_.reset();
    ::testing::internal::CaptureStdout();
    EXPECT_EQ(printReport(configFile_, false), 0);
    const std::string out = ::testing::internal::GetCapturedStdout();
    EXPECT_NE(out.find("photo back RETAKE: out of focus"), std::string::npos) << out;
    EXPECT_EQ(out.find("photo front RETAKE"), std::string::npos) << out;
}

TEST_F(PhotoEvidence, VerifyPhotosPassesThenReportsMissingAndChangedFiles)
{
    const auto stored = confirmTwoPhotos();
    store_.reset();
    ::testing::internal::CaptureStdout();
    EXPECT_EQ(verifyPhotos(configFile_, true), 0);
    auto clean = nlohmann::json::parse(::testing::internal::GetCapturedStdout());
    EXPECT_EQ(clean["photos"], 2);
    EXPECT_EQ(clean["ok"], 2);
    EXPECT_TRUE(clean["problems"].empty());

    std::filesystem::remove(stored[0].path);
    std::ofstream(stored[1].path, std::ios::app) << "tampered";
    ::testing::internal::CaptureStdout();
    EXPECT_EQ(verifyPhotos(configFile_, true), 1);
    auto broken = nlohmann::json::parse(::testing::internal::GetCapturedStdout());
    EXPECT_EQ(broken["ok"], 0);
    ASSERT_EQ(broken["problems"].size(), 2u);
    EXPECT_EQ(broken["problems"][0]["problem"], "missing");
    EXPECT_EQ(broken["problems"][0]["view"], "front");
    EXPECT_EQ(broken["problems"][0]["sha256"], stored[0].sha256);
    EXPECT_EQ(broken["problems"][1]["problem"], "changed");
    EXPECT_EQ(broken["problems"][1]["path"], stored[1].path.string());

    ::testing::internal::CaptureStdout();
    EXPECT_EQ(verifyPhotos(configFile_, false), 1);
    const std::string text = ::testing::internal::GetCapturedStdout();
    EXPECT_NE(text.find("missing  " + stored[0].path.string()), std::string::npos) << text;
    EXPECT_NE(text.find("2 photo(s): 0 ok, 2 missing or changed"), std::string::npos) << text;
}

TEST(CameraServiceQuality, RepeatedImageIsFlaggedFrozenAndAMissingFileIsCameraOffline)
{
    TempDir dir;
    const auto image = dir.path() / "bench.png";
    ASSERT_TRUE(cv::imwrite(image.string(), scene(5)));
    vision::CameraSource source{"file", image.string(), {{"focus_min", "5"}}, "file:" + image.string()};
    EventLoop loop;
    std::vector<PhotoResult> results;
    CameraService camera(loop, source, dir.path() / "photos", 90, [&](PhotoResult r) {
        results.push_back(std::move(r));
        if (results.size() == 3)
            loop.quit();
    });
    camera.capture("insp-1", "front");
    camera.capture("insp-1", "back");
    loop.after(std::chrono::seconds(20), [&] { loop.quit(); });
    // The third capture runs after the file is gone: posted once the first two are in.
    loop.post([&] {});
    std::function<void()> third = [&] {
        if (results.size() < 2) {
            loop.after(std::chrono::milliseconds(10), third);
            return;
        }
        std::filesystem::remove(image);
        camera.capture("insp-1", "label");
    };
    loop.post(third);
    loop.run();
    camera.stop();
    ASSERT_EQ(results.size(), 3u);
    ASSERT_TRUE(results[0].photo);
    EXPECT_TRUE(results[0].photo->retakeReason.empty()) << results[0].photo->retakeReason;
    ASSERT_TRUE(results[0].photo->focus.has_value());
    EXPECT_GT(*results[0].photo->focus, 5);
    ASSERT_TRUE(results[1].photo);
    EXPECT_NE(results[1].photo->retakeReason.find("frozen camera"), std::string::npos)
        << results[1].photo->retakeReason;
    EXPECT_FALSE(results[2].photo);
    EXPECT_EQ(results[2].failure, "camera offline");
    EXPECT_EQ(camera.status(), "offline");
}

// "Read with camera": a label the handheld scanner cannot read is read in a fresh still, with the
// camera URI's read options; a missing camera or frame says why there is nothing.
TEST(CameraServiceCodes, ReadsTheCodesOfAStillAndSaysWhyWhenItCannot)
{
    TempDir dir;
    const auto image = dir.path() / "label.png";
    const cv::Mat chart = vision::renderTestChart({{"4012345000184", "EAN-13"}, {"RMA-000117", "Code 128"}},
                                                  "two codes on one label");
    ASSERT_TRUE(cv::imwrite(image.string(), chart));
    EventLoop loop;
    std::vector<CameraCodes> results;
    auto collect = [&](CameraCodes codes) {
        results.push_back(std::move(codes));
        loop.quit();
    };
    loop.after(std::chrono::seconds(20), [&] { loop.quit(); });

    // role=label reads the 1D formats only: both codes here are 1D.
    vision::CameraSource source{"file", image.string(), {{"role", "label"}}, "file:" + image.string()};
    CameraService camera(loop, source, dir.path() / "photos", 90, [](PhotoResult) {});
    camera.readCodes(collect);
    loop.run();
    ASSERT_EQ(results.size(), 1u);
    EXPECT_TRUE(results[0].failure.empty()) << results[0].failure;
    std::vector<std::string> texts;
    for (const auto& code : results[0].codes) {
        texts.push_back(code.text + "/" + code.format);
    }
    std::sort(texts.begin(), texts.end());
    EXPECT_EQ(texts, (std::vector<std::string>{"4012345000184/EAN-13", "RMA-000117/Code 128"}));
    EXPECT_EQ(camera.inFlight(), 0u);

    std::filesystem::remove(image);
    camera.readCodes(collect);
    loop.run();
    ASSERT_EQ(results.size(), 2u);
    EXPECT_TRUE(results[1].codes.empty());
    EXPECT_EQ(results[1].failure.rfind("camera offline: ", 0), 0u) << results[1].failure;
    EXPECT_EQ(camera.status(), "offline");
    camera.stop();

    CameraService none(loop, std::nullopt, dir.path() / "photos", 90, [](PhotoResult) {});
    none.readCodes(collect);
    loop.run();
    ASSERT_EQ(results.size(), 3u);
    EXPECT_EQ(results[2].failure, "no camera configured");
}

} // namespace
} // namespace retour::station
