#pragma once

#include "app/event_loop.h"
#include "app/worker.h"
#include "retour/drivers/device_uri.h"
#include "retour/vision/barcode_reader.h"
#include "retour/vision/camera.h"
#include "workflow/workflow.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace retour::station {

// The vision CameraSource for a camera device URI (the station parses URIs; vision does not).
vision::CameraSource cameraSourceFrom(const drivers::DeviceUri& uri);

// The codes the camera read in one still, on the operator's request (a label the handheld scanner
// cannot read). `failure` says why there was no frame to read.
struct CameraCodes
{
    std::vector<vision::DecodedCode> codes;
    std::string failure;
};

// Takes evidence photos on the camera worker thread: vision::Camera::still() then
// PhotoStore::store(); the PhotoResult is posted back to the loop. A camera that is missing or
// offline answers "camera offline" at once, so the workflow never waits on it. Reads barcodes in a
// fresh still on request, on the same thread (one camera, one owner), with the read options of the
// camera URI (role=, formats=, retry_budget=; vision/barcode_reader.h).
//
// Thread contract: capture(), readCodes() and inFlight() are thread-bound (the station loop); the
// callbacks run on the loop.
class CameraService
{
public:
    using Deliver = std::function<void(PhotoResult)>;
    using DeliverCodes = std::function<void(CameraCodes)>;

    CameraService(EventLoop& loop, std::optional<vision::CameraSource> source, std::filesystem::path photoDir,
                  int jpegQuality, Deliver deliver);
    ~CameraService();

    bool configured() const { return source_.has_value(); }
    void capture(const std::string& inspectionId, const std::string& view);
    void readCodes(DeliverCodes deliver);
    std::size_t inFlight() const { return inFlight_; }
    std::string status() const;
    void stop();

private:
    struct Device; // worker-side state

    // On the worker: a still from the camera, opened on first use and dropped when it goes offline.
    static std::optional<cv::Mat> grab(Device& device, std::string& detail);
    // On the loop: the camera's online state after a grab.
    void noteGrab(bool ok, const std::string& detail);

    EventLoop& loop_;
    std::optional<vision::CameraSource> source_;
    Deliver deliver_;
    std::shared_ptr<Device> device_;
    std::unique_ptr<Worker> worker_;
    std::size_t inFlight_ = 0;
    bool online_ = true;
};

} // namespace retour::station
