#include "printer/tcp_zpl_printer.h"
#include "printer/usb_printer.h"
#include "printer/usblp_printer.h"
#include "retour/drivers/device.h"
#include "retour/drivers/protocol/keyboard_wedge.h"
#include "retour/drivers/sim.h"
#include "scale/usb_scale.h"
#include "scanner/evdev_scanner.h"
#include "scanner/hid_pos_scanner_hidraw.h"
#include "serial/serial_factory.h"
#include "sim/sim_devices.h"
#include "uri/uri_params.h"

#include <initializer_list>

namespace retour::drivers {

namespace {

using detail::checkParams;
using detail::rangedParam;
using detail::uriError;

Result<std::unique_ptr<InputDevice>> makeEvdevScanner(const DeviceUri& uri)
{
    if (auto ok = checkParams(uri, {"gs", "terminator", "idle_ms", "aim"}); !ok) {
        return std::unexpected(ok.error());
    }
    protocol::KeyboardWedgeOptions options;
    if (const auto gs = uri.param("gs")) {
        if (gs->empty()) {
            return std::unexpected(uriError(uri, "gs= is empty: give the text the scanner sends for GS, "
                                                 "percent-encoded (e.g. gs=%3CGS%3E for <GS>)"));
        }
        options.gsSubstitute = *gs;
    }
    if (const auto terminator = uri.param("terminator")) {
        using T = protocol::KeyboardWedgeOptions::Terminator;
        if (*terminator == "enter") {
            options.terminator = T::Enter;
        } else if (*terminator == "tab") {
            options.terminator = T::Tab;
        } else if (*terminator == "none") {
            options.terminator = T::None;
        } else {
            return std::unexpected(uriError(uri, "terminator='" + *terminator + "': use enter, tab or none"));
        }
    }
    auto idle = rangedParam(uri, "idle_ms", 80, 0, 10000);
    if (!idle) {
        return std::unexpected(idle.error());
    }
    options.idleGap = std::chrono::milliseconds(*idle);
    auto aim = rangedParam(uri, "aim", 1, 0, 1);
    if (!aim) {
        return std::unexpected(aim.error());
    }
    options.parseAim = *aim == 1;
    if (options.terminator == protocol::KeyboardWedgeOptions::Terminator::None &&
        options.idleGap.count() == 0) {
        return std::unexpected(
            uriError(uri, "terminator=none needs an idle gap (idle_ms > 0) to end a scan"));
    }
    return std::make_unique<detail::EvdevScanner>(uri, std::move(options));
}

Result<std::unique_ptr<InputDevice>> makeUsbInput(const DeviceUri& uri)
{
    if (auto ok = checkParams(uri, {"serial", "stable", "agree_count", "agree_window_g"}); !ok) {
        return std::unexpected(ok.error());
    }
    auto id = uri.usbId();
    if (!id) {
        return std::unexpected(id.error());
    }
    if (probeDeviceKind(uri) == DeviceKind::Printer) {
        return std::unexpected(uriError(uri, "this USB device is a printer (interface class 7), not a "
                                             "scanner or scale"));
    }
    // The only USB input device class driven so far is the HID POS scale; open() checks that
    // interface 0 is HID with an interrupt IN endpoint.
    auto stable = detail::stableWeightOptions(uri);
    if (!stable) {
        return std::unexpected(stable.error());
    }
    return std::make_unique<detail::UsbHidScale>(uri, id->vendor, id->product, uri.param("serial"), *stable);
}

Result<std::unique_ptr<InputDevice>> makeSimInput(const DeviceUri& uri, const DeviceContext& context)
{
    if (uri.target == "printer") {
        return std::unexpected(uriError(uri, "sim:printer is a printer, not an input device"));
    }
    if (auto ok = checkParams(uri, {"script"}); !ok) {
        return std::unexpected(ok.error());
    }
    const auto script = uri.param("script");
    if (!script || script->empty()) {
        return std::unexpected(uriError(uri, "sim:" + uri.target + " needs ?script=FILE (a scenario file)"));
    }
    if (context.sim == nullptr) {
        return std::unexpected(
            Error{ErrorCode::NotSupported,
                  "device URI '" + uri.text + "': sim devices need a SimWorld (DeviceContext::sim)"});
    }
    if (uri.target == "scanner") {
        return std::make_unique<detail::SimScanner>(uri, *context.sim, *script);
    }
    return std::make_unique<detail::SimScale>(uri, *context.sim, *script);
}

Error notImplemented(const DeviceUri& uri, std::string_view what)
{
    return Error{ErrorCode::NotSupported, "device URI '" + uri.text + "': " + std::string(what) +
                                              " is not supported by this version yet"};
}

} // namespace

Result<std::unique_ptr<InputDevice>> makeInputDevice(const DeviceUri& uri, const DeviceContext& context)
{
    if (uri.scheme == "evdev") {
        return makeEvdevScanner(uri);
    }
    if (uri.scheme == "usb") {
        return makeUsbInput(uri);
    }
    if (uri.scheme == "sim") {
        return makeSimInput(uri, context);
    }
    const DeviceKind kind = kindOf(uri);
    if (uri.scheme == "hidraw" && probeDeviceKind(uri) == DeviceKind::Scanner) {
        if (auto ok = checkParams(uri, {}); !ok) {
            return std::unexpected(ok.error());
        }
        return std::make_unique<detail::HidrawPosScanner>(uri);
    }
    if (uri.scheme == "hidraw") {
        // Not a HID POS scanner (usage page 0x8C): a HID POS scale, whose open() reads its reports.
        return detail::makeHidrawScale(uri);
    }
    if ((uri.scheme == "tty" || uri.scheme == "tcp") &&
        (kind == DeviceKind::Scale || kind == DeviceKind::Scanner)) {
        return detail::makeSerialInput(uri);
    }
    return std::unexpected(Error{ErrorCode::InvalidUri, "device URI '" + uri.text + "' names a " +
                                                            toString(kind) + ", not a scanner or scale"});
}

Result<std::unique_ptr<LabelPrinter>> makeLabelPrinter(const DeviceUri& uri, const DeviceContext& context)
{
    if (uri.scheme == "tcp" && uri.param("protocol") == "zpl") {
        if (auto ok = checkParams(uri, {"protocol", "timeout_ms"}); !ok) {
            return std::unexpected(ok.error());
        }
        auto hostPort = uri.hostPort();
        if (!hostPort) {
            return std::unexpected(hostPort.error());
        }
        auto timeout = rangedParam(uri, "timeout_ms", 3000, 1, 600000);
        if (!timeout) {
            return std::unexpected(timeout.error());
        }
        return std::make_unique<detail::TcpZplPrinter>(uri, hostPort->host, hostPort->port,
                                                       std::chrono::milliseconds(*timeout));
    }
    if (uri.scheme == "sim" && uri.target == "printer") {
        if (auto ok = checkParams(uri, {"out", "status", "script"}); !ok) {
            return std::unexpected(ok.error());
        }
        const auto out = uri.param("out");
        if (!out || out->empty()) {
            return std::unexpected(
                uriError(uri, "sim:printer needs ?out=DIR (where the labels are written)"));
        }
        const auto state = detail::simPrinterState(uri.param("status").value_or("ready"));
        if (!state) {
            return std::unexpected(uriError(uri, "status='" + *uri.param("status") +
                                                     "': use ready, paper-out, head-open, paused or "
                                                     "ribbon-out"));
        }
        std::shared_ptr<SimPrinterSwitch> scenario;
        if (const auto script = uri.param("script")) {
            if (context.sim == nullptr) {
                return std::unexpected(Error{ErrorCode::InvalidUri, "device URI '" + uri.text +
                                                                        "': script= needs a SimWorld "
                                                                        "(DeviceContext::sim)"});
            }
            auto cursor = context.sim->cursor(*script);
            if (!cursor) {
                Error error = cursor.error();
                error.message = "device " + uri.text + ": " + error.message;
                return std::unexpected(error);
            }
            scenario = (*cursor)->printer;
        }
        return std::make_unique<detail::SimPrinter>(uri, *out, *state, std::move(scenario));
    }
    if (uri.scheme == "usb") {
        if (auto ok = checkParams(uri, {"serial", "timeout_ms"}); !ok) {
            return std::unexpected(ok.error());
        }
        auto id = uri.usbId();
        if (!id) {
            return std::unexpected(id.error());
        }
        auto timeout = rangedParam(uri, "timeout_ms", 3000, 1, 600000);
        if (!timeout) {
            return std::unexpected(timeout.error());
        }
        return std::make_unique<detail::UsbPrinter>(uri, id->vendor, id->product, uri.param("serial"),
                                                    std::chrono::milliseconds(*timeout));
    }
    if (uri.scheme == "usblp") {
        if (auto ok = checkParams(uri, {"bidi", "timeout_ms"}); !ok) {
            return std::unexpected(ok.error());
        }
        auto bidi = rangedParam(uri, "bidi", 1, 0, 1);
        if (!bidi) {
            return std::unexpected(bidi.error());
        }
        auto timeout = rangedParam(uri, "timeout_ms", 3000, 1, 600000);
        if (!timeout) {
            return std::unexpected(timeout.error());
        }
        return std::make_unique<detail::UsblpPrinter>(uri, *bidi == 1, std::chrono::milliseconds(*timeout),
                                                      detail::makeIoctlLpStatus());
    }
    if (uri.scheme == "tty" && uri.param("protocol") == "zpl") {
        return std::unexpected(notImplemented(uri, uri.scheme + ": printers"));
    }
    return std::unexpected(Error{ErrorCode::InvalidUri, "device URI '" + uri.text + "' names a " +
                                                            toString(kindOf(uri)) + ", not a label printer"});
}

} // namespace retour::drivers
