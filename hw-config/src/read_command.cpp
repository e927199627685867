#include "read_command.h"

#include "retour/drivers/device.h"
#include "retour/drivers/scale_control.h"
#include "retour/drivers/sim.h"
#include "retour/vision/barcode_reader.h"
#include "retour/vision/camera.h"
#include "retour/vision/photo_quality.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>
#include <poll.h>
#include <type_traits>

namespace retour::hwconfig {

int fail(std::ostream& err, std::string_view message, int status)
{
    err << "retour-hw-config: " << message << '\n';
    return status;
}

int fail(std::ostream& err, const drivers::Error& error)
{
    return fail(err, error.message, error.code == drivers::ErrorCode::InvalidUri ? 2 : 1);
}

namespace {

using drivers::Clock;
using json = nlohmann::ordered_json; // keys in the documented order
template <typename T> using Result = drivers::Result<T>;

// GS shown as <GS> for a terminal.
std::string printableText(const std::string& text)
{
    std::string out;
    for (char c : text)
        out += c == '\x1d' ? std::string("<GS>") : std::string(1, c);
    return out;
}

std::string dump(const json& value)
{
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace

nlohmann::ordered_json statusJson(const drivers::PrinterStatus& s)
{
    return {{"type", "printer"},       {"ready", s.ready},   {"paper_out", s.paperOut},
            {"head_open", s.headOpen}, {"paused", s.paused}, {"ribbon_out", s.ribbonOut}};
}

// stable|in_motion|zero|under_zero|overload|fault|calibrate|rezero (docs/technician.md).
std::string weightStatusName(const drivers::Weight& w)
{
    switch (w.status) {
    case drivers::WeightStatus::Stable:
        return w.grams == 0 ? "zero" : "stable";
    case drivers::WeightStatus::InMotion:
        return "in_motion";
    case drivers::WeightStatus::UnderZero:
        return "under_zero";
    case drivers::WeightStatus::Overload:
        return "overload";
    case drivers::WeightStatus::NeedsZero:
        return "rezero";
    case drivers::WeightStatus::NeedsCalibration:
        return "calibrate";
    case drivers::WeightStatus::Fault:
        return "fault";
    default: {
        std::string name = drivers::toString(w.status);
        for (char& c : name) {
            c = c == '-' ? '_' : c;
        }
        return name;
    }
    }
}

namespace {

json eventJson(const drivers::DeviceEvent& event)
{
    return std::visit(
        [](const auto& e) -> json {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, drivers::Scan>) {
                json scan = {
                    {"type", "scan"}, {"text", e.text}, {"aim", e.aimId}, {"symbology", e.symbology}};
                if (!e.gs1.empty()) {
                    json ais = json::object();
                    for (const auto& element : e.gs1) {
                        ais[element.ai] = element.value;
                    }
                    scan["gs1"] = ais;
                }
                if (!e.gs1Error.empty()) {
                    scan["gs1_error"] = e.gs1Error;
                }
                return scan;
            } else if constexpr (std::is_same_v<T, drivers::Weight>) {
                return {{"type", "weight"},
                        {"grams", e.grams},
                        {"stable", e.stable},
                        {"status", weightStatusName(e)},
                        {"unit", e.deviceUnit}};
            } else if constexpr (std::is_same_v<T, drivers::PrinterStatus>) {
                return statusJson(e);
            } else if constexpr (std::is_same_v<T, drivers::DeviceOnline>) {
                return {{"type", "online"}};
            } else if constexpr (std::is_same_v<T, drivers::DeviceOffline>) {
                return {{"type", "offline"}, {"reason", e.reason}};
            } else if constexpr (std::is_same_v<T, drivers::ZeroResult>) {
                json zero = {{"type", "zero"}, {"ok", e.ok}};
                if (!e.ok) {
                    zero["reason"] = e.reason;
                }
                return zero;
            } else if constexpr (std::is_same_v<T, drivers::TareResult>) {
                json tare = {{"type", "tare"}, {"ok", e.ok}};
                if (e.grams) {
                    tare["grams"] = *e.grams;
                    tare["unit"] = e.deviceUnit;
                } else {
                    tare["grams"] = nullptr;
                }
                if (!e.ok) {
                    tare["reason"] = e.reason;
                }
                return tare;
            } else {
                static_assert(std::is_same_v<T, drivers::PrintResult>);
                return {{"type", "print"}, {"job_id", e.jobId}, {"printed", e.printed}, {"reason", e.reason}};
            }
        },
        event);
}

std::string eventText(const json& e)
{
    const std::string type = e["type"];
    if (type == "scan") {
        std::string line = "scan    " + printableText(e["text"].get<std::string>()) + "  [" +
                           e["symbology"].get<std::string>() +
                           (e["aim"].get<std::string>().empty() ? "" : " " + e["aim"].get<std::string>()) +
                           "]";
        if (e.contains("gs1")) {
            for (const auto& [ai, value] : e["gs1"].items())
                line += " (" + ai + ")" + value.get<std::string>();
        }
        if (e.contains("gs1_error"))
            line += "  malformed GS1: " + e["gs1_error"].get<std::string>();
        return line;
    }
    if (type == "weight")
        return "weight  " + std::to_string(e["grams"].get<double>()) + " g  " +
               e["status"].get<std::string>();
    if (type == "online")
        return "online";
    if (type == "printer")
        return std::string("printer ") + (e["ready"].get<bool>() ? "ready" : "NOT ready") +
               (e["paper_out"].get<bool>() ? ", paper out" : "") +
               (e["head_open"].get<bool>() ? ", head open" : "") +
               (e["paused"].get<bool>() ? ", paused" : "") +
               (e["ribbon_out"].get<bool>() ? ", ribbon out" : "");
    if (type == "offline")
        return "offline " + e["reason"].get<std::string>();
    if (type == "zero")
        return e["ok"].get<bool>() ? "zero    done" : "zero    refused: " + e["reason"].get<std::string>();
    if (type == "tare") {
        if (!e["ok"].get<bool>())
            return "tare    refused: " + e["reason"].get<std::string>();
        return e["grams"].is_null() ? std::string("tare    done")
                                    : "tare    " + std::to_string(e["grams"].get<double>()) + " g";
    }
    return dump(e);
}

void emit(const json& e, bool asJson, std::ostream& out)
{
    out << (asJson ? dump(e) : eventText(e)) << '\n' << std::flush;
}

bool isCameraScheme(const std::string& scheme)
{
    return scheme == "file" || scheme == "v4l2" || scheme == "rtsp" || scheme == "http" || scheme == "gst";
}

int readCamera(const drivers::DeviceUri& uri, const ReadRequest& request, std::ostream& out,
               std::ostream& err)
{
    vision::CameraSource source{uri.scheme, uri.target, uri.params, uri.text};
    if (uri.scheme == "rtsp" || uri.scheme == "http")
        source.location = uri.text;
    auto camera = vision::openCamera(source);
    if (!camera) {
        return fail(err, camera.error().message);
    }
    const auto readOptions = vision::readOptionsFrom(uri.params);
    if (!readOptions) {
        err << "retour-hw-config: " << uri.text << ": " << readOptions.error().message << '\n';
        return 2;
    }
    const int frames = request.count > 0 ? request.count : 1;
    for (int i = 0; i < frames; ++i) {
        auto frame = (*camera)->still();
        if (!frame) {
            return fail(err, frame.error().message);
        }
        json codes = json::array();
        for (const auto& code : vision::readBarcodes(*frame, *readOptions)) {
            codes.push_back({{"text", code.text},
                             {"format", code.format},
                             {"aim", code.aimId},
                             {"position", code.position}});
        }
        const double focus = vision::focusScore(*frame);
        const auto exposure = vision::exposureScore(*frame);
        json e = {{"type", "frame"},
                  {"width", frame->cols},
                  {"height", frame->rows},
                  {"codes", codes},
                  {"focus", focus},
                  {"exposure",
                   {{"clipped", exposure.clipped}, {"crushed", exposure.crushed}, {"mean", exposure.mean}}}};
        if (request.json) {
            out << dump(e) << '\n';
        } else {
            char quality[96];
            std::snprintf(quality, sizeof quality, ", focus %.0f, %.0f%% clipped, %.0f%% crushed", focus,
                          exposure.clipped * 100, exposure.crushed * 100);
            out << "frame   " << frame->cols << "x" << frame->rows << ", " << codes.size() << " code(s)"
                << quality << '\n';
            for (const auto& c : codes)
                out << "  " << c["format"].get<std::string>() << "  " << c["text"].get<std::string>() << '\n';
        }
    }
    return 0;
}

int readPrinter(const drivers::DeviceUri& uri, const ReadRequest& request, drivers::DeviceContext& context,
                std::ostream& out, std::ostream& err)
{
    auto printer = drivers::makeLabelPrinter(uri, context);
    if (!printer) {
        return fail(err, printer.error());
    }
    const int count = request.count > 0 ? request.count : 1;
    for (int i = 0; i < count; ++i) {
        auto status = (*printer)->status();
        if (!status) {
            return fail(err, status.error().message);
        }
        emit(statusJson(*status), request.json, out);
    }
    return 0;
}

int readInput(const drivers::DeviceUri& uri, const ReadRequest& request, drivers::DeviceContext& context,
              std::ostream& out, std::ostream& err)
{
    auto device = drivers::makeInputDevice(uri, context);
    if (!device) {
        return fail(err, device.error());
    }
    if (auto opened = (*device)->open(); !opened) {
        return fail(err, opened.error().message);
    }
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(request.timeoutSeconds));
    int readings = 0;
    bool control = request.zero || request.tare || request.clearTare; // still to be sent
    while (Clock::now() < deadline) {
        const auto wake = std::min(deadline, (*device)->nextDeadline());
        const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(wake - Clock::now()).count();
        pollfd pfd{(*device)->fd(), POLLIN, 0};
        const int timeout = static_cast<int>(std::clamp<long long>(wait + 1, 0, 1000));
        if (pfd.fd >= 0)
            ::poll(&pfd, 1, timeout);
        else
            ::poll(nullptr, 0, timeout);
        for (const auto& event : (*device)->service(Clock::now())) {
            emit(eventJson(event), request.json, out);
            if (std::holds_alternative<drivers::Scan>(event) ||
                std::holds_alternative<drivers::Weight>(event) ||
                std::holds_alternative<drivers::ZeroResult>(event) ||
                std::holds_alternative<drivers::TareResult>(event))
                ++readings;
            if (std::holds_alternative<drivers::DeviceOffline>(event))
                return 1;
            // After the first reading: the scale is online and its poll answered, so the command
            // does not overtake the identify or the first poll.
            if (control && std::holds_alternative<drivers::Weight>(event)) {
                auto* scale = drivers::scaleControl(**device);
                auto sent = scale == nullptr
                                ? Result<void>(std::unexpected(drivers::Error{
                                      drivers::ErrorCode::NotSupported, uri.text + " is not a scale"}))
                                : (request.zero ? scale->zero() : scale->tare(request.clearTare));
                if (!sent) {
                    return fail(err, sent.error().message);
                }
                control = false;
            }
        }
        if (request.count > 0 && readings >= request.count)
            return 0;
    }
    if (request.count > 0) {
        err << "retour-hw-config: " << uri.text << ": " << readings << " of " << request.count
            << " readings before the timeout\n";
        return 1;
    }
    return 0;
}

} // namespace

int runRead(const ReadRequest& request, std::ostream& out, std::ostream& err)
{
    auto uri = drivers::parseDeviceUri(request.uri);
    if (!uri) {
        return fail(err, uri.error().message, 2);
    }
    if (isCameraScheme(uri->scheme))
        return readCamera(*uri, request, out, err);
    drivers::SimWorld sim;
    drivers::DeviceContext context{&sim};
    if (drivers::probeDeviceKind(*uri) == drivers::DeviceKind::Printer)
        return readPrinter(*uri, request, context, out, err);
    return readInput(*uri, request, context, out, err);
}

} // namespace retour::hwconfig
