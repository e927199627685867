// B7 (docs/protocols/benchmarks.md §4): capture freshness with a live GStreamer test source at 30 fps
// standing in for a camera. Age of Camera::latest() at the consumer and latency of a still, both in frame
// periods (the peer: 1/fps). Prints p50/p99; no timing assertion. Exits 0 with a note when the
// GStreamer backend or its base plugins are missing.
#include "retour/vision/camera.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <opencv2/videoio/registry.hpp>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

} // namespace

int main()
{
    using namespace retour::vision;
    if (!cv::videoio_registry::hasBackend(cv::CAP_GSTREAMER)) {
        std::printf("B7 capture: OpenCV without GStreamer, not run\n");
        return 0;
    }
    constexpr double fps = 30;
    const double periodMs = 1000 / fps;
    const std::string pipeline =
        "videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=480,framerate=30/1";
    auto camera = openCamera({"gst", pipeline, {}, "gst:" + pipeline});
    if (!camera) {
        std::printf("B7 capture: %s, not run\n", camera.error().message.c_str());
        return 0;
    }
    // Warm up: the pipeline's first frames come as it starts.
    for (int i = 0; i < 5; ++i)
        if (!(*camera)->still())
            return 1;
    std::vector<double> ages, latencies;
    for (int i = 0; i < 40; ++i) {
        // Asked at arbitrary points within a frame period.
        std::this_thread::sleep_for(std::chrono::milliseconds(7 + (i * 13) % 29));
        auto latest = (*camera)->latest();
        if (!latest)
            return 1;
        ages.push_back(std::chrono::duration<double, std::milli>(Clock::now() - latest->delivered).count() /
                       periodMs);
        const auto asked = Clock::now();
        auto still = (*camera)->stillFrame();
        if (!still)
            return 1;
        latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - asked).count() /
                            periodMs);
    }
    std::printf("B7 capture, gst videotestsrc live 640x480 at %.0f fps (period %.1f ms), %zu samples\n", fps,
                periodMs, ages.size());
    std::printf("  latest() age   p50 %.2f  p99 %.2f frame periods (target p99 <= 1.5)\n",
                percentile(ages, 0.5), percentile(ages, 0.99));
    std::printf("  still() latency p50 %.2f  p99 %.2f frame periods (target <= 2 + exposure)\n",
                percentile(latencies, 0.5), percentile(latencies, 0.99));
    return 0;
}
