#include "retour/drivers/protocol/keyboard_wedge.h"

#include "retour/drivers/protocol/aim.h"
#include "retour/drivers/protocol/gs1.h"
#include "scanner/keymap.h"

#include <cctype>
#include <linux/input-event-codes.h>

namespace retour::drivers::protocol {

namespace {

constexpr char kGs = 0x1D;

// Alt+numpad codes above 127 are Windows-1252 in Windows' "Alt+0nnn" form; taken here as Latin-1
// and written as UTF-8 (the two agree outside 0x80-0x9F).
void appendCodePoint(std::string& out, unsigned value)
{
    if (value < 0x80) {
        out += static_cast<char>(value);
    } else {
        out += static_cast<char>(0xC0 | (value >> 6));
        out += static_cast<char>(0x80 | (value & 0x3F));
    }
}

} // namespace

KeyboardWedgeDecoder::KeyboardWedgeDecoder(KeyboardWedgeOptions options) : options_(std::move(options)) {}

std::optional<Scan> KeyboardWedgeDecoder::feed(const KeyEvent& event, TimePoint now)
{
    if (event.type == EV_SYN) {
        if (event.code == SYN_DROPPED) {
            // The kernel lost events: the partial scan has holes and the key state is unknown.
            const bool caps = capsLock_;
            reset();
            capsLock_ = caps;
            dropping_ = true;
        } else if (event.code == SYN_REPORT) {
            dropping_ = false;
        }
        return std::nullopt;
    }
    if (dropping_ || event.type != EV_KEY) {
        return std::nullopt;
    }
    lastActivity_ = now;
    if (event.value == 1) {
        return press(event.code);
    }
    if (event.value == 0) {
        release(event.code);
    }
    return std::nullopt; // value 2 = autorepeat: a scanner never holds a key
}

std::optional<Scan> KeyboardWedgeDecoder::press(std::uint16_t code)
{
    using Terminator = KeyboardWedgeOptions::Terminator;
    switch (code) {
    case KEY_LEFTSHIFT:
        leftShift_ = true;
        return std::nullopt;
    case KEY_RIGHTSHIFT:
        rightShift_ = true;
        return std::nullopt;
    case KEY_LEFTCTRL:
        leftCtrl_ = true;
        return std::nullopt;
    case KEY_RIGHTCTRL:
        rightCtrl_ = true;
        return std::nullopt;
    case KEY_LEFTALT:
        leftAlt_ = true;
        return std::nullopt;
    case KEY_RIGHTALT:
        rightAlt_ = true;
        return std::nullopt;
    case KEY_CAPSLOCK:
        capsLock_ = !capsLock_;
        return std::nullopt;
    case KEY_ENTER:
    case KEY_KPENTER:
        if (options_.terminator == Terminator::Enter) {
            return finish();
        }
        append('\r');
        return std::nullopt;
    case KEY_TAB:
        if (options_.terminator == Terminator::Tab) {
            return finish();
        }
        append('\t');
        return std::nullopt;
    case KEY_BACKSPACE:
        if (!buffer_.empty()) {
            buffer_.pop_back();
        }
        return std::nullopt;
    default:
        break;
    }

    const bool alt = leftAlt_ || rightAlt_;
    const bool ctrl = leftCtrl_ || rightCtrl_;
    const bool shift = leftShift_ || rightShift_;

    if (alt) {
        if (const auto digit = detail::keypadDigit(code)) {
            altDigits_ += static_cast<char>('0' + *digit);
            return std::nullopt;
        }
    }
    if (const auto kp = detail::keypadChar(code)) {
        append(*kp);
        return std::nullopt;
    }
    const auto key = detail::usMainKey(code);
    if (!key) {
        return std::nullopt; // function, navigation and media keys carry no data
    }
    char c = shift ? key->shifted : key->plain;
    if (key->letter && capsLock_) {
        c = shift ? key->plain : key->shifted;
    }
    if (ctrl) {
        // ASCII control-key emulation: Ctrl+] = GS (0x1D), Ctrl+D = EOT, … (docs/protocols/scanners.md §1).
        const char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (upper > '@' && upper <= '_') {
            append(static_cast<char>(upper & 0x1F));
        }
        return std::nullopt;
    }
    append(c);
    return std::nullopt;
}

void KeyboardWedgeDecoder::release(std::uint16_t code)
{
    switch (code) {
    case KEY_LEFTSHIFT:
        leftShift_ = false;
        break;
    case KEY_RIGHTSHIFT:
        rightShift_ = false;
        break;
    case KEY_LEFTCTRL:
        leftCtrl_ = false;
        break;
    case KEY_RIGHTCTRL:
        rightCtrl_ = false;
        break;
    case KEY_LEFTALT:
        leftAlt_ = false;
        if (!rightAlt_) {
            flushAltCode();
        }
        break;
    case KEY_RIGHTALT:
        rightAlt_ = false;
        if (!leftAlt_) {
            flushAltCode();
        }
        break;
    default:
        break;
    }
}

void KeyboardWedgeDecoder::flushAltCode()
{
    // Alt+numpad: the decimal code typed while Alt was held becomes one character on Alt release.
    if (altDigits_.empty()) {
        return;
    }
    unsigned value = 0;
    for (const char d : altDigits_) {
        value = (value * 10 + static_cast<unsigned>(d - '0')) % 256;
    }
    altDigits_.clear();
    if (value != 0) {
        appendCodePoint(buffer_, value);
    }
}

void KeyboardWedgeDecoder::append(char c)
{
    buffer_ += c;
}

std::optional<Scan> KeyboardWedgeDecoder::finish()
{
    flushAltCode();
    if (buffer_.empty()) {
        return std::nullopt; // a lone terminator is not a scan
    }
    Scan scan = makeScan(std::move(buffer_), options_);
    buffer_.clear();
    return scan;
}

KeyboardWedgeDecoder::TimePoint KeyboardWedgeDecoder::deadline() const
{
    if ((buffer_.empty() && altDigits_.empty()) || options_.idleGap.count() <= 0) {
        return TimePoint::max();
    }
    return lastActivity_ + options_.idleGap;
}

std::optional<Scan> KeyboardWedgeDecoder::expire(TimePoint now)
{
    if (now < deadline()) {
        return std::nullopt;
    }
    // Modifiers still held after the gap are stale (a lost release): start clean.
    const bool caps = capsLock_;
    auto scan = finish();
    reset();
    capsLock_ = caps;
    return scan;
}

void KeyboardWedgeDecoder::reset()
{
    buffer_.clear();
    altDigits_.clear();
    leftShift_ = rightShift_ = leftCtrl_ = rightCtrl_ = leftAlt_ = rightAlt_ = false;
    capsLock_ = false;
    dropping_ = false;
}

Scan makeScan(std::string raw, const KeyboardWedgeOptions& options)
{
    Scan scan;
    std::string_view data = raw;
    if (options.parseAim) {
        if (auto split = splitAimPrefix(raw)) {
            scan.aimId = std::move(split->aimId);
            scan.symbology = std::move(split->symbology);
            data = split->data;
        }
    }
    if (options.gsSubstitute.empty()) {
        scan.text = std::string(data);
    } else {
        const std::string& sub = options.gsSubstitute;
        for (std::size_t i = 0; i < data.size();) {
            if (data.compare(i, sub.size(), sub) == 0) {
                scan.text += kGs;
                i += sub.size();
            } else {
                scan.text += data[i];
                ++i;
            }
        }
    }
    scan.raw = std::move(raw);
    annotateGs1(scan);
    return scan;
}

} // namespace retour::drivers::protocol
