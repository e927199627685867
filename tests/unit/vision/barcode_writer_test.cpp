#include "retour/vision/barcode_reader.h"
#include "retour/vision/barcode_writer.h"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <set>
#include <string>

namespace retour::vision {
namespace {

struct Sample
{
    std::string text;
    std::string format;
    std::string aimId; // docs/protocols/scanners.md §4
    bool matrix;
};

std::string sampleName(const testing::TestParamInfo<Sample>& info)
{
    std::string name;
    for (char c : info.param.format)
        if (std::isalnum(static_cast<unsigned char>(c)))
            name.push_back(c);
    return name;
}

const Sample samples[] = {
    {"4006381333931", "EAN-13", "]E0", false},
    {"96385074", "EAN-8", "]E4", false},
    {"036000291452", "UPC-A", "]E0", false},
    {"RMA-2024-000123", "Code 128", "]C0", false},
    {"RET-42 OK", "Code 39", "]A0", false},
    {"https://returns.example/rma/R-000123", "QR Code", "]Q1", true},
    {"SN:ABC123456", "DataMatrix", "]d1", true},
};

class RoundTrip : public testing::TestWithParam<Sample>
{};

TEST_P(RoundTrip, RenderedCodeReadsBackWithFormatAndAimId)
{
    const Sample& s = GetParam();
    const int width = s.matrix ? 300 : 600;
    const int height = 300;
    auto image = renderBarcode(s.text, s.format, width, height);
    ASSERT_TRUE(image) << image.error().message;
    EXPECT_EQ(image->cols, width);
    EXPECT_EQ(image->rows, height);
    EXPECT_EQ(image->type(), CV_8UC1);

    auto codes = readBarcodes(*image);
    ASSERT_EQ(codes.size(), 1u);
    EXPECT_EQ(codes[0].text, s.text);
    EXPECT_EQ(codes[0].format, s.format);
    EXPECT_EQ(codes[0].aimId, s.aimId);
    ASSERT_EQ(codes[0].position.size(), 8u);
    for (std::size_t i = 0; i < 8; i += 2) {
        EXPECT_GE(codes[0].position[i], 0);
        EXPECT_LT(codes[0].position[i], width);
        EXPECT_GE(codes[0].position[i + 1], 0);
        EXPECT_LT(codes[0].position[i + 1], height);
    }
}

TEST_P(RoundTrip, TestChartReadsBack)
{
    const Sample& s = GetParam();
    cv::Mat chart = renderTestChart({{s.text, s.format}}, "Retour test chart: " + s.format);
    ASSERT_EQ(chart.cols, 1280);
    ASSERT_EQ(chart.rows, 720);
    ASSERT_EQ(chart.type(), CV_8UC3);

    auto codes = readBarcodes(chart);
    ASSERT_EQ(codes.size(), 1u);
    EXPECT_EQ(codes[0].text, s.text);
    EXPECT_EQ(codes[0].format, s.format);
}

INSTANTIATE_TEST_SUITE_P(Formats, RoundTrip, testing::ValuesIn(samples), sampleName);

TEST(RenderBarcode, OnlyBlackAndWhitePixels)
{
    auto image = renderBarcode("HELLO", "QR Code", 200, 200);
    ASSERT_TRUE(image) << image.error().message;
    cv::Mat grey = *image;
    int other = 0;
    for (int y = 0; y < grey.rows; ++y)
        for (int x = 0; x < grey.cols; ++x)
            other += grey.at<unsigned char>(y, x) != 0 && grey.at<unsigned char>(y, x) != 255;
    EXPECT_EQ(other, 0);
    EXPECT_GT(cv::countNonZero(grey == 0), 0);
}

TEST(RenderBarcode, GtinWithoutCheckDigitGetsIt)
{
    auto image = renderBarcode("400638133393", "EAN-13", 600, 200);
    ASSERT_TRUE(image) << image.error().message;
    auto codes = readBarcodes(*image);
    ASSERT_EQ(codes.size(), 1u);
    EXPECT_EQ(codes[0].text, "4006381333931");
}

TEST(RenderBarcode, FormatNamesAreForgiving)
{
    for (const char* name : {"code128", "CODE-128", "code_128", "Code 128"}) {
        auto image = renderBarcode("ABC", name, 400, 100);
        ASSERT_TRUE(image) << name << ": " << image.error().message;
        auto codes = readBarcodes(*image);
        ASSERT_EQ(codes.size(), 1u) << name;
        EXPECT_EQ(codes[0].format, "Code 128");
    }
    EXPECT_TRUE(renderBarcode("ABC", "QR", 200, 200));
    EXPECT_TRUE(renderBarcode("4006381333931", "ean13", 400, 100));
}

TEST(RenderBarcode, BadCheckDigitIsAnError)
{
    auto image = renderBarcode("4006381333932", "EAN-13", 600, 200);
    ASSERT_FALSE(image);
    EXPECT_EQ(image.error().code, ErrorCode::Encode);
    EXPECT_NE(image.error().message.find("4006381333932"), std::string::npos) << image.error().message;
    EXPECT_NE(image.error().message.find("EAN-13"), std::string::npos) << image.error().message;
}

TEST(RenderBarcode, WrongLengthOrCharactersAreErrors)
{
    for (auto [text, format] : {std::pair{"40063813", "EAN-13"}, std::pair{"12345678901234", "EAN-13"},
                                std::pair{"ABCDEFGHIJKL", "EAN-13"}, std::pair{"123", "EAN-8"},
                                std::pair{"1234567890123", "UPC-A"}, std::pair{"", "Code 128"}}) {
        auto image = renderBarcode(text, format, 600, 200);
        ASSERT_FALSE(image) << text << " as " << format;
        EXPECT_EQ(image.error().code, ErrorCode::Encode);
        EXPECT_FALSE(image.error().message.empty());
    }
}

TEST(RenderBarcode, UnknownFormatIsAnError)
{
    auto image = renderBarcode("123", "Code 11", 600, 200);
    ASSERT_FALSE(image);
    EXPECT_EQ(image.error().code, ErrorCode::Encode);
    EXPECT_NE(image.error().message.find("Code 11"), std::string::npos);
}

TEST(RenderBarcode, SizeTooSmallOrInvalidIsAnError)
{
    auto tooNarrow = renderBarcode("4006381333931", "EAN-13", 100, 50); // 117 modules with quiet zone
    ASSERT_FALSE(tooNarrow);
    EXPECT_NE(tooNarrow.error().message.find("needs at least"), std::string::npos)
        << tooNarrow.error().message;
    EXPECT_FALSE(renderBarcode("4006381333931", "EAN-13", 0, 100));
    EXPECT_FALSE(renderBarcode("4006381333931", "EAN-13", 600, -1));
    EXPECT_FALSE(renderBarcode("HELLO", "QR Code", 20, 20));
}

TEST(RenderTestChart, SeveralCodesAllReadBack)
{
    std::vector<ChartCode> codes = {{"4006381333931", "EAN-13"},
                                    {"RMA-2024-000123", "Code 128"},
                                    {"https://returns.example/rma/R-000123", "QR Code"},
                                    {"SN:ABC123456", "DataMatrix"}};
    cv::Mat chart = renderTestChart(codes, "four codes");
    auto found = readBarcodes(chart);
    std::set<std::pair<std::string, std::string>> got;
    for (const auto& code : found)
        got.insert({code.text, code.format});
    std::set<std::pair<std::string, std::string>> want;
    for (const auto& code : codes)
        want.insert({code.text, code.format});
    EXPECT_EQ(got, want);
}

TEST(RenderTestChart, BadCodeIsDrawnAndTheOthersStillRead)
{
    cv::Mat chart = renderTestChart({{"4006381333932", "EAN-13"}, {"GOOD-1", "Code 128"}}, "one bad code");
    ASSERT_FALSE(chart.empty());
    auto found = readBarcodes(chart);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].text, "GOOD-1");
    // The bad entry is marked in red (BGR 0,0,255) rather than silently left out.
    std::vector<cv::Mat> planes;
    cv::split(chart, planes);
    cv::Mat red = (planes[2] > 200) & (planes[1] < 80) & (planes[0] < 80);
    EXPECT_GT(cv::countNonZero(red), 100);
}

TEST(RenderTestChart, CustomSizeAndCaptionOnly)
{
    cv::Mat chart = renderTestChart({}, "caption only", 640, 480);
    ASSERT_EQ(chart.cols, 640);
    ASSERT_EQ(chart.rows, 480);
    const auto dark = static_cast<std::size_t>(cv::countNonZero(cv::Mat(chart.reshape(1) < 128)));
    EXPECT_GT(dark, 0u);                     // the caption is there
    EXPECT_LT(dark, chart.total() * 3 / 10); // and nothing else
    EXPECT_TRUE(renderTestChart({{"1", "Code 128"}}, "x", 10, 10).empty());
}

} // namespace
} // namespace retour::vision
