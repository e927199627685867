#pragma once

// Helpers for the fuzz targets: carve options, split points and times out of the fuzz input.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace retour::fuzz {

// Reads the input front to back; past the end every read gives 0 / an empty span.
class FuzzInput
{
public:
    FuzzInput(const std::uint8_t* data, std::size_t size) : bytes_(data, size) {}

    std::uint8_t byte()
    {
        if (bytes_.empty()) {
            return 0;
        }
        const std::uint8_t b = bytes_.front();
        bytes_ = bytes_.subspan(1);
        return b;
    }
    std::span<const std::uint8_t> take(std::size_t n)
    {
        n = n < bytes_.size() ? n : bytes_.size();
        const auto out = bytes_.first(n);
        bytes_ = bytes_.subspan(n);
        return out;
    }
    std::span<const std::uint8_t> rest() const { return bytes_; }
    bool empty() const { return bytes_.empty(); }

private:
    std::span<const std::uint8_t> bytes_;
};

inline std::string_view asText(std::span<const std::uint8_t> bytes)
{
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

} // namespace retour::fuzz
