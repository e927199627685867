#include "retour/vision/barcode_reader.h"
#include "retour/vision/barcode_writer.h"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <set>

namespace retour::vision {
namespace {

// A white 1280x720 BGR frame with one code pasted at `where`.
cv::Mat frameWith(const std::string& text, const std::string& format, cv::Rect where)
{
    cv::Mat frame(720, 1280, CV_8UC3, cv::Scalar(255, 255, 255));
    auto code = renderBarcode(text, format, where.width, where.height);
    EXPECT_TRUE(code) << code.error().message;
    if (code) {
        cv::Mat bgr;
        cv::cvtColor(*code, bgr, cv::COLOR_GRAY2BGR);
        bgr.copyTo(frame(where));
    }
    return frame;
}

// Where rect lands after cv::rotate of a cols x rows image.
cv::Rect rotatedRect(cv::Rect r, int degrees, int cols, int rows)
{
    switch (degrees) {
    case 90:
        return {rows - (r.y + r.height), r.x, r.height, r.width};
    case 180:
        return {cols - (r.x + r.width), rows - (r.y + r.height), r.width, r.height};
    case 270:
        return {r.y, cols - (r.x + r.width), r.height, r.width};
    default:
        return r;
    }
}

cv::Mat rotated(const cv::Mat& frame, int degrees)
{
    cv::Mat out;
    switch (degrees) {
    case 90:
        cv::rotate(frame, out, cv::ROTATE_90_CLOCKWISE);
        break;
    case 180:
        cv::rotate(frame, out, cv::ROTATE_180);
        break;
    case 270:
        cv::rotate(frame, out, cv::ROTATE_90_COUNTERCLOCKWISE);
        break;
    default:
        out = frame.clone();
    }
    return out;
}

cv::Point2d centreOf(const DecodedCode& code)
{
    cv::Point2d sum;
    for (std::size_t i = 0; i + 1 < code.position.size(); i += 2)
        sum += cv::Point2d(code.position[i], code.position[i + 1]);
    return sum / 4.0;
}

struct RotationCase
{
    std::string text;
    std::string format;
    cv::Rect where;
    int degrees;
};

class Rotation : public testing::TestWithParam<RotationCase>
{};

TEST_P(Rotation, CodeIsFoundAndPositionedInTheRotatedFrame)
{
    const auto& c = GetParam();
    cv::Mat frame = rotated(frameWith(c.text, c.format, c.where), c.degrees);
    const cv::Rect expected = rotatedRect(c.where, c.degrees, 1280, 720);

    auto codes = readBarcodes(frame);
    ASSERT_EQ(codes.size(), 1u);
    EXPECT_EQ(codes[0].text, c.text);
    EXPECT_EQ(codes[0].format, c.format);
    ASSERT_EQ(codes[0].position.size(), 8u);
    cv::Point2d centre = centreOf(codes[0]);
    EXPECT_TRUE(expected.contains(cv::Point(static_cast<int>(centre.x), static_cast<int>(centre.y))))
        << "centre " << centre << " outside " << expected;
}

std::string rotationName(const testing::TestParamInfo<RotationCase>& info)
{
    std::string name;
    for (char ch : info.param.format)
        if (std::isalnum(static_cast<unsigned char>(ch)))
            name.push_back(ch);
    return name + "_" + std::to_string(info.param.degrees);
}

const RotationCase rotations[] = {
    {"RMA-2024-000123", "Code 128", {100, 80, 600, 200}, 0},
    {"RMA-2024-000123", "Code 128", {100, 80, 600, 200}, 90},
    {"RMA-2024-000123", "Code 128", {100, 80, 600, 200}, 180},
    {"RMA-2024-000123", "Code 128", {100, 80, 600, 200}, 270},
    {"4006381333931", "EAN-13", {700, 400, 400, 200}, 90},
    {"4006381333931", "EAN-13", {700, 400, 400, 200}, 270},
    {"https://returns.example/rma/R-1", "QR Code", {800, 300, 300, 300}, 0},
    {"https://returns.example/rma/R-1", "QR Code", {800, 300, 300, 300}, 90},
    {"https://returns.example/rma/R-1", "QR Code", {800, 300, 300, 300}, 180},
    {"https://returns.example/rma/R-1", "QR Code", {800, 300, 300, 300}, 270},
    {"SN:ABC123456", "DataMatrix", {200, 350, 240, 240}, 90},
    {"SN:ABC123456", "DataMatrix", {200, 350, 240, 240}, 180},
};

INSTANTIATE_TEST_SUITE_P(Charts, Rotation, testing::ValuesIn(rotations), rotationName);

TEST(ReadBarcodes, RotatedTestChartsRead)
{
    cv::Mat linear = renderTestChart({{"RMA-7", "Code 128"}, {"96385074", "EAN-8"}}, "1D chart");
    cv::Mat matrix = renderTestChart({{"R-1", "QR Code"}, {"R-2", "DataMatrix"}}, "2D chart");
    for (int degrees : {90, 180, 270}) {
        EXPECT_EQ(readBarcodes(rotated(linear, degrees)).size(), 2u) << degrees;
        EXPECT_EQ(readBarcodes(rotated(matrix, degrees)).size(), 2u) << degrees;
    }
}

// ZXing 1.4 aborts on an assertion when its downscaled passes meet the same 1D code twice
// (barcode_reader.cpp): a large frame with a linear code seen on many rows must simply read.
TEST(ReadBarcodes, LargeFrameWithRepeatedLinearCodeDoesNotAbort)
{
    cv::Mat frame(1080, 1920, CV_8UC3, cv::Scalar(255, 255, 255));
    auto code = renderBarcode("4006381333931", "EAN-13", 600, 300);
    ASSERT_TRUE(code);
    cv::Mat bgr;
    cv::cvtColor(*code, bgr, cv::COLOR_GRAY2BGR);
    bgr.copyTo(frame(cv::Rect(100, 100, 600, 300)));
    bgr.copyTo(frame(cv::Rect(1100, 600, 600, 300)));
    auto codes = readBarcodes(frame);
    ASSERT_EQ(codes.size(), 1u); // deduplicated by text and format
    EXPECT_EQ(codes[0].text, "4006381333931");
}

TEST(ReadBarcodes, TiltedLinearCodesAreAllRead)
{
    // A tilted code stresses the painting-out between single-symbol reads: each code must be found
    // once, and a second identical copy must not stop the others from being read.
    cv::Mat frame(720, 1280, CV_8UC3, cv::Scalar(255, 255, 255));
    const std::pair<const char*, cv::Rect> placed[] = {{"TILT-ONE", {80, 60, 500, 160}},
                                                       {"TILT-TWO", {700, 60, 500, 160}},
                                                       {"TILT-ONE", {80, 420, 500, 160}},
                                                       {"TILT-3", {700, 420, 500, 160}}};
    for (const auto& [text, where] : placed) {
        auto code = renderBarcode(text, "Code 128", where.width, where.height);
        ASSERT_TRUE(code);
        cv::Mat bgr;
        cv::cvtColor(*code, bgr, cv::COLOR_GRAY2BGR);
        bgr.copyTo(frame(where));
    }
    cv::Mat tilted;
    cv::warpAffine(frame, tilted, cv::getRotationMatrix2D({640, 360}, 6.0, 1.0), frame.size(),
                   cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255, 255, 255));
    auto codes = readBarcodes(tilted);
    std::set<std::string> texts;
    for (const auto& code : codes)
        texts.insert(code.text);
    EXPECT_EQ(codes.size(), 3u);
    EXPECT_EQ(texts, (std::set<std::string>{"TILT-ONE", "TILT-TWO", "TILT-3"}));
}

TEST(ReadBarcodes, CodesAreReportedTopToBottom)
{
    cv::Mat chart = renderTestChart({{"TOP-LEFT", "Code 128"},
                                     {"TOP-RIGHT", "Code 39"},
                                     {"BOTTOM-L", "QR Code"},
                                     {"BOTTOM-R", "DataMatrix"}},
                                    "order");
    auto codes = readBarcodes(chart);
    ASSERT_EQ(codes.size(), 4u);
    EXPECT_EQ(codes[0].text, "TOP-LEFT");
    EXPECT_EQ(codes[1].text, "TOP-RIGHT");
    EXPECT_LT(centreOf(codes[1]).y, centreOf(codes[2]).y);
}

TEST(ReadBarcodes, MaxCodesLimitsTheResult)
{
    cv::Mat chart = renderTestChart({{"A-1", "Code 128"}, {"A-2", "Code 128"}, {"A-3", "QR Code"}}, "three");
    EXPECT_EQ(readBarcodes(chart).size(), 3u);
    EXPECT_EQ(readBarcodes(chart, {.tryHarder = true, .tryRotate = true, .maxCodes = 1}).size(), 1u);
}

TEST(ReadBarcodes, WithoutTryRotateAVerticalLinearCodeIsNotRead)
{
    cv::Mat frame = rotated(frameWith("VERTICAL-1", "Code 128", {100, 100, 600, 200}), 90);
    EXPECT_EQ(readBarcodes(frame).size(), 1u);
    EXPECT_TRUE(readBarcodes(frame, {.tryHarder = true, .tryRotate = false, .maxCodes = 8}).empty());
}

TEST(ReadBarcodes, BlankBlackAndNoiseGiveNoCode)
{
    EXPECT_TRUE(readBarcodes(cv::Mat(720, 1280, CV_8UC3, cv::Scalar(255, 255, 255))).empty());
    EXPECT_TRUE(readBarcodes(cv::Mat(720, 1280, CV_8UC1, cv::Scalar(0))).empty());
    cv::Mat noise(720, 1280, CV_8UC1);
    cv::RNG rng(20240611);
    rng.fill(noise, cv::RNG::UNIFORM, 0, 256);
    EXPECT_TRUE(readBarcodes(noise).empty());
    cv::Mat coarse(72, 128, CV_8UC1);
    rng.fill(coarse, cv::RNG::UNIFORM, 0, 2);
    coarse *= 255;
    cv::resize(coarse, noise, noise.size(), 0, 0, cv::INTER_NEAREST);
    EXPECT_TRUE(readBarcodes(noise).empty());
}

TEST(ReadBarcodes, UnusableInputGivesNoCodeAndNoException)
{
    EXPECT_TRUE(readBarcodes(cv::Mat()).empty());
    EXPECT_TRUE(readBarcodes(cv::Mat(10, 10, CV_8UC2, cv::Scalar(0, 0))).empty());
    EXPECT_TRUE(readBarcodes(cv::Mat(1, 1, CV_8UC1, cv::Scalar(0))).empty());
}

TEST(ReadBarcodes, BgraAndSixteenBitFramesAreRead)
{
    cv::Mat bgr = frameWith("DEPTH-16", "Code 128", {100, 100, 600, 200});
    cv::Mat bgra;
    cv::cvtColor(bgr, bgra, cv::COLOR_BGR2BGRA);
    ASSERT_EQ(readBarcodes(bgra).size(), 1u);
    cv::Mat grey;
    cv::Mat deep;
    cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
    grey.convertTo(deep, CV_16U, 257.0);
    auto codes = readBarcodes(deep);
    ASSERT_EQ(codes.size(), 1u);
    EXPECT_EQ(codes[0].text, "DEPTH-16");
}

TEST(ReadBarcodes, RegionOfInterestViewIsRead)
{
    // A non-continuous Mat (a view into a larger frame) has a row stride larger than its width.
    cv::Mat grey;
    cv::cvtColor(frameWith("ROI-42", "Code 128", {300, 200, 600, 200}), grey, cv::COLOR_BGR2GRAY);
    cv::Mat view = grey(cv::Rect(250, 150, 700, 300));
    ASSERT_FALSE(view.isContinuous());
    auto codes = readBarcodes(view);
    ASSERT_EQ(codes.size(), 1u);
    EXPECT_EQ(codes[0].text, "ROI-42");
}

} // namespace
} // namespace retour::vision

namespace retour::vision {
namespace {

TEST(ReadOptions, RolesRestrictFormats)
{
    cv::Mat chart = renderTestChart({{"LPN-000123", "Code 128"}, {"RMA-77", "QR Code"}}, "roles");
    auto labels = readOptionsFrom({{"role", "label"}});
    ASSERT_TRUE(labels) << labels.error().message;
    auto codes = readBarcodes(chart, *labels);
    ASSERT_EQ(codes.size(), 1u);
    EXPECT_EQ(codes[0].format, "Code 128");

    auto sheets = readOptionsFrom({{"role", "sheet"}});
    ASSERT_TRUE(sheets);
    codes = readBarcodes(chart, *sheets);
    ASSERT_EQ(codes.size(), 1u);
    EXPECT_EQ(codes[0].format, "QR Code");

    auto named = readOptionsFrom({{"formats", "qr,code128"}, {"max_codes", "4"}, {"retry", "0"}});
    ASSERT_TRUE(named) << named.error().message;
    EXPECT_EQ(named->formats, (std::vector<std::string>{"QR Code", "Code 128"}));
    EXPECT_EQ(named->maxCodes, 4);
    EXPECT_FALSE(named->retry);
    EXPECT_EQ(readBarcodes(chart, *named).size(), 2u);
}

TEST(ReadOptions, BadParametersAreNamed)
{
    auto role = readOptionsFrom({{"role", "pallet"}});
    ASSERT_FALSE(role);
    EXPECT_EQ(role.error().code, ErrorCode::InvalidSource);
    EXPECT_NE(role.error().message.find("role=pallet"), std::string::npos) << role.error().message;
    auto format = readOptionsFrom({{"formats", "EAN-13,Morse"}});
    ASSERT_FALSE(format);
    EXPECT_NE(format.error().message.find("Morse"), std::string::npos) << format.error().message;
    EXPECT_FALSE(readOptionsFrom({{"max_codes", "0"}}));
    EXPECT_FALSE(readOptionsFrom({{"retry", "maybe"}}));
}

TEST(ReadBarcodes, Gs1128IsDeliveredAsAScannerWouldWithGroupSeparators)
{
    // U+00F1 is FNC1 for ZXing's Code 128 writer: in first position it makes GS1-128.
    cv::Mat frame(400, 1200, CV_8UC1, cv::Scalar(255));
    auto code = renderBarcode("\xC3\xB1"
                              "0109506000134352"
                              "10LOT42"
                              "\xC3\xB1"
                              "21SN9",
                              "Code 128", 1000, 250);
    ASSERT_TRUE(code) << code.error().message;
    code->copyTo(frame(cv::Rect(100, 75, 1000, 250)));
    auto codes = readBarcodes(frame);
    ASSERT_EQ(codes.size(), 1u);
    EXPECT_EQ(codes[0].aimId, "]C1");
    EXPECT_TRUE(codes[0].gs1);
    EXPECT_EQ(codes[0].text, "0109506000134352"
                             "10LOT42"
                             "\x1d"
                             "21SN9");
}

TEST(ReadBarcodes, RetryReadsALowContrastCodeThatThePlainPassMisses)
{
    cv::Mat frame = frameWith("FAINT-42", "Code 128", {200, 200, 600, 200});
    cv::Mat grey;
    cv::cvtColor(frame, grey, cv::COLOR_BGR2GRAY);
    // Range squeezed to 8 grey levels under a strong left-to-right light gradient.
    cv::Mat faint;
    grey.convertTo(faint, CV_32F, 8.0 / 255.0, 0);
    for (int x = 0; x < faint.cols; ++x)
        faint.col(x) += 40.0 + 150.0 * x / faint.cols;
    faint.convertTo(faint, CV_8U);
    ReadOptions plain;
    plain.retry = false;
    ReadOptions retried;
    const auto without = readBarcodes(faint, plain);
    const auto with = readBarcodes(faint, retried);
    ASSERT_EQ(with.size(), 1u);
    EXPECT_EQ(with[0].text, "FAINT-42");
    // Positions come back in frame coordinates.
    EXPECT_GE(with[0].position[0], 150);
    EXPECT_LE(with[0].position[0], 850);
    if (!without.empty())
        GTEST_SKIP() << "the plain pass read this frame too; the retry was not needed";
}

// The faint frame above, as a 1080p frame (larger than retryMaxSide): the retries then run on a
// copy scaled down to 1280 px, and the position still comes back in frame coordinates.
TEST(ReadBarcodes, RetriesOnALargeFrameRunDownscaledAndMapBack)
{
    cv::Mat grey;
    cv::cvtColor(frameWith("FAINT-43", "Code 128", {200, 200, 600, 200}), grey, cv::COLOR_BGR2GRAY);
    cv::Mat faint;
    grey.convertTo(faint, CV_32F, 8.0 / 255.0, 0);
    for (int x = 0; x < faint.cols; ++x)
        faint.col(x) += 40.0 + 150.0 * x / faint.cols;
    faint.convertTo(faint, CV_8U);
    cv::Mat large;
    cv::resize(faint, large, cv::Size(1920, 1080), 0, 0, cv::INTER_LINEAR);

    ReadOptions none;
    none.retryBudget = 0;
    ReadOptions plain;
    plain.retry = false;
    EXPECT_EQ(readBarcodes(large, none).size(), readBarcodes(large, plain).size());
    const auto with = readBarcodes(large, ReadOptions{});
    ASSERT_EQ(with.size(), 1u);
    EXPECT_EQ(with[0].text, "FAINT-43");
    // The code spans x 300..1200 in the 1080p frame.
    for (std::size_t i = 0; i < with[0].position.size(); i += 2) {
        EXPECT_GE(with[0].position[i], 250) << i;
        EXPECT_LE(with[0].position[i], 1250) << i;
        EXPECT_GE(with[0].position[i + 1], 270) << i;
        EXPECT_LE(with[0].position[i + 1], 630) << i;
    }
}

// A long Code 128 with modules of about 1.4 px in a 1080p frame (a dense label far from the camera):
// the plain passes miss it, and the reduced copies lose its modules, so the retry enlarges its
// bar-like region from the full-size frame.
TEST(ReadBarcodes, SmallDenseCodeInALargeFrameIsReadFromAnEnlargedCrop)
{
    for (const bool turned : {false, true}) {
        cv::Mat small = frameWith("LPN-0123456789-ABCDEFGHIJ", "Code 128", {700, 60, 300, 110});
        cv::Mat frame;
        cv::resize(small, frame, cv::Size(1800, 1013), 0, 0, cv::INTER_LINEAR);
        if (turned)
            cv::rotate(frame, frame, cv::ROTATE_90_CLOCKWISE);
        ReadOptions plain;
        plain.retry = false;
        const auto without = readBarcodes(frame, plain);
        const auto with = readBarcodes(frame, ReadOptions{});
        ASSERT_EQ(with.size(), 1u) << (turned ? "turned" : "upright");
        EXPECT_EQ(with[0].text, "LPN-0123456789-ABCDEFGHIJ");
        const cv::Rect where = turned ? cv::Rect(640, 970, 320, 580) : cv::Rect(980, 80, 560, 240);
        for (std::size_t i = 0; i < with[0].position.size(); i += 2)
            EXPECT_TRUE(where.contains({with[0].position[i], with[0].position[i + 1]}))
                << with[0].position[i] << "," << with[0].position[i + 1];
        if (!without.empty())
            GTEST_SKIP() << "the plain pass read this frame too; the crop was not needed";
    }
}

TEST(ReadOptions, RetryBudgetIsBounded)
{
    auto budget = readOptionsFrom({{"retry_budget", "2"}});
    ASSERT_TRUE(budget) << budget.error().message;
    EXPECT_EQ(budget->retryBudget, 2);
    EXPECT_TRUE(budget->retry);
    EXPECT_EQ(ReadOptions{}.retryBudget, 6);
    for (const char* bad : {"7", "-1", "two"}) {
        auto options = readOptionsFrom({{"retry_budget", bad}});
        ASSERT_FALSE(options) << bad;
        EXPECT_NE(options.error().message.find("retry_budget"), std::string::npos) << options.error().message;
    }
}

TEST(ReadBarcodes, ShortItfSliceOfASkewedItf14IsNotReported)
{
    cv::Mat frame(768, 1024, CV_8UC1, cv::Scalar(255));
    auto code = renderBarcode("16774947653070", "ITF", 700, 160);
    ASSERT_TRUE(code) << code.error().message;
    code->copyTo(frame(cv::Rect(160, 300, 700, 160)));
    cv::Mat skewed;
    cv::warpAffine(frame, skewed, cv::getRotationMatrix2D({512, 384}, 25, 1.0), frame.size(),
                   cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
    for (const auto& c : readBarcodes(skewed)) {
        EXPECT_EQ(c.format, "ITF");
        EXPECT_EQ(c.text, "16774947653070");
    }
}

} // namespace
} // namespace retour::vision
