#pragma once

#include "retour/drivers/events.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace retour::drivers::protocol {

// Keyboard-wedge barcode decoding from evdev key events (docs/protocols/scanners.md §1, §4).

struct KeyboardWedgeOptions
{
    enum class Terminator
    {
        Enter,
        Tab,
        None
    };
    // Which key ends a scan. Enter also accepts KP Enter. The other of Enter/Tab is data ('\r', '\t').
    Terminator terminator = Terminator::Enter;
    // A scan without a terminator ends after this much silence; zero disables the idle gap.
    std::chrono::milliseconds idleGap{80};
    // A printable string the scanner types in place of GS (0x1D), e.g. "<GS>" or "~"; it is turned
    // back into GS in Scan::text. Empty: none.
    std::string gsSubstitute;
    // Split a leading "]cm" AIM symbology identifier off into Scan::aimId.
    bool parseAim = true;
};

// One evdev event without its timestamp (struct input_event: type, code, value).
struct KeyEvent
{
    std::uint16_t type;
    std::uint16_t code;
    std::int32_t value;
};

// Turns key events into Scans: US layout, both Shifts, Caps Lock toggling, the keypad, GS sent as
// Ctrl+] (any Ctrl+key gives its ASCII control code), as Alt+numpad decimal code (Alt+0029) or as the
// configured substitute, Enter / KP Enter / Tab terminators, an idle gap, Backspace, and SYN_DROPPED
// (the partial scan is discarded). Pure: time comes in as arguments.
//
// Thread contract: thread-bound (one decoder per device, used by the device's owner).
class KeyboardWedgeDecoder
{
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    explicit KeyboardWedgeDecoder(KeyboardWedgeOptions options = {});

    // Feed one event, received at `now`. Returns the Scan this event completed, if any.
    std::optional<Scan> feed(const KeyEvent& event, TimePoint now);

    // When the partial scan ends by the idle gap; time_point::max() when nothing is pending.
    TimePoint deadline() const;

    // Complete the partial scan if its idle gap has passed at `now`.
    std::optional<Scan> expire(TimePoint now);

    // Forget the partial scan and all key state (the device was re-opened).
    void reset();

    // Characters typed since the last completed scan.
    const std::string& pending() const { return buffer_; }

    const KeyboardWedgeOptions& options() const { return options_; }

private:
    std::optional<Scan> press(std::uint16_t code);
    void release(std::uint16_t code);
    std::optional<Scan> finish();
    void append(char c);
    void flushAltCode();

    KeyboardWedgeOptions options_;
    std::string buffer_;
    TimePoint lastActivity_{};
    bool leftShift_ = false;
    bool rightShift_ = false;
    bool leftCtrl_ = false;
    bool rightCtrl_ = false;
    bool leftAlt_ = false;
    bool rightAlt_ = false;
    bool capsLock_ = false;
    bool dropping_ = false; // after SYN_DROPPED, until the next SYN_REPORT
    std::string altDigits_; // Alt+numpad digits typed so far
};

// Turn a completed wedge text into a Scan (AIM prefix split, GS substitute replaced). Pure.
Scan makeScan(std::string raw, const KeyboardWedgeOptions& options);

} // namespace retour::drivers::protocol
