#include "scanner/keymap.h"

#include <linux/input-event-codes.h>

namespace retour::drivers::detail {

std::optional<KeyChars> usMainKey(unsigned code)
{
    switch (code) {
    case KEY_1:
        return KeyChars{'1', '!', false};
    case KEY_2:
        return KeyChars{'2', '@', false};
    case KEY_3:
        return KeyChars{'3', '#', false};
    case KEY_4:
        return KeyChars{'4', '$', false};
    case KEY_5:
        return KeyChars{'5', '%', false};
    case KEY_6:
        return KeyChars{'6', '^', false};
    case KEY_7:
        return KeyChars{'7', '&', false};
    case KEY_8:
        return KeyChars{'8', '*', false};
    case KEY_9:
        return KeyChars{'9', '(', false};
    case KEY_0:
        return KeyChars{'0', ')', false};
    case KEY_MINUS:
        return KeyChars{'-', '_', false};
    case KEY_EQUAL:
        return KeyChars{'=', '+', false};
    case KEY_Q:
        return KeyChars{'q', 'Q', true};
    case KEY_W:
        return KeyChars{'w', 'W', true};
    case KEY_E:
        return KeyChars{'e', 'E', true};
    case KEY_R:
        return KeyChars{'r', 'R', true};
    case KEY_T:
        return KeyChars{'t', 'T', true};
    case KEY_Y:
        return KeyChars{'y', 'Y', true};
    case KEY_U:
        return KeyChars{'u', 'U', true};
    case KEY_I:
        return KeyChars{'i', 'I', true};
    case KEY_O:
        return KeyChars{'o', 'O', true};
    case KEY_P:
        return KeyChars{'p', 'P', true};
    case KEY_LEFTBRACE:
        return KeyChars{'[', '{', false};
    case KEY_RIGHTBRACE:
        return KeyChars{']', '}', false};
    case KEY_A:
        return KeyChars{'a', 'A', true};
    case KEY_S:
        return KeyChars{'s', 'S', true};
    case KEY_D:
        return KeyChars{'d', 'D', true};
    case KEY_F:
        return KeyChars{'f', 'F', true};
    case KEY_G:
        return KeyChars{'g', 'G', true};
    case KEY_H:
        return KeyChars{'h', 'H', true};
    case KEY_J:
        return KeyChars{'j', 'J', true};
    case KEY_K:
        return KeyChars{'k', 'K', true};
    case KEY_L:
        return KeyChars{'l', 'L', true};
    case KEY_SEMICOLON:
        return KeyChars{';', ':', false};
    case KEY_APOSTROPHE:
        return KeyChars{'\'', '"', false};
    case KEY_GRAVE:
        return KeyChars{'`', '~', false};
    case KEY_BACKSLASH:
    case KEY_102ND: // the ISO key left of Z; on a US layout it types the same as backslash
        return KeyChars{'\\', '|', false};
    case KEY_Z:
        return KeyChars{'z', 'Z', true};
    case KEY_X:
        return KeyChars{'x', 'X', true};
    case KEY_C:
        return KeyChars{'c', 'C', true};
    case KEY_V:
        return KeyChars{'v', 'V', true};
    case KEY_B:
        return KeyChars{'b', 'B', true};
    case KEY_N:
        return KeyChars{'n', 'N', true};
    case KEY_M:
        return KeyChars{'m', 'M', true};
    case KEY_COMMA:
        return KeyChars{',', '<', false};
    case KEY_DOT:
        return KeyChars{'.', '>', false};
    case KEY_SLASH:
        return KeyChars{'/', '?', false};
    case KEY_SPACE:
        return KeyChars{' ', ' ', false};
    default:
        return std::nullopt;
    }
}

std::optional<int> keypadDigit(unsigned code)
{
    switch (code) {
    case KEY_KP0:
        return 0;
    case KEY_KP1:
        return 1;
    case KEY_KP2:
        return 2;
    case KEY_KP3:
        return 3;
    case KEY_KP4:
        return 4;
    case KEY_KP5:
        return 5;
    case KEY_KP6:
        return 6;
    case KEY_KP7:
        return 7;
    case KEY_KP8:
        return 8;
    case KEY_KP9:
        return 9;
    default:
        return std::nullopt;
    }
}

std::optional<char> keypadChar(unsigned code)
{
    if (const auto digit = keypadDigit(code)) {
        return static_cast<char>('0' + *digit);
    }
    switch (code) {
    case KEY_KPDOT:
        return '.';
    case KEY_KPSLASH:
        return '/';
    case KEY_KPASTERISK:
        return '*';
    case KEY_KPMINUS:
        return '-';
    case KEY_KPPLUS:
        return '+';
    case KEY_KPEQUAL:
        return '=';
    case KEY_KPCOMMA:
        return ',';
    case KEY_KPLEFTPAREN:
        return '(';
    case KEY_KPRIGHTPAREN:
        return ')';
    default:
        return std::nullopt;
    }
}

} // namespace retour::drivers::detail
