#pragma once

#include <optional>

namespace retour::drivers::detail {

// US keyboard layout by evdev keycode (linux/input-event-codes.h; docs/protocols/scanners.md §1). Keycodes
// are positions: the scanner must be configured for the US layout. Pure and reentrant.

struct KeyChars
{
    char plain;
    char shifted;
    bool letter; // Caps Lock applies
};

// Keys of the main block that produce a printable character (Enter, Tab, Backspace excluded).
std::optional<KeyChars> usMainKey(unsigned code);

// Keypad keys that produce a character (KP Enter excluded). Num Lock is assumed on: a scanner
// types digits on the keypad, never navigation keys.
std::optional<char> keypadChar(unsigned code);

// 0..9 for KEY_KP0..KEY_KP9 (Alt+numpad decimal codes), else nullopt.
std::optional<int> keypadDigit(unsigned code);

} // namespace retour::drivers::detail
