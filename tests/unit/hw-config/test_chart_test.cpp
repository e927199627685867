#include "retour/vision/barcode_reader.h"
#include "test_chart_command.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

namespace {

using namespace retour::hwconfig;
namespace fs = std::filesystem;

TEST(TestChart, SplitsAKnownFormatSuffixOnly)
{
    EXPECT_EQ(splitCodeSpec("4006381333931:EAN-13"),
              std::make_pair(std::string("4006381333931"), std::string("EAN-13")));
    EXPECT_EQ(splitCodeSpec("CMD:GRADE:0:A"),
              std::make_pair(std::string("CMD:GRADE:0:A"), std::string("Code 128")));
    EXPECT_EQ(splitCodeSpec("RMA-1"), std::make_pair(std::string("RMA-1"), std::string("Code 128")));
}

TEST(TestChart, WrittenChartReadsBackAsTheCodesAskedFor)
{
    const fs::path out = fs::temp_directory_path() / ("chart-" + std::to_string(::getpid()) + ".png");
    TestChartRequest request{out.string(), {"4006381333931:EAN-13", "LPN-000042"}, "bench 1", 1280, 720};
    std::ostringstream o, e;
    ASSERT_EQ(runTestChart(request, o, e), 0) << e.str();
    const cv::Mat image = cv::imread(out.string());
    ASSERT_FALSE(image.empty());
    std::vector<std::string> texts;
    for (const auto& code : retour::vision::readBarcodes(image))
        texts.push_back(code.text);
    EXPECT_NE(std::find(texts.begin(), texts.end(), "4006381333931"), texts.end());
    EXPECT_NE(std::find(texts.begin(), texts.end(), "LPN-000042"), texts.end());
    fs::remove(out);
}

TEST(TestChart, InvalidEanIsRefusedWithExitStatus2)
{
    TestChartRequest request{"/tmp/never-written.png", {"4006381333932:EAN-13"}, "", 1280, 720};
    std::ostringstream o, e;
    EXPECT_EQ(runTestChart(request, o, e), 2);
    EXPECT_NE(e.str().find("4006381333932"), std::string::npos);
}

} // namespace
