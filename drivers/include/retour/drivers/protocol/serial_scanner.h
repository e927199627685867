#pragma once

#include "retour/drivers/events.h"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::drivers::protocol {

// Framing of a serial or USB CDC-ACM barcode scanner (docs/protocols/scanners.md §3): each scan is
// [prefix][AIM id]data[suffix]. URI: tty:…?protocol=serial-scanner&prefix=…&suffix=%0D&idle_ms=…
struct SerialScannerOptions
{
    std::string prefix{};      // dropped from the front of a scan; text before it is noise
    std::string suffix = "\r"; // ends a scan; empty: the idle gap alone ends it
    // A scan without its suffix ends after this much silence; zero disables the idle gap.
    std::chrono::milliseconds idleGap{0};
    std::string gsSubstitute{};   // printable text the scanner sends for GS, turned back into GS
    bool parseAim = true;         // split a leading "]cm" AIM identifier off into Scan::aimId
    std::size_t maxLength = 4096; // a longer scan is noise: dropped
};

// Turns bytes into Scans. The AIM prefix, the GS substitute and GS1 element strings are handled by
// the same code as the keyboard-wedge scanner (keyboard_wedge.h makeScan). Scan::raw is the frame
// between prefix and suffix. Pure: time comes in as arguments.
//
// Thread contract: thread-bound (one framer per device).
class SerialScannerFramer
{
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    explicit SerialScannerFramer(SerialScannerOptions options = {});

    // Feed bytes received at `now`; appends the scans they complete to `out`.
    void feed(std::string_view bytes, TimePoint now, std::vector<Scan>& out);
    std::vector<Scan> feed(std::string_view bytes, TimePoint now);

    // When the pending bytes end by the idle gap; time_point::max() when none are pending.
    TimePoint deadline() const;
    std::optional<Scan> expire(TimePoint now);

    void reset();
    std::size_t dropped() const { return dropped_; }
    const SerialScannerOptions& options() const { return options_; }

private:
    std::optional<Scan> frame(std::string_view bytes);

    SerialScannerOptions options_;
    std::string buffer_;
    TimePoint lastByte_{};
    std::size_t dropped_ = 0;
};

} // namespace retour::drivers::protocol
