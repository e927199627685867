#!/usr/bin/env python3
"""Builds a usbmon capture (pcapng, LINKTYPE_USB_LINUX_MMAPPED = 220) from a text description of a
USB exchange, for umockdev-run's pcap replay (`-p /sys/…/usbB/B-P=capture.pcapng`, docs/protocols/testing-without-hardware.md §3).

    usbmon_pcapng.py DESCRIPTION.usbmon OUT.pcapng

Description: one exchange a line, `#` comments, key=value words (double quotes allowed, and
Python escapes such as \\x02 \\r \\n inside text: values):

    device bus=1 address=7
    control-in request_type=0xA1 request=0 value=0 index=0 length=1024 reply=device-id:"MFG:…;CMD:ZPL;"
    control-in request_type=0xA1 request=1 value=0 index=0 length=1 reply=hex:18
    bulk-out endpoint=0x01 data=text:"~HS"
    bulk-in endpoint=0x82 length=512 reply=text:"\\x02030,…\\x03\\r\\n"

Payloads: `text:"…"`, `hex:AABB…`, `device-id:"…"` (IEEE 1284 id text behind its 2-byte big-endian
length, which counts itself), `string:"…"` (a USB string descriptor). Each exchange becomes a submit ('S') and a complete ('C') record.

What umockdev 0.17.16's reader (src/umockdev-pcap.vala, IoctlUsbPcapHandler) expects, which is
what usbmon itself writes, so a real capture and this file look alike:
  - Records are replayed in file order. A submit ('S') is matched to a URB the program submitted
    by transfer type, endpoint (not for control: libusb gives control URBs endpoint 0, usbmon
    0x80 / 0x00) and urb_len; OUT data is compared byte for byte; a control submit's setup packet
    (in the header, setup_flag 0) is compared with the first 8 bytes of the URB buffer, and its
    urb_len is wLength, the buffer without the setup packet.
  - A complete ('C') with the submit's id hands the URB back: its data (data_len bytes) is copied
    behind the setup packet for control transfers, at the start of the buffer otherwise, and
    actual_length = urb_len.
  - Records of other buses/addresses are skipped, and so are standard control requests nobody
    submitted (the kernel's); a class request such as GET_DEVICE_ID waits for its URB.
Only the standard library is used (struct).
"""
import codecs
import shlex
import struct
import sys

LINKTYPE_USB_LINUX_MMAPPED = 220
TRANSFER = {"control": 2, "bulk": 3}


def payload(value: str) -> bytes:
    kind, _, body = value.partition(":")
    if kind == "hex":
        return bytes.fromhex(body)
    if kind == "text":
        return codecs.decode(body, "unicode_escape").encode("latin-1")
    if kind == "string":  # a USB string descriptor (USB 2.0 §9.6.7): bLength, 3, UTF-16LE text
        text = codecs.decode(body, "unicode_escape").encode("utf-16-le")
        return bytes([len(text) + 2, 3]) + text
    if kind == "device-id":
        text = codecs.decode(body, "unicode_escape").encode("latin-1")
        return struct.pack(">H", len(text) + 2) + text
    raise ValueError(f"unknown payload kind '{kind}' (use text:, hex:, device-id: or string:)")


def number(value: str) -> int:
    return int(value, 0)


class Capture:
    def __init__(self):
        self.bus, self.address = 1, 1
        self.records = []
        self.next_id = 0xFFFF880000001000
        self.usec = 0

    def record(self, urb_id, event, transfer, endpoint, urb_len, data=b"", setup=None):
        self.usec += 1000  # 1 ms apart: umockdev only uses the times in its "stuck" messages
        header = struct.pack(
            "<QBBBBHbbqiiII8siiII",
            urb_id, ord(event), transfer, endpoint, self.address, self.bus,
            0 if setup is not None else 1,  # setup_flag: 0 = setup present
            0 if data else 1,               # data_flag: 0 = data present
            self.usec // 1000000, self.usec % 1000000,
            0,                               # status: success
            urb_len, len(data),
            setup if setup is not None else bytes(8),
            0, 0, 0, 0)                      # interval, start_frame, xfer_flags, ndesc
        assert len(header) == 64
        self.records.append((self.usec, header + data))

    def exchange(self, kind, words):
        self.next_id += 0x40
        urb = self.next_id
        if kind == "device":
            self.bus, self.address = number(words["bus"]), number(words["address"])
            return
        if kind == "control-in":
            length = number(words["length"])
            setup = struct.pack("<BBHHH", number(words["request_type"]), number(words["request"]),
                                number(words.get("value", "0")), number(words.get("index", "0")), length)
            reply = payload(words["reply"])[:length]
            endpoint = number(words["request_type"]) & 0x80  # usbmon: 0x80 for IN
            self.record(urb, "S", TRANSFER["control"], endpoint, length, setup=setup)
            self.record(urb, "C", TRANSFER["control"], endpoint, len(reply), data=reply)
        elif kind == "bulk-out":
            endpoint = number(words["endpoint"])
            data = payload(words["data"])
            self.record(urb, "S", TRANSFER["bulk"], endpoint, len(data), data=data)
            self.record(urb, "C", TRANSFER["bulk"], endpoint, len(data))
        elif kind == "bulk-in":
            endpoint = number(words["endpoint"])
            reply = payload(words["reply"])
            self.record(urb, "S", TRANSFER["bulk"], endpoint, number(words["length"]))
            self.record(urb, "C", TRANSFER["bulk"], endpoint, len(reply), data=reply)
        else:
            raise ValueError(f"unknown exchange '{kind}'")

    def pcapng(self) -> bytes:
        def block(block_type, body):
            body += bytes(-len(body) % 4)
            total = 12 + len(body)
            return struct.pack("<II", block_type, total) + body + struct.pack("<I", total)

        out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))  # section header
        out += block(1, struct.pack("<HHI", LINKTYPE_USB_LINUX_MMAPPED, 0, 0))  # interface
        for usec, packet in self.records:  # enhanced packet blocks, time in microseconds
            out += block(6, struct.pack("<IIIII", 0, usec >> 32, usec & 0xFFFFFFFF, len(packet),
                                        len(packet)) + packet)
        return out


def main(description, output):
    capture = Capture()
    with open(description, encoding="utf-8") as lines:
        for number_, line in enumerate(lines, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            try:
                kind, *rest = shlex.split(line, posix=True)
                words = dict(word.split("=", 1) for word in rest)
                capture.exchange(kind, words)
            except (ValueError, KeyError) as error:
                sys.exit(f"{description}:{number_}: {error}")
    with open(output, "wb") as out:
        out.write(capture.pcapng())


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    main(sys.argv[1], sys.argv[2])
