#include "serial/serial_factory.h"

#include "retour/drivers/protocol/weight_units.h"
#include "retour/drivers/scale_control.h"
#include "scale/hidraw_scale.h"
#include "scale/serial_scale.h"
#include "scale/text_util.h"
#include "scanner/serial_scanner.h"
#include "uri/uri_params.h"

#include <initializer_list>

namespace retour::drivers {

ScaleControl* scaleControl(InputDevice& device)
{
    return dynamic_cast<ScaleControl*>(&device);
}

Result<void> ScaleControl::tare(bool /*clear*/)
{
    return std::unexpected(Error{ErrorCode::NotSupported, "this scale cannot be tared by the host"});
}

namespace detail {

Result<protocol::StableWeightOptions> stableWeightOptions(const DeviceUri& uri)
{
    using Mode = protocol::StableWeightOptions::Mode;
    protocol::StableWeightOptions options;
    if (const auto mode = uri.param("stable")) {
        if (*mode == "device") {
            options.mode = Mode::Device;
        } else if (*mode == "agree") {
            options.mode = Mode::Agree;
        } else if (*mode == "both") {
            options.mode = Mode::Both;
        } else {
            return std::unexpected(uriError(uri, "stable=" + *mode + ": use device, agree or both"));
        }
    }
    auto count = rangedParam(uri, "agree_count", 3, 1, 100);
    if (!count) {
        return std::unexpected(count.error());
    }
    options.agreeCount = static_cast<std::size_t>(*count);
    if (const auto window = uri.param("agree_window_g")) {
        const auto value = parseDecimal(*window);
        if (!value || *value < 0 || *value > 100000) {
            return std::unexpected(
                uriError(uri, "agree_window_g=" + *window + ": give grams, 0-100000 (e.g. 2 or 0.5)"));
        }
        options.agreeWindowGrams = *value;
    }
    return options;
}

namespace {

Result<std::unique_ptr<InputDevice>> makeSerialScale(const DeviceUri& uri, const std::string& name)
{
    const bool tcp = uri.scheme == "tcp";
    const bool toledo = name == "toledo";
    const bool continuous = name == "toledo-continuous";
    // Four calls: an initializer_list's array lives only until the end of its full expression.
    Result<void> ok;
    if (toledo || continuous) {
        const char* extra = toledo ? "unit" : "checksum";
        ok = tcp ? checkParams(uri, {"protocol", "poll_ms", "timeout_ms", "missed", "mode", "stable",
                                     "agree_count", "agree_window_g", extra})
                 : checkParams(uri, {"protocol", "baud", "frame", "flow", "poll_ms", "timeout_ms", "missed",
                                     "mode", "stable", "agree_count", "agree_window_g", extra});
    } else {
        ok = tcp ? checkParams(uri, {"protocol", "poll_ms", "timeout_ms", "missed", "mode", "stable",
                                     "agree_count", "agree_window_g"})
                 : checkParams(uri, {"protocol", "baud", "frame", "flow", "poll_ms", "timeout_ms", "missed",
                                     "mode", "stable", "agree_count", "agree_window_g"});
    }
    if (!ok) {
        return std::unexpected(ok.error());
    }
    SerialScaleOptions options;
    SerialScale::ProtocolFactory factory;
    SerialSettings defaults;
    if (name == "mt-sics") {
        factory = makeMtSicsProtocol;
    } else if (name == "sma") {
        factory = makeSmaProtocol;
    } else if (toledo) {
        // The demand reply carries no unit (docs/protocols/serial-scales.md §4): the scale's setting, lb by
        // default.
        std::string unit = uri.param("unit").value_or("lb");
        if (!protocol::gramsPerUnitSymbol(unit)) {
            return std::unexpected(
                uriError(uri, "unit=" + unit + ": use g, kg, lb or oz (the scale's unit)"));
        }
        factory = [unit] { return makeToledoDemandProtocol(unit); };
        // Status bytes carry parity in bit 7 (docs/protocols/serial-scales.md §4): 7 data bits, even parity
        // unless frame= says so.
        defaults.dataBits = 7;
        defaults.parity = 'E';
    } else if (continuous) {
        auto checksum = rangedParam(uri, "checksum", 1, 0, 1);
        if (!checksum) {
            return std::unexpected(checksum.error());
        }
        factory = [sum = *checksum == 1] { return makeToledoContinuousProtocol(sum); };
        defaults.dataBits = 7;
        defaults.parity = 'E';
    } else {
        factory = makeNciProtocol;
        // POS scales speaking NCI commonly run 9600 7E1 (docs/protocols/serial-scales.md §3).
        defaults.dataBits = 7;
        defaults.parity = 'E';
    }
    if (tcp) {
        auto hostPort = uri.hostPort();
        if (!hostPort) {
            return std::unexpected(hostPort.error());
        }
        options.host = hostPort->host;
        options.port = hostPort->port;
    } else {
        if (uri.target.empty()) {
            return std::unexpected(uriError(uri, "no device path: write tty:/dev/ttyUSB0?protocol=" + name));
        }
        options.path = uri.target;
        auto line = parseSerialSettings(uri, defaults);
        if (!line) {
            return std::unexpected(line.error());
        }
        options.line = *line;
    }
    auto poll = rangedParam(uri, "poll_ms", 200, 10, 60000);
    auto timeout = rangedParam(uri, "timeout_ms", 1000, 10, 60000);
    auto missed = rangedParam(uri, "missed", 3, 1, 1000);
    for (const auto* value : {&poll, &timeout, &missed}) {
        if (!*value) {
            return std::unexpected(value->error());
        }
    }
    options.pollInterval = std::chrono::milliseconds(*poll);
    options.replyTimeout = std::chrono::milliseconds(*timeout);
    options.maxMissed = static_cast<int>(*missed);
    options.stream = continuous; // the scale streams unasked
    if (const auto mode = uri.param("mode")) {
        if (continuous && *mode != "stream") {
            return std::unexpected(uriError(uri, "mode=" + *mode + ": toledo-continuous scales stream"));
        }
        if (*mode == "stream") {
            options.stream = true;
        } else if (*mode != "poll") {
            return std::unexpected(uriError(uri, "mode=" + *mode + ": use poll or stream"));
        }
    }
    if (options.stream && (name == "nci" || toledo)) {
        return std::unexpected(
            uriError(uri, "mode=stream: " + std::string(toledo ? "Toledo 8213 demand" : "NCI") +
                              " scales can only be polled (toledo-continuous streams)"));
    }
    auto stable = stableWeightOptions(uri);
    if (!stable) {
        return std::unexpected(stable.error());
    }
    options.stable = *stable;
    return std::make_unique<SerialScale>(uri, std::move(options), std::move(factory));
}

Result<std::unique_ptr<InputDevice>> makeSerialScanner(const DeviceUri& uri)
{
    if (auto ok = checkParams(
            uri, {"protocol", "baud", "frame", "flow", "prefix", "suffix", "idle_ms", "gs", "aim"});
        !ok) {
        return std::unexpected(ok.error());
    }
    if (uri.target.empty()) {
        return std::unexpected(
            uriError(uri, "no device path: write tty:/dev/ttyACM0?protocol=serial-scanner"));
    }
    auto line = parseSerialSettings(uri);
    if (!line) {
        return std::unexpected(line.error());
    }
    protocol::SerialScannerOptions options;
    options.prefix = uri.param("prefix").value_or("");
    options.suffix = uri.param("suffix").value_or("\r");
    auto idle = rangedParam(uri, "idle_ms", options.suffix.empty() ? 50 : 0, 0, 10000);
    if (!idle) {
        return std::unexpected(idle.error());
    }
    options.idleGap = std::chrono::milliseconds(*idle);
    if (options.suffix.empty() && options.idleGap.count() == 0) {
        return std::unexpected(uriError(uri,
                                        "suffix= is empty: a scan then ends only by the idle gap, so idle_ms "
                                        "must be > 0"));
    }
    if (const auto gs = uri.param("gs")) {
        if (gs->empty()) {
            return std::unexpected(uriError(uri, "gs= is empty: give the text the scanner sends for GS, "
                                                 "percent-encoded (e.g. gs=%3CGS%3E for <GS>)"));
        }
        options.gsSubstitute = *gs;
    }
    auto aim = rangedParam(uri, "aim", 1, 0, 1);
    if (!aim) {
        return std::unexpected(aim.error());
    }
    options.parseAim = *aim == 1;
    return std::make_unique<SerialScanner>(uri, uri.target, *line, std::move(options));
}

} // namespace

Result<std::unique_ptr<InputDevice>> makeSerialInput(const DeviceUri& uri)
{
    const std::string name = uri.param("protocol").value_or("");
    if (name == "mt-sics" || name == "sma" || name == "nci" || name == "toledo" ||
        name == "toledo-continuous") {
        return makeSerialScale(uri, name);
    }
    if (name == "serial-scanner" && uri.scheme == "tty") {
        return makeSerialScanner(uri);
    }
    return std::unexpected(uriError(uri, "protocol=" + name + " is not an input device on " + uri.scheme +
                                             ": (use mt-sics, sma, nci, toledo, toledo-continuous" +
                                             (uri.scheme == "tty" ? ", serial-scanner)" : ")")));
}

Result<std::unique_ptr<InputDevice>> makeHidrawScale(const DeviceUri& uri)
{
    if (auto ok = checkParams(uri, {"kind", "stable", "agree_count", "agree_window_g"}); !ok) {
        return std::unexpected(ok.error());
    }
    if (uri.target.empty()) {
        return std::unexpected(uriError(uri, "no device path: write hidraw:/dev/hidraw0"));
    }
    auto stable = stableWeightOptions(uri);
    if (!stable) {
        return std::unexpected(stable.error());
    }
    return std::make_unique<HidrawScale>(uri, *stable);
}

} // namespace detail

} // namespace retour::drivers
