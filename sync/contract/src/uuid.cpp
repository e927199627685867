// UUIDv7 (RFC 9562 §5.7) with sub-millisecond ordering (RFC 9562 §6.2, method 3).
#include "retour/contract/message.h"

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <sys/random.h>

namespace retour::sync {

namespace {

std::uint64_t randomBits()
{
    std::uint64_t value = 0;
    auto* bytes = reinterpret_cast<unsigned char*>(&value);
    std::size_t got = 0;
    while (got < sizeof value) {
        const ssize_t n = ::getrandom(bytes + got, sizeof value - got, 0);
        if (n > 0) {
            got += static_cast<std::size_t>(n);
        } else if (n < 0 && errno != EINTR) {
            // No getrandom(2) (ENOSYS on very old kernels): fall back to the library's device.
            std::random_device device;
            return (static_cast<std::uint64_t>(device()) << 32) ^ device();
        }
    }
    return value;
}

} // namespace

std::string newUuidV7()
{
    return newUuidV7(std::chrono::system_clock::now());
}

std::string newUuidV7(std::chrono::system_clock::time_point t)
{
    using namespace std::chrono;
    const auto sinceEpoch = duration_cast<nanoseconds>(t.time_since_epoch());
    const auto ms = floor<milliseconds>(sinceEpoch);
    const auto subMs = (sinceEpoch - ms).count(); // 0 ..< 1'000'000 ns
    const auto unixMs = static_cast<std::uint64_t>(ms.count()) & 0xFFFF'FFFF'FFFFULL;
    // rand_a: the fraction of the millisecond scaled to 12 bits (method 3).
    const auto fraction = static_cast<std::uint64_t>(subMs) * 4096 / 1'000'000;

    const std::uint64_t high = (unixMs << 16) | (0x7ULL << 12) | (fraction & 0xFFF);
    const std::uint64_t low = (0b10ULL << 62) | (randomBits() & 0x3FFF'FFFF'FFFF'FFFFULL);

    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(36, '-');
    std::size_t pos = 0;
    auto put = [&](std::uint64_t word, int nibbles) {
        for (int i = nibbles - 1; i >= 0; --i) {
            if (pos == 8 || pos == 13 || pos == 18 || pos == 23) {
                ++pos;
            }
            out[pos++] = kHex[(word >> (4 * i)) & 0xF];
        }
    };
    put(high, 16);
    put(low, 16);
    return out;
}

bool isUuid(std::string_view text)
{
    if (text.size() != 36) {
        return false;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') {
                return false;
            }
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

} // namespace retour::sync
