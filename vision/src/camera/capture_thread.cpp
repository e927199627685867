#include "camera/capture_thread.h"

#include "retour/base/retry.h"

#include <algorithm>

namespace retour::vision {

using Clock = std::chrono::steady_clock;

namespace {

// Read before the capture thread starts, which then owns the source.
CameraStatus openedStatus(const FrameSource& source)
{
    CameraStatus status;
    status.granted = source.granted();
    status.warnings = source.warnings();
    return status;
}

} // namespace

CaptureThread::CaptureThread(std::string name, std::unique_ptr<FrameSource> source, CaptureTiming timing)
    : name_(std::move(name)), source_(std::move(source)), timing_(timing), status_(openedStatus(*source_)),
      thread_([this](std::stop_token stop) { run(std::move(stop)); })
{}

CaptureThread::~CaptureThread()
{
    thread_.request_stop();
    changed_.notify_all();
    if (thread_.joinable())
        thread_.join();
}

std::unexpected<Error> CaptureThread::offline(const std::string& why) const
{
    return std::unexpected(Error{ErrorCode::CameraOffline, "camera " + name_ + ": " + why});
}

Result<Frame> CaptureThread::next()
{
    const auto asked = Clock::now();
    std::unique_lock lock(mutex_);
    const bool fresh = changed_.wait_until(lock, asked + timing_.stillTimeout, [&] {
        return !status_.online || (newest_.sequence > 0 && newest_.captured >= asked);
    });
    if (!status_.online)
        return offline(status_.reason);
    if (!fresh)
        return offline("camera stalled: no new frame within " + std::to_string(timing_.stillTimeout.count()) +
                       " ms");
    // A copy: the capture thread replaces newest_ on the next grab, and the caller may draw on it.
    return Frame{newest_.image.clone(), newest_.sequence, newest_.captured, newest_.delivered};
}

Result<Frame> CaptureThread::latest() const
{
    std::lock_guard lock(mutex_);
    if (!status_.online)
        return offline(status_.reason);
    if (newest_.sequence == 0)
        return offline("no frame yet");
    return Frame{newest_.image.clone(), newest_.sequence, newest_.captured, newest_.delivered};
}

CameraStatus CaptureThread::status() const
{
    std::lock_guard lock(mutex_);
    return status_;
}

void CaptureThread::run(std::stop_token stop)
{
    std::uint64_t sequence = 0;
    // reopenFirst before the first attempt after a loss, doubled before each further one.
    const base::BackoffPolicy reopen{timing_.reopenFirst, timing_.reopenMax, 0.0};
    std::int64_t attempts = 0;
    bool open = true;
    while (!stop.stop_requested()) {
        if (!open) {
            // Back-off before each attempt, so that a device that fails at once is not hammered.
            {
                std::unique_lock lock(mutex_);
                changed_.wait_for(lock, stop, base::backoffDelay(reopen, ++attempts), [] { return false; });
            }
            if (stop.stop_requested())
                break;
            if (auto opened = source_->open(); !opened) {
                std::lock_guard lock(mutex_);
                ++status_.reopenAttempts;
                status_.reason = opened.error().message;
                continue;
            }
            open = true;
            std::lock_guard lock(mutex_);
            status_.granted = source_->granted();
            status_.warnings = source_->warnings();
        }
        const auto started = Clock::now();
        auto image = source_->grab();
        std::lock_guard lock(mutex_);
        if (!image) {
            source_->close();
            open = false;
            status_.online = false;
            status_.reason = image.error().message;
        } else {
            // Only the newest frame is kept: the previous one is dropped here.
            newest_ = Frame{std::move(*image), ++sequence, started, Clock::now()};
            ++status_.frames;
            if (!status_.online) {
                status_.online = true;
                status_.reason.clear();
                status_.reopenAttempts = 0;
                attempts = 0;
            }
        }
        changed_.notify_all();
    }
    source_->close();
}

} // namespace retour::vision
