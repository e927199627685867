#!/usr/bin/env python3
"""Writes the evemu .events files of this folder from the key sequences a keyboard-wedge scanner
types (docs/protocols/scanners.md §1, docs/protocols/testing-without-hardware.md §6). Kept so that a capture can be re-made or a new one added; the
.events files themselves are the regression corpus and are committed.

    python3 synthesize_events.py      # rewrites *.events next to this script

Each key is sent as the kernel's hid-input sends it: EV_MSC/MSC_SCAN with the HID usage
(0x70000 | usage), then EV_KEY, then SYN_REPORT. Times are seconds from the start."""

import os

# linux/input-event-codes.h keycode, HID keyboard-page usage (HID Usage Tables §10)
KEYS = {
    "ESC": (1, 0x29), "1": (2, 0x1E), "2": (3, 0x1F), "3": (4, 0x20), "4": (5, 0x21), "5": (6, 0x22),
    "6": (7, 0x23), "7": (8, 0x24), "8": (9, 0x25), "9": (10, 0x26), "0": (11, 0x27), "MINUS": (12, 0x2D),
    "EQUAL": (13, 0x2E), "BACKSPACE": (14, 0x2A), "TAB": (15, 0x2B), "Q": (16, 0x14), "W": (17, 0x1A),
    "E": (18, 0x08), "R": (19, 0x15), "T": (20, 0x17), "Y": (21, 0x1C), "U": (22, 0x18), "I": (23, 0x0C),
    "O": (24, 0x12), "P": (25, 0x13), "LEFTBRACE": (26, 0x2F), "RIGHTBRACE": (27, 0x30), "ENTER": (28, 0x28),
    "LEFTCTRL": (29, 0xE0), "A": (30, 0x04), "S": (31, 0x16), "D": (32, 0x07), "F": (33, 0x09),
    "G": (34, 0x0A), "H": (35, 0x0B), "J": (36, 0x0D), "K": (37, 0x0E), "L": (38, 0x0F),
    "SEMICOLON": (39, 0x33), "APOSTROPHE": (40, 0x34), "GRAVE": (41, 0x35), "LEFTSHIFT": (42, 0xE1),
    "BACKSLASH": (43, 0x31), "Z": (44, 0x1D), "X": (45, 0x1B), "C": (46, 0x06), "V": (47, 0x19),
    "B": (48, 0x05), "N": (49, 0x11), "M": (50, 0x10), "COMMA": (51, 0x36), "DOT": (52, 0x37),
    "SLASH": (53, 0x38), "RIGHTSHIFT": (54, 0xE5), "KPASTERISK": (55, 0x55), "LEFTALT": (56, 0xE2),
    "SPACE": (57, 0x2C), "CAPSLOCK": (58, 0x39), "KP7": (71, 0x5F), "KP8": (72, 0x60), "KP9": (73, 0x61),
    "KPMINUS": (74, 0x56), "KP4": (75, 0x5C), "KP5": (76, 0x5D), "KP6": (77, 0x5E), "KPPLUS": (78, 0x57),
    "KP1": (79, 0x59), "KP2": (80, 0x5A), "KP3": (81, 0x5B), "KP0": (82, 0x62), "KPDOT": (83, 0x63),
    "KPENTER": (96, 0x58), "RIGHTCTRL": (97, 0xE4), "KPSLASH": (98, 0x54), "RIGHTALT": (100, 0xE6),
}

# US layout: character -> (key, shifted)
US = {}
for c in "abcdefghijklmnopqrstuvwxyz":
    US[c] = (c.upper(), False)
    US[c.upper()] = (c.upper(), True)
for plain, shifted, key in [("1", "!", "1"), ("2", "@", "2"), ("3", "#", "3"), ("4", "$", "4"),
                            ("5", "%", "5"), ("6", "^", "6"), ("7", "&", "7"), ("8", "*", "8"),
                            ("9", "(", "9"), ("0", ")", "0"), ("-", "_", "MINUS"), ("=", "+", "EQUAL"),
                            ("[", "{", "LEFTBRACE"), ("]", "}", "RIGHTBRACE"), (";", ":", "SEMICOLON"),
                            ("'", '"', "APOSTROPHE"), ("`", "~", "GRAVE"), ("\\", "|", "BACKSLASH"),
                            (",", "<", "COMMA"), (".", ">", "DOT"), ("/", "?", "SLASH")]:
    US[plain] = (key, False)
    US[shifted] = (key, True)
US[" "] = ("SPACE", False)

KEY_STEP = 0.004  # one HID report every 4 ms


class Capture:
    def __init__(self):
        self.t = 0.0
        self.lines = []

    def event(self, etype, code, value, comment=""):
        line = "E: %.6f %04x %04x %d" % (self.t, etype, code, value)
        self.lines.append(line + ("   # " + comment if comment else ""))

    def key(self, name, value, comment=""):
        code, usage = KEYS[name]
        self.event(0x0004, 0x0004, 0x70000 | usage)
        self.event(0x0001, code, value, comment or ("%s %s" % (name, ["up", "down"][value])))
        self.event(0x0000, 0x0000, 0)
        self.t += KEY_STEP

    def tap(self, name, comment=""):
        self.key(name, 1, comment)
        self.key(name, 0)

    def text(self, s, shift="LEFTSHIFT"):
        for ch in s:
            key, shifted = US[ch]
            if shifted:
                self.key(shift, 1)
            self.tap(key, repr(ch))
            if shifted:
                self.key(shift, 0)

    def keypad(self, digits):
        for d in digits:
            self.tap("KP" + d, "keypad " + d)

    def ctrl(self, name, comment):
        self.key("LEFTCTRL", 1)
        self.tap(name, comment)
        self.key("LEFTCTRL", 0)

    def alt_code(self, digits, comment):
        self.key("LEFTALT", 1, "Alt held for a numpad code: " + comment)
        self.keypad(digits)
        self.key("LEFTALT", 0)

    def syn_dropped(self):
        self.event(0x0000, 0x0003, 0, "SYN_DROPPED: the kernel buffer overflowed")
        self.t += KEY_STEP

    def gap(self, seconds):
        self.t += seconds

    def write(self, path, header):
        with open(path, "w") as f:
            for h in header:
                f.write("# " + h + "\n" if h else "#\n")
            for line in self.lines:
                f.write(line + "\n")


def symbol_gs1_ctrl():
    c = Capture()
    c.text("]E04006381333931")
    c.tap("ENTER", "terminator")
    c.gap(0.3)
    c.text("]C1")
    c.text("0109521234543213")
    c.ctrl("RIGHTBRACE", "Ctrl+] = GS (FNC1 separator)")
    c.text("10LOT-7b")
    c.ctrl("RIGHTBRACE", "Ctrl+] = GS")
    c.text("21SN12345")
    c.tap("ENTER", "terminator")
    c.gap(0.3)
    c.text("RMA-2024-", shift="RIGHTSHIFT")
    c.text("000123/X")
    c.tap("KPENTER", "terminator (keypad Enter)")
    return c


def keypad_altcode():
    c = Capture()
    c.text("]d2")
    c.keypad("0109521234543213")
    c.alt_code("0029", "Alt+0029 = GS")
    c.keypad("10")
    c.tap("CAPSLOCK", "Caps Lock on")
    c.text("abc")
    c.text("D")  # Shift with Caps Lock on gives lower case
    c.tap("CAPSLOCK", "Caps Lock off")
    c.text("e")
    c.tap("KPENTER", "terminator")
    c.gap(0.3)
    for name in ["KPDOT", "KPSLASH", "KPASTERISK", "KPMINUS", "KPPLUS"]:
        c.tap(name)
    c.tap("KPENTER", "terminator")
    return c


def substitute_tab_idle():
    c = Capture()
    c.text("]Q3")
    c.text("0109521234543213<GS>21ABC")
    c.tap("TAB", "terminator")
    c.gap(0.3)
    c.text("NOSUFFIX-42")
    c.gap(1.5)  # no terminator: the idle gap ends this scan
    c.text("lost")
    c.syn_dropped()
    c.event(0x0001, KEYS["Z"][0], 1, "inside the dropped packet: ignored")
    c.event(0x0000, 0x0000, 0)
    c.t += KEY_STEP
    c.key("Z", 0)
    c.text("kept")
    c.tap("TAB", "terminator")
    return c


HEADER_COMMON = [
    "Capture: synthesised by synthesize_events.py (this folder) from the keys such a scanner types;",
    "         not recorded from hardware. One key = MSC_SCAN + EV_KEY + SYN_REPORT, 4 ms apart.",
    "Format: evemu (E: <sec.usec> <type> <code> <value>), replayed by umockdev-run -e.",
]

CAPTURES = {
    "symbol-gs1-ctrl.events": (symbol_gs1_ctrl, [
        "Name: Symbol/Zebra LS2208 style scanner (05e0:1200), USB keyboard wedge, US layout",
        "Settings: AIM symbology id on, GS sent as Ctrl+] (ASCII control-key emulation), Enter suffix",
    ] + HEADER_COMMON + [
        "Sample-Notes: EAN-13 with ]E0; GS1-128 with ]C1 and two GS separators; a Code 128 typed with",
        "         the right Shift and ended by keypad Enter.",
    ]),
    "keypad-altcode.events": (keypad_altcode, [
        "Name: 2D imager in 'keypad emulation' mode (digits on the numeric keypad), US layout",
        "Settings: AIM id on, GS sent as Alt+0029 (Windows Alt+numpad code), KP Enter suffix",
    ] + HEADER_COMMON + [
        "Sample-Notes: GS1 DataMatrix ]d2 with digits on the keypad, GS as Alt+0029, letters under",
        "         Caps Lock (Shift inverts it); then the keypad operators . / * - +.",
    ]),
    "substitute-tab-idle.events": (substitute_tab_idle, [
        "Name: wedge scanner configured with a printable GS substitute '<GS>' and a Tab suffix",
        "Settings: AIM id on, GS replaced by the text <GS>, Tab suffix; one scan without suffix",
    ] + HEADER_COMMON + [
        "Sample-Notes: GS1 QR ]Q3 with <GS>; a scan ended only by the idle gap (1.5 s of silence);",
        "         a partial scan broken by SYN_DROPPED is discarded, the next one is kept.",
    ]),
}

if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    for name, (build, header) in CAPTURES.items():
        build().write(os.path.join(here, name), header)
