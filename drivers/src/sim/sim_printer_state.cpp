#include "sim/sim_devices.h"

// The printer states a sim:printer URI (status=) or a scenario's printer step names. Pure, and
// apart from the printer so that the scenario parser (fuzzed alone) can check the names.

namespace retour::drivers::detail {

std::optional<PrinterStatus> simPrinterState(std::string_view name)
{
    PrinterStatus s;
    if (name == "ready") {
        s.ready = true;
        return s;
    }
    if (name == "paper-out") {
        s.paperOut = true;
        s.paused = true; // a Zebra pauses itself when the media runs out (docs/protocols/zpl.md §4)
        s.detail = "paper out, paused";
    } else if (name == "head-open") {
        s.headOpen = true;
        s.detail = "head open";
    } else if (name == "paused") {
        s.paused = true;
        s.detail = "paused";
    } else if (name == "ribbon-out") {
        s.ribbonOut = true;
        s.detail = "ribbon out";
    } else {
        return std::nullopt;
    }
    return s;
}

} // namespace retour::drivers::detail
