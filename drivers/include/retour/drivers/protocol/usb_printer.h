#pragma once

#include "retour/drivers/error.h"
#include "retour/drivers/events.h"

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

namespace retour::drivers::protocol {

// USB printer class (class 7) requests and the usblp port status (docs/protocols/zpl.md §3). Pure, reentrant.

// Class requests (USB Printer Class 1.1 §4.2), bmRequestType 0xA1 (class, interface, IN).
inline constexpr std::uint8_t kUsbPrinterGetDeviceId = 0;
inline constexpr std::uint8_t kUsbPrinterGetPortStatus = 1;
inline constexpr std::uint8_t kUsbPrinterSoftReset = 2;

// IEEE 1284 device id: "MFG:Zebra Technologies;CMD:ZPL;MDL:ZD420;" (keys also spelt out:
// MANUFACTURER, COMMAND SET, MODEL).
struct Ieee1284DeviceId
{
    std::string manufacturer;
    std::string commandSet; // "ZPL", "ZPL,EPL", …
    std::string model;
    std::map<std::string, std::string> fields; // every key as sent, upper-cased
    std::string text;                          // the id text as sent
};

// Parse the id text (no length prefix). Never fails: unknown or malformed pairs are skipped.
Ieee1284DeviceId parseIeee1284Fields(std::string_view text);

// Parse a GET_DEVICE_ID reply: a 2-byte big-endian length (which counts itself) and the id text.
// A reply shorter than 2 bytes or a length below 2 is a Protocol error; a length beyond the reply
// is clamped to it (some printers count wrongly). Never throws.
Result<Ieee1284DeviceId> parseUsbPrinterDeviceId(std::span<const std::uint8_t> reply);

// True when the command set names ZPL (ZPL, ZPL II, ZPL2 …).
bool speaksZpl(const Ieee1284DeviceId& id);

// GET_PORT_STATUS / LPGETSTATUS byte (Printer Class 1.1 §4.2.2, linux/lp.h): 0x08 "not error"
// (active low), 0x10 selected, 0x20 paper empty.
struct PortStatus
{
    bool paperEmpty = false;
    bool selected = true;
    bool error = false;
    std::uint8_t raw = 0;
};
PortStatus parsePortStatus(std::uint8_t byte);

// The port status as a PrinterStatus: paper empty → paperOut; an error or a deselected printer is
// not ready ("printer error", "offline (not selected)").
PrinterStatus toPrinterStatus(const PortStatus& port);

// Fold the port status into a status read over the data channel (~HS): paper empty adds paper out.
void mergePortStatus(PrinterStatus& status, const PortStatus& port);

} // namespace retour::drivers::protocol
