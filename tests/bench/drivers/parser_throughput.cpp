// Parser throughput of the device protocols against a plain splitter over the same bytes: how much
// the typed parsing costs over just finding the frames. Prints ratios; asserts nothing about time
// (ctest label "bench"). Input arrives in 64-byte pieces, as reads from a serial port do.
//
//   bench: mt-sics parse 412 MB/s, splitter 980 MB/s, ratio 0.42

#include "retour/drivers/protocol/hid_scale.h"
#include "retour/drivers/protocol/keyboard_wedge.h"
#include "retour/drivers/protocol/mt_sics.h"
#include "retour/drivers/protocol/serial_scanner.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <linux/input.h>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using namespace retour::drivers;

constexpr std::size_t kChunk = 64;
constexpr double kMinSeconds = 0.4;

// Runs `pass` over the input until kMinSeconds have passed; returns MB/s. `pass` returns a count
// (frames found) that is checked against `expected` so neither side can skip work.
double throughput(const std::string& bytes, std::size_t expected, const std::function<std::size_t()>& pass,
                  const char* what)
{
    std::size_t rounds = 0;
    const auto start = Clock::now();
    double elapsed = 0;
    do {
        const std::size_t found = pass();
        if (found != expected) {
            std::fprintf(stderr, "bench: %s found %zu frames, expected %zu\n", what, found, expected);
            std::exit(1);
        }
        ++rounds;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < kMinSeconds);
    return static_cast<double>(bytes.size() * rounds) / elapsed / 1e6;
}

// The baseline: split at a one-byte delimiter, look at every frame once.
std::size_t splitLines(std::string_view bytes, char delimiter, std::size_t& checksum)
{
    std::size_t lines = 0;
    std::size_t start = 0;
    for (std::size_t at = 0; at < bytes.size(); at += kChunk) {
        const std::string_view chunk = bytes.substr(at, kChunk);
        for (std::size_t i = 0; i < chunk.size(); ++i) {
            if (chunk[i] == delimiter) {
                const std::size_t end = at + i;
                if (end > start) {
                    ++lines;
                    checksum += static_cast<unsigned char>(bytes[start]) + (end - start);
                }
                start = end + 1;
            }
        }
    }
    return lines;
}

void report(const char* name, double ours, const char* peer, double theirs)
{
    std::printf("bench: %s %.0f MB/s, %s %.0f MB/s, ratio %.2f\n", name, ours, peer, theirs, ours / theirs);
}

void mtSics()
{
    const char* samples[] = {"S S     100.00 g\r\n",
                             "S D      12.34 kg\r\n",
                             "S S      -1.50 g\r\n",
                             "S I\r\n",
                             "I4 A \"B123456789\"\r\n",
                             "Z A\r\n",
                             "S +\r\n",
                             "S S       1.000 lb\r\n"};
    std::string bytes;
    std::size_t lines = 0;
    while (bytes.size() < (4u << 20)) {
        bytes += samples[lines % std::size(samples)];
        ++lines;
    }
    volatile double sink = 0;
    protocol::MtSicsParser parser;
    std::vector<Result<protocol::MtSicsReply>> out;
    const double ours = throughput(
        bytes, lines,
        [&] {
            std::size_t n = 0;
            for (std::size_t at = 0; at < bytes.size(); at += kChunk) {
                out.clear();
                parser.feed(std::string_view(bytes).substr(at, kChunk), out);
                for (const auto& r : out) {
                    n += r ? 1 : 0;
                    sink = sink + (r ? r->value : 0);
                }
            }
            return n;
        },
        "mt-sics parser");
    std::size_t checksum = 0;
    const double theirs = throughput(
        bytes, lines, [&] { return splitLines(bytes, '\n', checksum); }, "splitter");
    sink = sink + static_cast<double>(checksum);
    report("mt-sics parse", ours, "splitter", theirs);
}

void serialScanner()
{
    const char* samples[] = {"]E09780201379629\r",
                             "]C1010952123454321310ABC123\x1d"
                             "17250101\r",
                             "HELLO-123\r", "]Q1https://example.com/r/42\r"};
    std::string bytes;
    std::size_t scans = 0;
    while (bytes.size() < (4u << 20)) {
        bytes += samples[scans % std::size(samples)];
        ++scans;
    }
    protocol::SerialScannerFramer framer;
    std::vector<Scan> out;
    const auto now = Clock::now();
    volatile std::size_t sink = 0;
    const double ours = throughput(
        bytes, scans,
        [&] {
            std::size_t n = 0;
            for (std::size_t at = 0; at < bytes.size(); at += kChunk) {
                out.clear();
                framer.feed(std::string_view(bytes).substr(at, kChunk), now, out);
                n += out.size();
                for (const auto& s : out) {
                    sink = sink + s.text.size();
                }
            }
            return n;
        },
        "serial scanner framer");
    std::size_t checksum = 0;
    const double theirs = throughput(
        bytes, scans, [&] { return splitLines(bytes, '\r', checksum); }, "splitter");
    sink = sink + checksum;
    report("serial-scanner frame", ours, "splitter", theirs);
}

void keyboardWedge()
{
    // evdev records of scans typed by a wedge scanner: key down/up, Shift for capitals, Enter.
    std::string bytes;
    std::size_t scans = 0;
    const auto push = [&](std::uint16_t type, std::uint16_t code, std::int32_t value) {
        input_event ev{};
        ev.type = type;
        ev.code = code;
        ev.value = value;
        bytes.append(reinterpret_cast<const char*>(&ev), sizeof ev);
    };
    const std::uint16_t keys[] = {KEY_9, KEY_7, KEY_8, KEY_0, KEY_2, KEY_0, KEY_1,
                                  KEY_3, KEY_7, KEY_9, KEY_6, KEY_2, KEY_9};
    while (bytes.size() < (8u << 20)) {
        push(EV_KEY, KEY_LEFTSHIFT, 1);
        push(EV_KEY, KEY_A, 1);
        push(EV_KEY, KEY_A, 0);
        push(EV_KEY, KEY_LEFTSHIFT, 0);
        for (const auto key : keys) {
            push(EV_KEY, key, 1);
            push(EV_SYN, SYN_REPORT, 0);
            push(EV_KEY, key, 0);
            push(EV_SYN, SYN_REPORT, 0);
        }
        push(EV_KEY, KEY_ENTER, 1);
        push(EV_KEY, KEY_ENTER, 0);
        ++scans;
    }
    protocol::KeyboardWedgeDecoder decoder;
    const auto now = Clock::now();
    volatile std::size_t sink = 0;
    const double ours = throughput(
        bytes, scans,
        [&] {
            std::size_t n = 0;
            for (std::size_t at = 0; at + sizeof(input_event) <= bytes.size(); at += sizeof(input_event)) {
                input_event ev;
                std::memcpy(&ev, bytes.data() + at, sizeof ev);
                if (auto scan = decoder.feed({ev.type, ev.code, ev.value}, now)) {
                    ++n;
                    sink = sink + scan->text.size();
                }
            }
            return n;
        },
        "keyboard-wedge decoder");
    // The baseline splits the same records at Enter presses and keeps the key codes.
    const double theirs = throughput(
        bytes, scans,
        [&] {
            std::size_t n = 0;
            std::string codes;
            for (std::size_t at = 0; at + sizeof(input_event) <= bytes.size(); at += sizeof(input_event)) {
                input_event ev;
                std::memcpy(&ev, bytes.data() + at, sizeof ev);
                if (ev.type != EV_KEY || ev.value != 1) {
                    continue;
                }
                if (ev.code == KEY_ENTER) {
                    ++n;
                    sink = sink + codes.size();
                    codes.clear();
                } else {
                    codes += static_cast<char>(ev.code);
                }
            }
            return n;
        },
        "record splitter");
    report("keyboard-wedge decode", ours, "record splitter", theirs);
}

void hidReport()
{
    const std::uint8_t samples[][6] = {{3, 4, 11, 0xFF, 0x1E, 0},
                                       {3, 3, 2, 0, 0x14, 0},
                                       {3, 2, 11, 0xFF, 0, 0},
                                       {3, 4, 3, 0xFE, 0xD2, 4},
                                       {3, 5, 2, 0, 0x14, 0}};
    std::string bytes;
    std::size_t reports = 0;
    while (bytes.size() < (4u << 20)) {
        bytes.append(reinterpret_cast<const char*>(samples[reports % std::size(samples)]), 6);
        ++reports;
    }
    volatile double sink = 0;
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    const double ours = throughput(
        bytes, reports,
        [&] {
            std::size_t n = 0;
            for (std::size_t at = 0; at + 6 <= bytes.size(); at += 6) {
                auto w = protocol::parseHidScaleReport(std::span(data + at, 6));
                n += w ? 1 : 0;
                sink = sink + (w ? w->grams : 0);
            }
            return n;
        },
        "HID scale report parser");
    // The baseline slices the same 6-byte records and reads the raw weight field.
    const double theirs = throughput(
        bytes, reports,
        [&] {
            std::size_t n = 0;
            for (std::size_t at = 0; at + 6 <= bytes.size(); at += 6) {
                ++n;
                sink = sink + (data[at + 4] | (data[at + 5] << 8));
            }
            return n;
        },
        "record slicer");
    report("hid-scale report parse", ours, "record slicer", theirs);
}

} // namespace

int main()
{
    mtSics();
    serialScanner();
    keyboardWedge();
    hidReport();
    return 0;
}
