#include "retour/drivers/protocol/nci.h"

#include "retour/drivers/protocol/weight_units.h"
#include "scale/text_util.h"

namespace retour::drivers::protocol {

namespace {

constexpr char kEtx = 0x03;

Error frameError(std::string_view frame, std::string_view what)
{
    return Error{ErrorCode::Protocol, "NCI reply \"" + detail::printable(frame) + "\": " + std::string(what)};
}

bool isStatusByte(char c)
{
    return (static_cast<unsigned char>(c) & 0x30u) == 0x30u;
}

std::optional<NciStatus> parseStatus(std::string_view line)
{
    if (!line.empty() && line.front() == 'S') {
        line.remove_prefix(
            1); // SCP-02 puts an 'S' before the status bytes (docs/protocols/serial-scales.md §3)
    }
    if (line.empty() || line.size() > 4) {
        return std::nullopt;
    }
    NciStatus status;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = static_cast<char>(static_cast<unsigned char>(line[i]) & 0x7Fu); // bit 7: parity
        if (!isStatusByte(c)) {
            return std::nullopt;
        }
        const auto bits = static_cast<unsigned>(c);
        switch (i) {
        case 0:
            status.motion = (bits & 1u) != 0;
            status.atZero = (bits & 2u) != 0;
            status.ramError = (bits & 4u) != 0;
            status.eepromError = (bits & 8u) != 0;
            break;
        case 1:
            status.underCapacity = (bits & 1u) != 0;
            status.overCapacity = (bits & 2u) != 0;
            status.romError = (bits & 4u) != 0;
            status.calibrationError = (bits & 8u) != 0;
            break;
        case 2:
            status.net = (bits & 4u) != 0;
            status.initialZeroError = (bits & 8u) != 0;
            break;
        default:
            break; // the Ohaus fourth byte: nothing a station needs
        }
    }
    return status;
}

struct ParsedWeight
{
    double value;
    std::string unit;
};

// "0002.50LB", "-1.250 kg", "12lb 3.5oz".
std::optional<ParsedWeight> parseWeightLine(std::string_view line)
{
    line = detail::trimSpaces(line);
    const auto lbAt = line.find("lb ");
    if (lbAt != std::string_view::npos && line.ends_with("oz")) {
        const auto pounds = detail::parseDecimal(detail::trimSpaces(line.substr(0, lbAt)));
        const auto ounces =
            detail::parseDecimal(detail::trimSpaces(line.substr(lbAt + 3, line.size() - lbAt - 5)));
        if (!pounds || !ounces) {
            return std::nullopt;
        }
        const double sign = *pounds < 0 || line.front() == '-' ? -1.0 : 1.0;
        return ParsedWeight{*pounds + sign * *ounces / 16.0, "lb"};
    }
    std::size_t split = line.size();
    while (split > 0) {
        const char c = line[split - 1];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
            --split;
        } else {
            break;
        }
    }
    if (split == line.size() || split == 0) {
        return std::nullopt;
    }
    const auto value = detail::parseDecimal(detail::trimSpaces(line.substr(0, split)));
    if (!value) {
        return std::nullopt;
    }
    return ParsedWeight{*value, canonicalUnitSymbol(line.substr(split))};
}

} // namespace

std::string nciCommand(char command)
{
    return std::string(1, command) + "\r";
}

Result<NciReply> parseNciFrame(std::string_view frame)
{
    const auto lf = frame.find('\n');
    if (lf == std::string_view::npos) {
        return std::unexpected(frameError(frame, "no LF before ETX"));
    }
    // Lines of the reply: LF-started, CR-ended; empty pieces are skipped.
    std::vector<std::string_view> lines;
    std::size_t start = lf + 1;
    for (std::size_t i = start; i <= frame.size(); ++i) {
        if (i == frame.size() || frame[i] == '\r' || frame[i] == '\n') {
            if (i > start) {
                lines.push_back(frame.substr(start, i - start));
            }
            start = i + 1;
        }
    }
    NciReply reply;
    if (lines.size() == 1 && detail::trimSpaces(lines[0]) == "?") {
        reply.kind = NciReply::Kind::Unknown;
        return reply;
    }
    if (lines.empty()) {
        return std::unexpected(frameError(frame, "expected a weight line and a status line"));
    }
    if (lines.size() > 2) {
        // Noise lines before the reply (a partial reply cut by a reset): the last two are the reply.
        lines.erase(lines.begin(), lines.end() - 2);
    }
    const auto status = parseStatus(lines.back());
    if (!status) {
        return std::unexpected(frameError(frame, "status bytes are not NCI status bytes"));
    }
    reply.status = *status;
    if (lines.size() == 1) {
        reply.kind = NciReply::Kind::Status;
        return reply;
    }
    reply.kind = NciReply::Kind::Weight;
    if (const auto weight = parseWeightLine(lines[0])) {
        reply.value = weight->value;
        reply.unit = weight->unit;
    } else {
        // Scales print markers in place of the weight when over or under capacity.
        const bool outOfRange = status->overCapacity || status->underCapacity;
        if (!outOfRange) {
            return std::unexpected(frameError(frame, "weight line is not <number><unit>"));
        }
    }
    return reply;
}

Result<Weight> nciWeight(const NciReply& reply)
{
    if (reply.kind == NciReply::Kind::Unknown) {
        return std::unexpected(
            Error{ErrorCode::Protocol, "NCI: the scale did not understand the command (?)"});
    }
    const NciStatus& s = reply.status;
    Weight weight;
    weight.deviceUnit = reply.unit;
    if (s.ramError || s.romError || s.eepromError) {
        weight.status = WeightStatus::Fault;
        return weight;
    }
    if (s.calibrationError) {
        weight.status = WeightStatus::NeedsCalibration;
        return weight;
    }
    if (s.initialZeroError) {
        weight.status = WeightStatus::NeedsZero;
        return weight;
    }
    if (s.overCapacity) {
        weight.status = WeightStatus::Overload;
        return weight;
    }
    if (s.underCapacity) {
        weight.status = WeightStatus::UnderZero;
    } else {
        weight.status = s.motion ? WeightStatus::InMotion : WeightStatus::Stable;
    }
    if (!reply.value) {
        if (weight.status == WeightStatus::UnderZero) {
            return weight;
        }
        return std::unexpected(Error{ErrorCode::Protocol, "NCI: status reply without a weight"});
    }
    const auto perUnit = gramsPerUnitSymbol(reply.unit);
    if (!perUnit) {
        return std::unexpected(Error{ErrorCode::Protocol, "NCI weight in unknown unit '" + reply.unit + "'"});
    }
    weight.deviceValue = *reply.value;
    weight.grams = *reply.value * *perUnit;
    if (weight.deviceValue < 0) {
        weight.status = WeightStatus::UnderZero;
    }
    weight.stable = weight.status == WeightStatus::Stable;
    return weight;
}

void NciParser::feed(std::string_view bytes, std::vector<Result<NciReply>>& out)
{
    for (const char c : bytes) {
        if (c == kEtx) {
            if (!overflow_) {
                out.push_back(parseNciFrame(frame_));
            }
            frame_.clear();
            overflow_ = false;
            continue;
        }
        if (overflow_) {
            continue;
        }
        if (frame_.size() >= kMaxFrame) {
            out.push_back(std::unexpected(
                Error{ErrorCode::Protocol,
                      "NCI: reply longer than " + std::to_string(kMaxFrame) + " bytes without ETX dropped"}));
            frame_.clear();
            overflow_ = true;
            continue;
        }
        frame_ += c;
    }
}

void NciParser::reset()
{
    frame_.clear();
    overflow_ = false;
}

} // namespace retour::drivers::protocol
