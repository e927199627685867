#pragma once

#include <opencv2/core/mat.hpp>

namespace retour::vision {

// An 8-bit single-channel copy or view of a BGR, BGRA, grey or 16-bit frame; empty when the layout
// is not an image. Reentrant.
cv::Mat toGrey(const cv::Mat& frame);

// toGrey, then shrunk (INTER_AREA) to at most maxWidth pixels wide; never enlarged. Reentrant.
cv::Mat downscaledGrey(const cv::Mat& frame, int maxWidth);

} // namespace retour::vision
