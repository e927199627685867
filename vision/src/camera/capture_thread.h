#pragma once

#include "retour/vision/camera.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

namespace retour::vision {

// The device side of a capture thread: a cv::VideoCapture, or a fake in tests.
//
// Thread contract: used only by the CaptureThread that owns it (after construction).
class FrameSource
{
public:
    virtual ~FrameSource() = default;
    // (Re-)opens the device; CameraOffline with the reason when it cannot.
    virtual Result<void> open() = 0;
    // Blocks until the next frame; CameraOffline when the device is lost or the stream ended. The
    // frame must stay valid after the next grab (a copy when the backend reuses its buffer).
    virtual Result<cv::Mat> grab() = 0;
    virtual void close() = 0;
    // After open(): what the device granted ("1920x1080 MJPG 30 fps") and the requests it did not.
    virtual std::string granted() const { return {}; }
    virtual std::vector<std::string> warnings() const { return {}; }
};

struct CaptureTiming
{
    std::chrono::milliseconds stillTimeout{3000}; // longest wait for a fresh frame
    std::chrono::milliseconds reopenFirst{250};   // first back-off after a loss, then doubled
    std::chrono::milliseconds reopenMax{8000};
};

// One thread per open camera: grabs continuously and keeps only the newest frame with its sequence
// number and the time its grab started, dropping older ones (docs/architecture.md "Threads"). A lost camera
// (grab error, stream end) is marked offline with the reason and re-opened with doubling back-off;
// the first frame after a re-open marks it online again.
//
// Thread contract: thread-safe (every public member); the FrameSource is touched only by the
// capture thread. The destructor stops the thread and waits for the grab in progress.
class CaptureThread
{
public:
    // `source` is already open: the first grab starts at once.
    CaptureThread(std::string name, std::unique_ptr<FrameSource> source, CaptureTiming timing);
    ~CaptureThread();
    CaptureThread(const CaptureThread&) = delete;
    CaptureThread& operator=(const CaptureThread&) = delete;

    // A frame whose grab started after this call: waits for it up to stillTimeout ("camera
    // stalled"); CameraOffline at once while the camera is offline.
    Result<Frame> next();
    // The newest frame, however old; CameraOffline while offline or before the first frame.
    Result<Frame> latest() const;
    CameraStatus status() const;

private:
    void run(std::stop_token stop);
    std::unexpected<Error> offline(const std::string& why) const;

    const std::string name_;
    const std::unique_ptr<FrameSource> source_;
    const CaptureTiming timing_;

    mutable std::mutex mutex_;
    std::condition_variable_any changed_;
    Frame newest_;        // guarded by mutex_
    CameraStatus status_; // guarded by mutex_
    std::jthread thread_; // last: started once everything above exists
};

} // namespace retour::vision
