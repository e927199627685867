// Fuzz target: serial / USB CDC scanner framing (protocol/serial_scanner.h). The first byte picks the
// options; the rest is fed in pieces with time steps, so that suffix, prefix and idle-gap framing
// meet every cut.
#include "retour/drivers/protocol/serial_scanner.h"

#include "fuzz_input.h"

using namespace retour::drivers;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    retour::fuzz::FuzzInput in(data, size);
    const std::uint8_t mode = in.byte();
    protocol::SerialScannerOptions options;
    options.prefix = (mode & 0x01) ? "\x02" : "";
    options.suffix = (mode & 0x02) ? "\r\n" : ((mode & 0x04) ? "" : "\r");
    options.idleGap = std::chrono::milliseconds{(mode & 0x08) || options.suffix.empty() ? 50 : 0};
    options.gsSubstitute = (mode & 0x10) ? "<GS>" : "";
    options.parseAim = (mode & 0x20) == 0;
    options.maxLength = (mode & 0x40) ? 16 : 4096;
    protocol::SerialScannerFramer framer(options);
    auto now = protocol::SerialScannerFramer::TimePoint{} + std::chrono::hours{1};
    std::vector<Scan> scans;
    while (!in.empty()) {
        const std::uint8_t control = in.byte();
        const auto piece = in.take(1 + control % 16);
        now += std::chrono::milliseconds{(control >> 4) * 10};
        if (framer.deadline() <= now) {
            (void)framer.expire(now);
        }
        framer.feed(retour::fuzz::asText(piece), now, scans);
    }
    (void)framer.expire(now + std::chrono::seconds{1});
    return 0;
}
