#pragma once

// zbar as the peer decoder of the vision benchmarks. Its own translation unit: ZXing's Error.h
// defines an UnsupportedError macro that breaks <zbar.h> (docs/protocols/benchmarks.md §4).

#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

namespace retour::bench {

struct ZbarCode
{
    std::string format; // named as readBarcodes() names it ("EAN-13", "QR Code", …)
    std::string text;
};

// Decode a CV_8UC1 frame with zbar, enabling only the given formats (readBarcodes() names; the
// rest are switched off). Thread contract: reentrant (one zbar scanner per call).
std::vector<ZbarCode> zbarRead(const cv::Mat& grey, const std::vector<std::string>& formats);

} // namespace retour::bench
