#pragma once

#include "retour/drivers/device_uri.h"
#include "retour/station/event_loop.h"
#include "retour/station/worker.h"
#include "retour/station/workflow.h"
#include "retour/vision/camera.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace retour::station {

// The vision CameraSource for a camera device URI (the station parses URIs; vision does not).
vision::CameraSource cameraSourceFrom(const drivers::DeviceUri& uri);

// Takes evidence photos on the camera worker thread: vision::Camera::still() then
// PhotoStore::store(); the PhotoResult is posted back to the loop. A camera that is missing or
// offline answers "camera offline" at once, so the workflow never waits on it.
//
// Thread contract: capture() and inFlight() are thread-bound (the station loop).
class CameraService
{
public:
    using Deliver = std::function<void(PhotoResult)>;

    CameraService(EventLoop& loop, std::optional<vision::CameraSource> source, std::filesystem::path photoDir,
                  int jpegQuality, Deliver deliver);
    ~CameraService();

    bool configured() const { return source_.has_value(); }
    void capture(const std::string& inspectionId, const std::string& view);
    std::size_t inFlight() const { return inFlight_; }
    std::string status() const;
    void stop();

private:
    struct Device; // worker-side state

    EventLoop& loop_;
    std::optional<vision::CameraSource> source_;
    Deliver deliver_;
    std::shared_ptr<Device> device_;
    std::unique_ptr<Worker> worker_;
    std::size_t inFlight_ = 0;
    bool online_ = true;
};

} // namespace retour::station
