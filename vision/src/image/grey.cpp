#include "image/grey.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>

namespace retour::vision {

cv::Mat toGrey(const cv::Mat& frame)
{
    if (frame.empty() || frame.dims != 2)
        return {};
    cv::Mat eightBit = frame;
    if (frame.depth() != CV_8U)
        cv::normalize(frame, eightBit, 0, 255, cv::NORM_MINMAX, CV_8U);
    cv::Mat grey;
    switch (eightBit.channels()) {
    case 1:
        grey = eightBit;
        break;
    case 3:
        cv::cvtColor(eightBit, grey, cv::COLOR_BGR2GRAY);
        break;
    case 4:
        cv::cvtColor(eightBit, grey, cv::COLOR_BGRA2GRAY);
        break;
    default:
        return {};
    }
    return grey;
}

cv::Mat downscaledGrey(const cv::Mat& frame, int maxWidth)
{
    cv::Mat grey = toGrey(frame);
    if (grey.empty() || maxWidth <= 0 || grey.cols <= maxWidth)
        return grey;
    const int height = std::max(1, static_cast<int>(static_cast<long>(grey.rows) * maxWidth / grey.cols));
    cv::Mat small;
    cv::resize(grey, small, cv::Size(maxWidth, height), 0, 0, cv::INTER_AREA);
    return small;
}

} // namespace retour::vision
