// B5 and B6 (docs/protocols/benchmarks.md §4): the focus score against a plain cv::Laplacian(CV_16S) +
// meanStdDev on the same frame, and evidence JPEG encoding against cv::imencode at the same
// quality. Prints times and ratios; no timing assertion.
#include "retour/vision/photo_quality.h"
#include "retour/vision/photo_store.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

template <class F> double medianMs(int runs, F f)
{
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        const auto start = Clock::now();
        f();
        times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

cv::Mat benchFrame(int width, int height)
{
    cv::Mat frame(height, width, CV_8UC3);
    cv::RNG rng(42);
    frame.setTo(cv::Scalar(140, 150, 160));
    for (int i = 0; i < 300; ++i)
        cv::rectangle(frame, {rng.uniform(0, width), rng.uniform(0, height)},
                      {rng.uniform(0, width), rng.uniform(0, height)},
                      cv::Scalar(rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255)),
                      rng.uniform(1, 8));
    cv::Mat noise(frame.size(), CV_8UC3);
    rng.fill(noise, cv::RNG::UNIFORM, 0, 12);
    frame += noise;
    return frame;
}

} // namespace

int main()
{
    cv::setNumThreads(1);
    volatile double sink = 0;
    for (auto [w, h, name] : {std::tuple{1920, 1080, "1080p"}, std::tuple{3840, 2160, "4K"}}) {
        const cv::Mat frame = benchFrame(w, h);
        const int runs = w > 2000 ? 9 : 21;
        const double ours = medianMs(runs, [&] { sink = sink + retour::vision::focusScore(frame); });
        const double plain = medianMs(runs, [&] {
            cv::Mat grey, lap;
            cv::cvtColor(frame, grey, cv::COLOR_BGR2GRAY);
            cv::Laplacian(grey, lap, CV_16S);
            cv::Scalar mean, stddev;
            cv::meanStdDev(lap, mean, stddev);
            sink = sink + stddev[0];
        });
        std::printf(
            "B5 focus %s: ours (grey, area-downscale to 640, Laplacian, meanStdDev) %.2f ms; plain full-res "
            "cvtColor+Laplacian(CV_16S)+meanStdDev %.2f ms; ratio %.2f (target <= 1.2)\n",
            name, ours, plain, ours / plain);

        for (int quality : {90}) {
            std::size_t oursBytes = 0, peerBytes = 0;
            const double enc = medianMs(runs, [&] {
                auto bytes = retour::vision::encodeJpeg(frame, quality);
                oursBytes = bytes ? bytes->size() : 0;
            });
            const double peer = medianMs(runs, [&] {
                std::vector<unsigned char> bytes;
                cv::imencode(".jpg", frame, bytes, {cv::IMWRITE_JPEG_QUALITY, quality});
                peerBytes = bytes.size();
            });
            std::printf(
                "B6 JPEG %s q%d: ours %.2f ms (%zu B); cv::imencode %.2f ms (%zu B); ratio %.2f (target "
                "<= 1.05 at equal size)\n",
                name, quality, enc, oursBytes, peer, peerBytes, enc / peer);
        }
    }
    return 0;
}
