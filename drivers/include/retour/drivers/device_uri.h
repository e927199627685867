#pragma once

#include "retour/drivers/error.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace retour::drivers {

// A device named as in docs/architecture.md "Devices":
//   usb:0922:8003[?serial=…]           hidraw:/dev/hidraw3
//   evdev:/dev/input/by-id/…-event-kbd tty:/dev/ttyUSB0?protocol=mt-sics&baud=9600&frame=8N1
//   tcp:192.0.2.10:9100?protocol=zpl   usblp:/dev/usb/lp0
//   v4l2:/dev/video0?width=1920&…      rtsp://…  http://…  gst:<pipeline>
//   file:/path/frame_%03d.png          sim:<kind>?script=…
// Query values are percent-decoded (keys are [A-Za-z0-9_.-]); a key given twice is an error.
// gst: takes the rest of the text verbatim as the pipeline (no query). rtsp: and http: keep the
// whole URL, query included, in target (it belongs to the camera). tcp: and tty: need protocol=
// (zpl, mt-sics, sma, nci, toledo, toledo-continuous; tty also serial-scanner). Parsing is pure and
// reentrant.
struct DeviceUri
{
    std::string scheme; // "usb", "hidraw", "evdev", "tty", "tcp", "usblp", "v4l2", "rtsp", "http", "gst",
                        // "file", "sim" (lower-cased)
    std::string target; // the part between "scheme:" and "?": a path, "host:port", "VID:PID", a kind
                        // (gst: the pipeline; rtsp/http: the complete URL)
    std::map<std::string, std::string> params;
    std::string text; // the URI as written, for messages

    std::optional<std::string> param(std::string_view key) const;
    // Integer parameter, or the fallback when absent; an unparsable value is an InvalidUri error.
    Result<long> intParam(std::string_view key, long fallback) const;

    // For tcp: host and port split from target. For usb: vendor and product ids.
    struct HostPort
    {
        std::string host;
        int port;
    };
    Result<HostPort> hostPort() const;
    struct UsbId
    {
        unsigned vendor;
        unsigned product;
    };
    Result<UsbId> usbId() const;
};

// What kind of device a URI names, from its scheme and protocol= parameter.
enum class DeviceKind
{
    Scanner,
    Scale,
    Printer,
    Camera,
    Unknown
};
const char* toString(DeviceKind kind);

// Parse a URI; the error message names the URI and says what is wrong with it.
Result<DeviceUri> parseDeviceUri(std::string_view text);

// Percent-encode a query value (everything outside RFC 3986 "unreserved"), for writing URIs such as
// evdev:/dev/input/event3?gs=%3CGS%3E. parseDeviceUri() decodes it back. Reentrant.
std::string encodeUriValue(std::string_view value);

// The kind implied by the URI alone (sim:<kind>, tcp/tty protocol=, v4l2/file/rtsp/gst = camera);
// Unknown for usb:/hidraw:/evdev:, which are recognised from their descriptors once opened.
DeviceKind kindOf(const DeviceUri& uri);

} // namespace retour::drivers
