// Fuzz target: the keyboard-wedge decoder (protocol/keyboard_wedge.h). The first byte picks the
// options; then every 5 bytes are one evdev event: type selector, code (2 bytes), value, time step.
#include "retour/drivers/protocol/keyboard_wedge.h"

#include "fuzz_input.h"

using namespace retour::drivers;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    retour::fuzz::FuzzInput in(data, size);
    const std::uint8_t mode = in.byte();
    protocol::KeyboardWedgeOptions options;
    options.terminator = static_cast<protocol::KeyboardWedgeOptions::Terminator>(mode % 3);
    options.idleGap = std::chrono::milliseconds{(mode & 0x04) ? 0 : 80};
    options.gsSubstitute = (mode & 0x08) ? "<GS>" : ((mode & 0x10) ? "~" : "");
    options.parseAim = (mode & 0x20) == 0;
    protocol::KeyboardWedgeDecoder decoder(options);
    auto now = protocol::KeyboardWedgeDecoder::TimePoint{} + std::chrono::hours{1};
    // EV_SYN, EV_KEY, EV_MSC, and anything else.
    constexpr std::uint16_t kTypes[] = {0x00, 0x01, 0x01, 0x01, 0x04, 0x02};
    while (!in.empty()) {
        // One read per statement: the order of the reads must not depend on the compiler.
        const std::uint8_t sel = in.byte();
        const std::uint8_t low = in.byte();
        const std::uint8_t high = in.byte();
        const auto code = static_cast<std::uint16_t>((low | (high << 8)) % 0x300);
        const std::int32_t value = static_cast<std::int8_t>(in.byte());
        now += std::chrono::milliseconds{in.byte()};
        const protocol::KeyEvent event{kTypes[sel % 6], code,
                                       sel >= 0xF0 ? static_cast<std::int32_t>(sel) : value};
        (void)decoder.feed(event, now);
        if (decoder.deadline() <= now) {
            (void)decoder.expire(now);
        }
        if (sel == 0xEE) {
            decoder.reset();
        }
    }
    (void)decoder.expire(now + std::chrono::seconds{10});
    (void)protocol::makeScan(std::string(retour::fuzz::asText({data, size})), options);
    return 0;
}
