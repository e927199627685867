#include "retour/drivers/protocol/usb_printer.h"

#include <algorithm>
#include <cctype>

namespace retour::drivers::protocol {

namespace {

std::string trim(std::string_view text)
{
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
        text.remove_suffix(1);
    }
    return std::string(text);
}

std::string upper(std::string text)
{
    for (char& c : text) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return text;
}

void addDetail(PrinterStatus& status, const char* what)
{
    if (status.detail.find(what) == std::string::npos) {
        status.detail += status.detail.empty() ? "" : ", ";
        status.detail += what;
    }
}

} // namespace

Ieee1284DeviceId parseIeee1284Fields(std::string_view text)
{
    Ieee1284DeviceId id;
    id.text = std::string(text);
    std::string_view rest = text;
    while (!rest.empty()) {
        const auto semi = rest.find(';');
        const std::string_view pair = rest.substr(0, semi);
        rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
        const auto colon = pair.find(':');
        if (colon == std::string_view::npos) {
            continue;
        }
        const std::string key = upper(trim(pair.substr(0, colon)));
        if (key.empty()) {
            continue;
        }
        id.fields[key] = trim(pair.substr(colon + 1));
    }
    const auto pick = [&id](std::initializer_list<const char*> keys) {
        for (const char* key : keys) {
            if (const auto it = id.fields.find(key); it != id.fields.end()) {
                return it->second;
            }
        }
        return std::string();
    };
    id.manufacturer = pick({"MFG", "MANUFACTURER"});
    id.commandSet = pick({"CMD", "COMMAND SET"});
    id.model = pick({"MDL", "MODEL"});
    return id;
}

Result<Ieee1284DeviceId> parseUsbPrinterDeviceId(std::span<const std::uint8_t> reply)
{
    if (reply.size() < 2) {
        return std::unexpected(Error{ErrorCode::Protocol, "USB printer GET_DEVICE_ID reply of " +
                                                              std::to_string(reply.size()) +
                                                              " bytes: no length prefix"});
    }
    const std::size_t length = (static_cast<std::size_t>(reply[0]) << 8) | reply[1];
    if (length < 2) {
        return std::unexpected(Error{ErrorCode::Protocol, "USB printer GET_DEVICE_ID length " +
                                                              std::to_string(length) + " is below 2"});
    }
    const std::size_t end = std::min(length, reply.size());
    const std::string_view text(reinterpret_cast<const char*>(reply.data()) + 2, end - 2);
    return parseIeee1284Fields(text.substr(0, text.find('\0')));
}

bool speaksZpl(const Ieee1284DeviceId& id)
{
    return upper(id.commandSet).find("ZPL") != std::string::npos;
}

PortStatus parsePortStatus(std::uint8_t byte)
{
    PortStatus port;
    port.raw = byte;
    port.error = (byte & 0x08) == 0;
    port.selected = (byte & 0x10) != 0;
    port.paperEmpty = (byte & 0x20) != 0;
    return port;
}

PrinterStatus toPrinterStatus(const PortStatus& port)
{
    PrinterStatus status;
    mergePortStatus(status, port);
    status.ready = !port.paperEmpty && !port.error && port.selected;
    return status;
}

void mergePortStatus(PrinterStatus& status, const PortStatus& port)
{
    if (port.paperEmpty) {
        status.paperOut = true;
        status.ready = false;
        addDetail(status, "paper out");
    }
    if (!port.selected) {
        status.ready = false;
        addDetail(status, "offline (not selected)");
    }
    if (port.error && !port.paperEmpty) {
        status.ready = false;
        addDetail(status, "printer error");
    }
}

} // namespace retour::drivers::protocol
