#pragma once

#include "retour/drivers/error.h"
#include "retour/drivers/events.h"

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace retour::hwconfig {

struct ReadRequest
{
    std::string uri;
    int count = 0; // events (or frames) to read; 0 = until the timeout (cameras: 1)
    double timeoutSeconds = 10;
    bool json = false;
    // Scales: after the first reading, send zero / tare / clear tare; the answer is printed like an event
    // ({"type":"zero","ok":…} / {"type":"tare","ok":…,"grams":…}) and counts as one.
    bool zero = false;
    bool tare = false;
    bool clearTare = false;
};

// `retour-hw-config read URI`: open one device and print what it produces, one line per event
// (JSON lines with --json). Returns the exit status: 0 when `count` events arrived (or, with
// count 0, at the timeout), 1 when the device failed or fewer events came, 2 for a bad URI.
// Printers (tcp:…?protocol=zpl, usblp:, usb: of printer class) print their status `count` times.
int runRead(const ReadRequest& request, std::ostream& out, std::ostream& err);

// One line "retour-hw-config: <message>" on `err`; returns `status`, the exit status to give.
int fail(std::ostream& err, std::string_view message, int status = 1);
// The same for a device the drivers could not make: 2 for a URI they refuse, else 1.
int fail(std::ostream& err, const drivers::Error& error);

// The JSON line for a printer status: {"type":"printer","ready":…,"paper_out":…,"head_open":…,
// "paused":…,"ribbon_out":…}.
nlohmann::ordered_json statusJson(const drivers::PrinterStatus& status);

// The weight status as the JSON output names it: stable|in_motion|zero|under_zero|overload|fault|
// calibrate|rezero (a stable reading of 0 g is "zero").
std::string weightStatusName(const drivers::Weight& weight);

} // namespace retour::hwconfig
