#include "retour/drivers/device_uri.h"

#include "uri/percent.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

// Grammar: docs/architecture.md "Devices".
//   uri    = scheme ":" target [ "?" query ]        (gst, rtsp, http: no query parsing)
//   query  = param *( "&" param ),  param = name "=" percent-encoded-value

namespace retour::drivers {

namespace {

constexpr std::array<std::string_view, 12> kSchemes = {"usb",  "hidraw", "evdev", "tty", "tcp",  "usblp",
                                                       "v4l2", "rtsp",   "http",  "gst", "file", "sim"};
constexpr std::array<std::string_view, 3> kSimKinds = {"scanner", "scale", "printer"};

struct ProtocolKind
{
    std::string_view name;
    DeviceKind kind;
    bool tcp; // may be used over tcp:
    bool tty; // may be used over tty:
};
constexpr std::array<ProtocolKind, 7> kProtocols = {{
    {"zpl", DeviceKind::Printer, true, true},
    {"mt-sics", DeviceKind::Scale, true, true},
    {"sma", DeviceKind::Scale, true, true},
    {"nci", DeviceKind::Scale, true, true},
    {"toledo", DeviceKind::Scale, true, true},
    {"toledo-continuous", DeviceKind::Scale, true, true},
    {"serial-scanner", DeviceKind::Scanner, false, true},
}};

Error uriError(std::string_view text, std::string_view what)
{
    std::string message = "device URI '";
    message += text;
    message += "': ";
    message += what;
    return Error{ErrorCode::InvalidUri, std::move(message)};
}

std::string join(auto const& names, std::string_view suffix = "")
{
    std::string out;
    for (const auto& name : names) {
        if (!out.empty()) {
            out += ", ";
        }
        out += name;
        out += suffix;
    }
    return out;
}

std::string protocolNames(bool tcp)
{
    std::string out;
    for (const auto& p : kProtocols) {
        if (tcp ? p.tcp : p.tty) {
            if (!out.empty()) {
                out += ", ";
            }
            out += p.name;
        }
    }
    return out;
}

const ProtocolKind* findProtocol(std::string_view name)
{
    const auto* it = std::find_if(kProtocols.begin(), kProtocols.end(),
                                  [&](const ProtocolKind& p) { return p.name == name; });
    return it == kProtocols.end() ? nullptr : it;
}

bool isSpace(char c)
{
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

bool isParamNameChar(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
}

std::optional<unsigned> parseHex16(std::string_view text)
{
    if (text.empty() || text.size() > 4) {
        return std::nullopt;
    }
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
    if (ec != std::errc{} || ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

Result<DeviceUri::HostPort> splitHostPort(std::string_view text, std::string_view target)
{
    std::string_view host;
    std::string_view port;
    if (target.starts_with('[')) {
        const auto close = target.find(']');
        if (close == std::string_view::npos) {
            return std::unexpected(uriError(text, "IPv6 address without closing ']'"));
        }
        host = target.substr(1, close - 1);
        const auto rest = target.substr(close + 1);
        if (!rest.starts_with(':')) {
            return std::unexpected(uriError(text, "missing port: write tcp:[ADDRESS]:PORT"));
        }
        port = rest.substr(1);
    } else {
        const auto colon = target.rfind(':');
        if (colon == std::string_view::npos) {
            return std::unexpected(
                uriError(text, "missing port: write tcp:HOST:PORT, e.g. tcp:192.0.2.10:9100"));
        }
        host = target.substr(0, colon);
        port = target.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) {
            return std::unexpected(uriError(text, "an IPv6 address must be in brackets: tcp:[ADDRESS]:PORT"));
        }
    }
    if (host.empty()) {
        return std::unexpected(uriError(text, "empty host: write tcp:HOST:PORT"));
    }
    int value = 0;
    const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc{} || ptr != port.data() + port.size() || value < 1 || value > 65535) {
        return std::unexpected(
            uriError(text, "bad port '" + std::string(port) + "': must be a number from 1 to 65535"));
    }
    return DeviceUri::HostPort{std::string(host), value};
}

Result<DeviceUri::UsbId> splitUsbId(std::string_view text, std::string_view target)
{
    const auto colon = target.find(':');
    const auto bad = [&] {
        return std::unexpected(uriError(text, "bad VID:PID '" + std::string(target) +
                                                  "': write usb:VVVV:PPPP in hex, e.g. usb:0922:8003"));
    };
    if (colon == std::string_view::npos) {
        return bad();
    }
    const auto vendor = parseHex16(target.substr(0, colon));
    const auto product = parseHex16(target.substr(colon + 1));
    if (!vendor || !product) {
        return bad();
    }
    return DeviceUri::UsbId{*vendor, *product};
}

Result<void> parseQuery(std::string_view text, std::string_view query,
                        std::map<std::string, std::string>& params)
{
    if (query.empty()) {
        return std::unexpected(uriError(text, "empty query after '?': remove the '?' or add name=value"));
    }
    std::size_t start = 0;
    while (start <= query.size()) {
        const auto amp = query.find('&', start);
        const auto piece =
            query.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
        if (piece.empty()) {
            return std::unexpected(uriError(text, "malformed query: empty parameter (stray '&')"));
        }
        const auto eq = piece.find('=');
        if (eq == std::string_view::npos) {
            return std::unexpected(uriError(text, "malformed query: parameter '" + std::string(piece) +
                                                      "' has no value, write " + std::string(piece) +
                                                      "=VALUE"));
        }
        const auto name = piece.substr(0, eq);
        if (name.empty() || !std::all_of(name.begin(), name.end(), isParamNameChar)) {
            return std::unexpected(uriError(text, "malformed query: bad parameter name '" +
                                                      std::string(name) +
                                                      "' (letters, digits, '_', '-', '.')"));
        }
        auto value = detail::percentDecode(piece.substr(eq + 1));
        if (!value) {
            return std::unexpected(uriError(text, "malformed query: bad percent-escape in the value of '" +
                                                      std::string(name) +
                                                      "' (write %XX with two hex digits)"));
        }
        if (!params.emplace(std::string(name), std::move(*value)).second) {
            return std::unexpected(uriError(text, "parameter '" + std::string(name) + "' is given twice"));
        }
        if (amp == std::string_view::npos) {
            break;
        }
        start = amp + 1;
    }
    return {};
}

Result<void> checkAbsolutePath(std::string_view text, const DeviceUri& uri, std::string_view example)
{
    if (!uri.target.starts_with('/')) {
        return std::unexpected(uriError(text, "'" + uri.target + "' is not an absolute device path: write " +
                                                  uri.scheme + ":" + std::string(example)));
    }
    return {};
}

Result<void> checkProtocol(std::string_view text, const DeviceUri& uri)
{
    const bool tcp = uri.scheme == "tcp";
    const auto protocol = uri.param("protocol");
    if (!protocol) {
        return std::unexpected(uriError(text, uri.scheme +
                                                  ": needs ?protocol=NAME to say what the device speaks (" +
                                                  protocolNames(tcp) + ")"));
    }
    const auto* known = findProtocol(*protocol);
    if (known == nullptr || !(tcp ? known->tcp : known->tty)) {
        return std::unexpected(uriError(text, "unknown protocol '" + *protocol + "' for " + uri.scheme +
                                                  ": use one of " + protocolNames(tcp)));
    }
    return {};
}

Result<void> checkTarget(std::string_view text, const DeviceUri& uri)
{
    const std::string& s = uri.scheme;
    if (s == "usb") {
        auto id = splitUsbId(text, uri.target);
        if (!id) {
            return std::unexpected(id.error());
        }
    } else if (s == "hidraw") {
        return checkAbsolutePath(text, uri, "/dev/hidraw0");
    } else if (s == "evdev") {
        return checkAbsolutePath(text, uri, "/dev/input/by-id/…-event-kbd");
    } else if (s == "usblp") {
        return checkAbsolutePath(text, uri, "/dev/usb/lp0");
    } else if (s == "tty") {
        if (auto ok = checkAbsolutePath(text, uri, "/dev/serial/by-id/…?protocol=mt-sics"); !ok) {
            return ok;
        }
        return checkProtocol(text, uri);
    } else if (s == "v4l2") {
        const bool index = std::all_of(uri.target.begin(), uri.target.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c)) != 0;
        });
        if (!index) {
            return checkAbsolutePath(text, uri, "/dev/video0");
        }
    } else if (s == "tcp") {
        auto hp = splitHostPort(text, uri.target);
        if (!hp) {
            return std::unexpected(hp.error());
        }
        return checkProtocol(text, uri);
    } else if (s == "sim") {
        if (std::find(kSimKinds.begin(), kSimKinds.end(), uri.target) == kSimKinds.end()) {
            return std::unexpected(uriError(text, "unknown sim kind '" + uri.target + "': use " +
                                                      join(kSimKinds) + " (e.g. sim:scanner?script=FILE)"));
        }
    }
    return {};
}

std::string_view exampleFor(std::string_view scheme)
{
    if (scheme == "usb") {
        return "usb:0922:8003";
    }
    if (scheme == "hidraw") {
        return "hidraw:/dev/hidraw0";
    }
    if (scheme == "evdev") {
        return "evdev:/dev/input/by-id/…-event-kbd";
    }
    if (scheme == "tty") {
        return "tty:/dev/ttyUSB0?protocol=mt-sics";
    }
    if (scheme == "tcp") {
        return "tcp:192.0.2.10:9100?protocol=zpl";
    }
    if (scheme == "usblp") {
        return "usblp:/dev/usb/lp0";
    }
    if (scheme == "v4l2") {
        return "v4l2:/dev/video0";
    }
    if (scheme == "gst") {
        return "gst:videotestsrc ! appsink";
    }
    if (scheme == "file") {
        return "file:/path/frame_%03d.png";
    }
    return "sim:scanner?script=FILE";
}

} // namespace

std::optional<std::string> DeviceUri::param(std::string_view key) const
{
    const auto it = params.find(std::string(key));
    if (it == params.end()) {
        return std::nullopt;
    }
    return it->second;
}

Result<long> DeviceUri::intParam(std::string_view key, long fallback) const
{
    const auto it = params.find(std::string(key));
    if (it == params.end()) {
        return fallback;
    }
    const std::string& value = it->second;
    long out = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    if (value.empty() || ec != std::errc{} || ptr != value.data() + value.size()) {
        return std::unexpected(
            uriError(text, "parameter " + std::string(key) + "='" + value + "' is not an integer"));
    }
    return out;
}

Result<DeviceUri::HostPort> DeviceUri::hostPort() const
{
    return splitHostPort(text, target);
}

Result<DeviceUri::UsbId> DeviceUri::usbId() const
{
    return splitUsbId(text, target);
}

const char* toString(DeviceKind kind)
{
    switch (kind) {
    case DeviceKind::Scanner:
        return "scanner";
    case DeviceKind::Scale:
        return "scale";
    case DeviceKind::Printer:
        return "printer";
    case DeviceKind::Camera:
        return "camera";
    case DeviceKind::Unknown:
        return "unknown";
    }
    return "unknown";
}

Result<DeviceUri> parseDeviceUri(std::string_view text)
{
    if (text.empty()) {
        return std::unexpected(Error{ErrorCode::InvalidUri, "empty device URI: write e.g. "
                                                            "evdev:/dev/input/by-id/…-event-kbd or "
                                                            "sim:scanner?script=FILE"});
    }
    if (isSpace(text.front()) || isSpace(text.back())) {
        return std::unexpected(uriError(text, "leading or trailing whitespace: remove it"));
    }
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0) {
        std::string hint = "no scheme: start with one of " + join(kSchemes, ":");
        if (text.starts_with('/')) {
            hint += " (a device path needs one, e.g. evdev:" + std::string(text) + ")";
        }
        return std::unexpected(uriError(text, hint));
    }

    DeviceUri uri;
    uri.text = std::string(text);
    uri.scheme = std::string(text.substr(0, colon));
    std::transform(uri.scheme.begin(), uri.scheme.end(), uri.scheme.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    if (std::find(kSchemes.begin(), kSchemes.end(), uri.scheme) == kSchemes.end()) {
        return std::unexpected(uriError(text, "unknown scheme '" + std::string(text.substr(0, colon)) +
                                                  "': use one of " + join(kSchemes)));
    }
    const std::string_view rest = text.substr(colon + 1);

    if (uri.scheme == "gst") {
        // A GStreamer pipeline is taken verbatim: '?', '&' and '=' are pipeline syntax.
        if (rest.empty()) {
            return std::unexpected(uriError(text, "empty pipeline: write e.g. gst:videotestsrc ! appsink"));
        }
        uri.target = std::string(rest);
        return uri;
    }
    if (uri.scheme == "rtsp" || uri.scheme == "http") {
        // The URL belongs to the camera, query included: it is handed over whole.
        if (!rest.starts_with("//") || rest.size() == 2 || rest[2] == '/') {
            return std::unexpected(uriError(text, "empty target: write " + uri.scheme + "://HOST/PATH"));
        }
        uri.target = uri.scheme + ":" + std::string(rest);
        return uri;
    }

    const auto question = rest.find('?');
    uri.target = std::string(rest.substr(0, question));
    if (uri.target.empty()) {
        return std::unexpected(uriError(text, "empty target after '" + uri.scheme + ":': write e.g. " +
                                                  std::string(exampleFor(uri.scheme))));
    }
    if (question != std::string_view::npos) {
        if (auto ok = parseQuery(text, rest.substr(question + 1), uri.params); !ok) {
            return std::unexpected(ok.error());
        }
    }
    if (auto ok = checkTarget(text, uri); !ok) {
        return std::unexpected(ok.error());
    }
    return uri;
}

std::string encodeUriValue(std::string_view value)
{
    return detail::percentEncode(value);
}

DeviceKind kindOf(const DeviceUri& uri)
{
    const std::string& s = uri.scheme;
    if (s == "sim") {
        if (uri.target == "scanner") {
            return DeviceKind::Scanner;
        }
        if (uri.target == "scale") {
            return DeviceKind::Scale;
        }
        if (uri.target == "printer") {
            return DeviceKind::Printer;
        }
        return DeviceKind::Unknown;
    }
    if (s == "tcp" || s == "tty") {
        const auto protocol = uri.param("protocol");
        const auto* known = protocol ? findProtocol(*protocol) : nullptr;
        return known != nullptr ? known->kind : DeviceKind::Unknown;
    }
    if (s == "usblp") {
        return DeviceKind::Printer;
    }
    if (s == "v4l2" || s == "file" || s == "rtsp" || s == "http" || s == "gst") {
        return DeviceKind::Camera;
    }
    return DeviceKind::Unknown;
}

} // namespace retour::drivers
