#!/usr/bin/env python3
"""Writes the umockdev .script files of this folder: the 64-byte input reports a USB HID POS
barcode scanner (usage page 0x8C) delivers through /dev/hidrawN (docs/protocols/scanners.md §2, docs/protocols/testing-without-hardware.md §5). Kept so
that a capture can be re-made or a new one added; the .script files are the regression corpus and
are committed.

    python3 make_scripts.py      # rewrites *.script next to this script

Report layout (report id included, as hidraw gives it): 0 id 0x02 · 1 data length (0..56) ·
2..4 AIM id ("]Q1", or zeros) · 5..60 data, zero-padded · 61 Honeywell code id · 62 reserved ·
63 bit 0 = more reports follow. Every report is one "r" line with a delay of at least 2 ms:
umockdev's script node is a stream, and without a delay one read() would return several reports
at once (docs/protocols/testing-without-hardware.md §5)."""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
GS = "\x1d"


def report(data, aim="", code="", more=False, length=None, report_id=2, size=64):
    raw = data.encode("latin-1")
    body = bytearray(size)
    body[0] = report_id
    body[1] = len(raw) if length is None else length
    if aim:
        body[2:5] = aim.encode()
    body[5:5 + len(raw)] = raw
    if size >= 64:
        body[61] = ord(code) if code else 0
        body[63] = 1 if more else 0
    return bytes(body[:size])


def barcode(data, aim="", code=""):
    """The reports of one barcode, 56 data bytes each, continuation bit on all but the last."""
    chunks = [data[i:i + 56] for i in range(0, len(data), 56)] or [""]
    return [report(c, aim, code, more=(i + 1 < len(chunks))) for i, c in enumerate(chunks)]


def encode(data):
    """umockdev script escaping (script-format.txt; docs/protocols/testing-without-hardware.md §4): bytes below 32 as ^ + chr(b+64),
    ^ itself as ^`, everything else raw."""
    out = bytearray()
    for b in data:
        if b < 32:
            out += b"^" + bytes([b + 64])
        elif b == ord("^"):
            out += b"^`"
        else:
            out.append(b)
    return bytes(out)


def write(name, header, steps):
    """steps: (delay_ms, report bytes) pairs."""
    with open(os.path.join(HERE, name + ".script"), "wb") as f:
        for line in header:
            f.write(("# " + line + "\n").encode())
        for delay, data in steps:
            f.write(b"r %d " % delay + encode(data) + b"\n")


COMMON = [
    "Device: Honeywell Voyager 1400g in HID POS mode (0c2e:0b8f), /dev/hidraw0 (hid-pos-scanner.umockdev).",
    "Capture: synthesised by make_scripts.py from the report layout of docs/protocols/scanners.md §2, not recorded",
    "  from hardware; a recording (umockdev-record -s /dev/hidrawN=x.script) is welcome beside it.",
]

url = "https://returns.example.com/rma/2024-000123?item=7&reason=damaged-in-transit&lang=en"

write("honeywell-session", ["Name: one-report barcodes with and without an AIM id"] + COMMON + [
    "Sample-Notes: EAN-13 with ]E0; QR with ]Q1; Code 128 without an AIM id (symbology from the",
    "  Honeywell code id 'j'); a report without data. Then the script ends: end of input, offline.",
], [(20, r) for r in barcode("4006381333931", "]E0", "d")] +
   [(20, r) for r in barcode("RMA-2024-000123", "]Q1", "s")] +
   [(20, r) for r in barcode("PARCEL 77", "", "j")])

write("honeywell-multi-report", ["Name: barcodes longer than one report (continuation bit)"] + COMMON + [
    "Sample-Notes: a " + str(len(url)) + "-byte QR code in two reports; a 150-byte Code 128 in three",
    "  reports with 5 ms between them; then a one-report EAN-8.",
], [(20, r) for r in barcode(url, "]Q1", "s")] +
   [(5, r) for r in barcode("".join(chr(ord("A") + i % 26) for i in range(150)), "]C0", "j")] +
   [(20, r) for r in barcode("95012346", "]E4", "D")])

write("honeywell-gs1", ["Name: GS1 barcodes: element strings parsed into application identifiers"] + COMMON + [
    "Sample-Notes: GS1-128 (]C1) with GTIN, lot and serial separated by GS; a GS1 DataMatrix (]d2)",
    "  with SSCC, expiry date and an 8003 GRAI in two reports; a GS1 QR (]Q3) whose GTIN check digit",
    "  is wrong (reported as malformed, text kept); a Code 128 (]C0) holding a GS (not GS1).",
], [(20, r) for r in barcode("0109521234543213" + GS + "10LOT-7b" + GS + "21SN12345", "]C1", "I")] +
   [(20, r) for r in barcode("00106141411234567897" + "17251231" + "8003" + "09521234543213" + "CRATE-000042" +
                             GS + "21SN00000001", "]d2", "w")] +
   [(20, r) for r in barcode("0109521234543214" + "10X", "]Q3", "s")] +
   [(20, r) for r in barcode("ABC" + GS + "DEF", "]C0", "j")])

write("honeywell-garbage", ["Name: reports that are not scanned data, and broken ones"] + COMMON + [
    "Sample-Notes: a report id 1 (another report of the device); a length byte of 64 (> 56); a",
    "  12-byte report whose length byte says 40; the first report of a barcode followed by one with",
    "  another AIM id (partial barcode dropped); then a good EAN-13 that must still come through.",
], [(20, report("\x01\x02\x03", report_id=1)),
    (20, report("X" * 56, "]C0", "j", length=64)),
    (20, report("SHORT", "]C0", "j", length=40, size=12)),
    (20, report("FIRST-HALF-" + "x" * 45, "]C0", "j", more=True)),
    (20, report("SECOND-HALF", "]Q1", "s")),
    (20, report("4006381333931", "]E0", "d"))])

write("honeywell-stalled", ["Name: a barcode left unfinished (continuation bit set, no more reports)"] + COMMON + [
    "Sample-Notes: one good scan; the first of two reports of a Code 128; 1.5 s of silence (the",
    "  driver drops the partial barcode after 1 s); then a good QR code that must come through whole.",
], [(20, r) for r in barcode("4006381333931", "]E0", "d")] +
   [(20, barcode("Z" * 80, "]C0", "j")[0])] +
   [(1500, r) for r in barcode("RMA-2024-000124", "]Q1", "s")])

# The unplugged scanner is a node with fixed contents instead of a script: one report, then end of
# file, as read() gives on a hidraw node whose device is gone. It goes into hid-pos-scanner-eof.umockdev.
EOF_REPORT = barcode("4006381333931", "]E0", "d")[0]
with open(os.path.join(HERE, "hid-pos-scanner.umockdev")) as f:
    description = f.read()
with open(os.path.join(HERE, "hid-pos-scanner-eof.umockdev"), "w") as f:
    f.write(description.replace("N: hidraw0\n", "N: hidraw0=" + EOF_REPORT.hex().upper() + "\n", 1))
