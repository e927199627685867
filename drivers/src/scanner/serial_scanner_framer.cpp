#include "retour/drivers/protocol/keyboard_wedge.h"
#include "retour/drivers/protocol/serial_scanner.h"

namespace retour::drivers::protocol {

SerialScannerFramer::SerialScannerFramer(SerialScannerOptions options) : options_(std::move(options)) {}

std::optional<Scan> SerialScannerFramer::frame(std::string_view bytes)
{
    if (!options_.prefix.empty()) {
        const auto at = bytes.find(options_.prefix);
        if (at == std::string_view::npos) {
            ++dropped_; // no prefix: line noise or a partial scan after a reset
            return std::nullopt;
        }
        // A later prefix wins: what came before it belongs to a scan that lost its suffix.
        const auto last = bytes.rfind(options_.prefix);
        bytes.remove_prefix(last + options_.prefix.size());
    }
    if (bytes.empty()) {
        return std::nullopt;
    }
    KeyboardWedgeOptions wedge;
    wedge.gsSubstitute = options_.gsSubstitute;
    wedge.parseAim = options_.parseAim;
    return makeScan(std::string(bytes), wedge);
}

void SerialScannerFramer::feed(std::string_view bytes, TimePoint now, std::vector<Scan>& out)
{
    if (bytes.empty()) {
        return;
    }
    lastByte_ = now;
    const std::string& suffix = options_.suffix;
    if (suffix.empty()) {
        buffer_.append(bytes);
    } else {
        // Search only where a suffix could newly end: the buffer's tail plus the new bytes.
        std::size_t from = buffer_.size() >= suffix.size() ? buffer_.size() - suffix.size() + 1 : 0;
        buffer_.append(bytes);
        std::size_t start = 0;
        for (auto at = buffer_.find(suffix, from); at != std::string::npos; at = buffer_.find(suffix, from)) {
            if (auto scan = frame(std::string_view(buffer_).substr(start, at - start))) {
                out.push_back(std::move(*scan));
            }
            start = at + suffix.size();
            from = start;
        }
        buffer_.erase(0, start);
    }
    if (buffer_.size() > options_.maxLength) {
        ++dropped_;
        buffer_.clear();
    }
}

std::vector<Scan> SerialScannerFramer::feed(std::string_view bytes, TimePoint now)
{
    std::vector<Scan> out;
    feed(bytes, now, out);
    return out;
}

SerialScannerFramer::TimePoint SerialScannerFramer::deadline() const
{
    if (buffer_.empty() || options_.idleGap.count() <= 0) {
        return TimePoint::max();
    }
    return lastByte_ + options_.idleGap;
}

std::optional<Scan> SerialScannerFramer::expire(TimePoint now)
{
    if (now < deadline()) {
        return std::nullopt;
    }
    auto scan = frame(buffer_);
    buffer_.clear();
    return scan;
}

void SerialScannerFramer::reset()
{
    buffer_.clear();
}

} // namespace retour::drivers::protocol
