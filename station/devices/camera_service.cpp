#include "devices/camera_service.h"

#include "retour/vision/photo_quality.h"
#include "retour/vision/photo_store.h"

#include <spdlog/spdlog.h>

namespace retour::station {

vision::CameraSource cameraSourceFrom(const drivers::DeviceUri& uri)
{
    vision::CameraSource source;
    source.scheme = uri.scheme;
    // Network sources keep the whole URL; the others name a path, device or pipeline.
    const bool url = uri.scheme == "rtsp" || uri.scheme == "http" || uri.scheme == "https";
    source.location = url ? uri.text : uri.target;
    source.params = uri.params;
    source.text = uri.text;
    return source;
}

struct CameraService::Device
{
    vision::CameraSource source;
    vision::PhotoStore store;
    vision::QualityThresholds thresholds;
    vision::ReadOptions reading;
    std::unique_ptr<vision::Camera> camera;
    cv::Mat previous; // the last still, for the frozen-camera check
};

CameraService::CameraService(EventLoop& loop, std::optional<vision::CameraSource> source,
                             std::filesystem::path photoDir, int jpegQuality, Deliver deliver)
    : loop_(loop), source_(std::move(source)), deliver_(std::move(deliver))
{
    if (source_) {
        // Quality thresholds come from the camera URI (focus_min, clip_max, crush_max, frozen_min).
        auto thresholds = vision::qualityThresholdsFrom(source_->params);
        if (!thresholds) {
            spdlog::error("camera {}: {}; using the default quality thresholds", source_->text,
                          thresholds.error().message);
        }
        auto reading = vision::readOptionsFrom(source_->params);
        if (!reading) {
            spdlog::error("camera {}: {}; reading every format", source_->text, reading.error().message);
        }
        device_ = std::make_shared<Device>(Device{*source_,
                                                  vision::PhotoStore(std::move(photoDir), jpegQuality),
                                                  thresholds.value_or(vision::QualityThresholds{}),
                                                  reading.value_or(vision::ReadOptions{}),
                                                  {},
                                                  {}});
        worker_ = std::make_unique<Worker>("retour-camera");
    }
}

CameraService::~CameraService()
{
    stop();
}

void CameraService::stop()
{
    if (worker_) {
        worker_->stop();
    }
}

std::string CameraService::status() const
{
    if (!source_) {
        return "none";
    }
    return online_ ? "online" : "offline";
}

std::optional<cv::Mat> CameraService::grab(Device& device, std::string& detail)
{
    if (!device.camera) {
        auto opened = vision::openCamera(device.source);
        if (!opened) {
            detail = opened.error().message;
            return std::nullopt;
        }
        device.camera = std::move(*opened);
    }
    auto frame = device.camera->still();
    if (!frame) {
        detail = frame.error().message;
        if (frame.error().code == vision::ErrorCode::CameraOffline) {
            device.camera.reset();
            device.previous.release();
        }
        return std::nullopt;
    }
    return std::move(*frame);
}

void CameraService::noteGrab(bool ok, const std::string& detail)
{
    if (!ok && online_) {
        spdlog::warn("camera offline: {}", detail);
    }
    online_ = ok;
}

void CameraService::capture(const std::string& inspectionId, const std::string& view)
{
    if (!source_) {
        // Posted, not called: the caller is in the middle of dispatching workflow commands.
        loop_.post([this, inspectionId, view] {
            deliver_(PhotoResult{inspectionId, view, std::nullopt, "camera offline"});
        });
        return;
    }
    ++inFlight_;
    worker_->post([this, device = device_, inspectionId, view] {
        PhotoResult result{inspectionId, view, std::nullopt, {}};
        std::string detail;
        if (auto frame = grab(*device, detail)) {
            if (auto stored = device->store.store(*frame); stored) {
                const auto quality = vision::assessPhoto(*frame, device->previous, device->thresholds);
                device->previous = *frame;
                result.photo = PhotoRef{stored->sha256,
                                        view,
                                        stored->bytes,
                                        stored->width,
                                        stored->height,
                                        quality.focus,
                                        quality.exposure.clipped,
                                        quality.exposure.crushed,
                                        quality.change,
                                        quality.retakeReason()};
            } else {
                detail = stored.error().message;
                result.failure = "photo not stored: " + detail;
            }
        }
        if (!result.photo && result.failure.empty()) {
            result.failure = "camera offline";
        }
        loop_.post([this, result = std::move(result), detail] {
            --inFlight_;
            noteGrab(result.photo.has_value(), detail);
            deliver_(result);
        });
    });
}

void CameraService::readCodes(DeliverCodes deliver)
{
    if (!source_) {
        loop_.post([deliver = std::move(deliver)] { deliver(CameraCodes{{}, "no camera configured"}); });
        return;
    }
    ++inFlight_;
    worker_->post([this, device = device_, deliver = std::move(deliver)]() mutable {
        CameraCodes result;
        std::string detail;
        const auto frame = grab(*device, detail);
        if (frame) {
            result.codes = vision::readBarcodes(*frame, device->reading);
        } else {
            result.failure = "camera offline: " + detail;
        }
        loop_.post(
            [this, result = std::move(result), detail, ok = frame.has_value(), deliver = std::move(deliver)] {
                --inFlight_;
                noteGrab(ok, detail);
                deliver(result);
            });
    });
}

} // namespace retour::station
