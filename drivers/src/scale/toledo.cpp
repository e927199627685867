#include "retour/drivers/protocol/toledo.h"

#include "retour/drivers/protocol/weight_units.h"
#include "scale/text_util.h"

#include <array>

namespace retour::drivers::protocol {

namespace {

constexpr char kCr = '\r';

Error frameError(std::string_view frame, std::string_view what)
{
    return Error{ErrorCode::Protocol,
                 "Toledo reply \"" + detail::printable(frame) + "\": " + std::string(what)};
}

unsigned low7(char c)
{
    return static_cast<unsigned>(static_cast<unsigned char>(c)) & 0x7Fu;
}

// Status words and the demand status byte have bit 5 set; bit 7 is parity (docs/protocols/serial-scales.md
// §4).
bool isStatusWord(char c)
{
    return (low7(c) & 0x20u) != 0;
}

// Six digits; leading spaces allowed (terminals can blank leading zeros).
std::optional<long> parseDigits(std::string_view text)
{
    long value = 0;
    bool digits = false;
    for (const char c : text) {
        if (c == ' ' && !digits) {
            continue;
        }
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        digits = true;
        value = value * 10 + (c - '0');
    }
    if (!digits) {
        return std::nullopt;
    }
    return value;
}

// SWA bits 0-2: where the decimal point is (standard continuous output).
double scaleOf(unsigned swa)
{
    static constexpr std::array<double, 8> kScale = {100.0, 10.0, 1.0, 0.1, 0.01, 0.001, 0.0001, 0.00001};
    return kScale[swa & 7u];
}

std::optional<std::string> unitOf(unsigned swb, unsigned swc)
{
    switch (swc & 7u) {
    case 0:
        return std::string((swb & 0x10u) != 0 ? "kg" : "lb");
    case 1:
        return std::string("g");
    case 2:
        return std::string("t");
    case 3:
        return std::string("oz");
    case 4:
        return std::string("ozt");
    case 5:
        return std::string("dwt");
    default:
        return std::nullopt; // long tons, custom units: no conversion to grams
    }
}

} // namespace

std::string toledoCommand(char command)
{
    return std::string(1, command);
}

const char* toString(ToledoReply::Kind kind)
{
    switch (kind) {
    case ToledoReply::Kind::Weight:
        return "weight";
    case ToledoReply::Kind::Status:
        return "status";
    case ToledoReply::Kind::Continuous:
        return "continuous";
    }
    return "?";
}

Result<ToledoReply> parseToledoDemandFrame(std::string_view frame)
{
    ToledoReply reply;
    if (!frame.empty() && frame.front() == '?') {
        if (frame.size() != 2 || !isStatusWord(frame[1]) || (low7(frame[1]) & 0x40u) == 0) {
            return std::unexpected(frameError(frame, "'?' must be followed by one status byte"));
        }
        const unsigned bits = low7(frame[1]);
        reply.kind = ToledoReply::Kind::Status;
        reply.status.motion = (bits & 0x01u) != 0;
        reply.status.outOfRange = (bits & 0x02u) != 0;
        reply.status.underZero = (bits & 0x04u) != 0;
        reply.status.outsideZeroCapture = (bits & 0x08u) != 0;
        reply.status.centreOfZero = (bits & 0x10u) != 0;
        return reply;
    }
    const auto value = detail::parseDecimal(detail::trimSpaces(frame));
    if (!value) {
        return std::unexpected(frameError(frame, "expected a weight (XXX.XX) or '?' and a status byte"));
    }
    reply.kind = ToledoReply::Kind::Weight;
    reply.value = *value;
    return reply;
}

char toledoChecksum(std::string_view frame)
{
    unsigned sum = 0;
    for (const char c : frame) {
        sum += low7(c);
    }
    return static_cast<char>((0x100u - (sum & 0xFFu)) & 0x7Fu);
}

Result<ToledoReply> parseToledoContinuousFrame(std::string_view frame, std::optional<char> checksum)
{
    // STX SWA SWB SWC, 6 digits weight, optional 6 digits tare, CR.
    if (frame.size() != 11 && frame.size() != 17) {
        return std::unexpected(frameError(frame, "a continuous frame is 11 or 17 bytes from STX to CR"));
    }
    if (frame.front() != kToledoStx || frame.back() != kCr) {
        return std::unexpected(frameError(frame, "a continuous frame runs from STX to CR"));
    }
    if (checksum && low7(*checksum) != low7(toledoChecksum(frame))) {
        return std::unexpected(frameError(frame, "checksum mismatch (line noise?)"));
    }
    const char swa = frame[1];
    const char swb = frame[2];
    const char swc = frame[3];
    if (!isStatusWord(swa) || !isStatusWord(swb) || !isStatusWord(swc)) {
        return std::unexpected(frameError(frame, "status words must have bit 5 set"));
    }
    const auto digits = parseDigits(frame.substr(4, 6));
    if (!digits) {
        return std::unexpected(frameError(frame, "weight field is not six digits"));
    }
    const auto unit = unitOf(low7(swb), low7(swc));
    if (!unit) {
        return std::unexpected(frameError(frame, "unit code has no conversion to grams"));
    }
    const unsigned a = low7(swa);
    const unsigned b = low7(swb);
    const double scale = scaleOf(a);
    const double sign = (b & 0x02u) != 0 ? -1.0 : 1.0;
    ToledoReply reply;
    reply.kind = ToledoReply::Kind::Continuous;
    reply.value = sign * static_cast<double>(*digits) * scale;
    if (frame.size() == 17) {
        const auto tare = parseDigits(frame.substr(10, 6));
        if (!tare) {
            return std::unexpected(frameError(frame, "tare field is not six digits"));
        }
        reply.tare = static_cast<double>(*tare) * scale;
    }
    reply.unit = *unit;
    reply.net = (b & 0x01u) != 0;
    reply.status.underZero = (b & 0x02u) != 0;
    reply.status.outOfRange = (b & 0x04u) != 0;
    reply.status.motion = (b & 0x08u) != 0;
    reply.status.outsideZeroCapture = (b & 0x40u) != 0;
    return reply;
}

Result<Weight> toledoWeight(const ToledoReply& reply, std::string_view demandUnit)
{
    const std::string unit =
        reply.kind == ToledoReply::Kind::Continuous ? reply.unit : std::string(demandUnit);
    const auto perUnit = gramsPerUnitSymbol(unit);
    if (!perUnit) {
        return std::unexpected(Error{ErrorCode::Protocol, "Toledo weight in unknown unit '" + unit + "'"});
    }
    Weight weight;
    weight.deviceUnit = canonicalUnitSymbol(unit);
    weight.deviceValue = reply.value.value_or(0.0);
    weight.grams = weight.deviceValue * *perUnit;
    const ToledoStatus& s = reply.status;
    const bool negative = weight.deviceValue < 0;
    if (s.outOfRange) {
        weight.status = s.underZero || negative ? WeightStatus::UnderZero : WeightStatus::Overload;
    } else if (s.underZero || negative) {
        weight.status = WeightStatus::UnderZero;
    } else if (s.outsideZeroCapture) {
        weight.status = WeightStatus::NeedsZero;
    } else if (s.motion) {
        weight.status = WeightStatus::InMotion;
    } else {
        weight.status = WeightStatus::Stable;
    }
    if (reply.kind == ToledoReply::Kind::Status && weight.status != WeightStatus::Stable) {
        weight.grams = 0; // a status record carries no weight
        weight.deviceValue = 0;
    }
    weight.stable = weight.status == WeightStatus::Stable;
    return weight;
}

std::string toledoZeroProblem(const ToledoStatus& status)
{
    if (status.motion) {
        return "in motion";
    }
    if (status.outOfRange) {
        return "out of range";
    }
    if (status.outsideZeroCapture) {
        return "outside the zero-capture range";
    }
    if (status.underZero && !status.centreOfZero) {
        return "under zero";
    }
    return {};
}

void ToledoParser::feed(std::string_view bytes, std::vector<Result<ToledoReply>>& out)
{
    for (const char c : bytes) {
        if (awaitChecksum_) {
            awaitChecksum_ = false;
            out.push_back(parseToledoContinuousFrame(frame_, c));
            frame_.clear();
            continue;
        }
        if (c == kToledoStx) {
            inFrame_ = true; // a new frame, or resynchronisation inside a broken one
            frame_.assign(1, c);
            continue;
        }
        if (!inFrame_) {
            continue; // garbage between frames
        }
        frame_ += c;
        if (c == kCr) {
            inFrame_ = false;
            if (format_ == Format::Demand) {
                out.push_back(parseToledoDemandFrame(std::string_view(frame_).substr(1, frame_.size() - 2)));
                frame_.clear();
            } else if (checksum_) {
                awaitChecksum_ = true;
            } else {
                out.push_back(parseToledoContinuousFrame(frame_, std::nullopt));
                frame_.clear();
            }
            continue;
        }
        if (frame_.size() > kMaxFrame) {
            out.push_back(std::unexpected(frameError(frame_, "frame too long, no CR")));
            frame_.clear();
            inFrame_ = false;
        }
    }
}

void ToledoParser::reset()
{
    frame_.clear();
    inFrame_ = false;
    awaitChecksum_ = false;
}

} // namespace retour::drivers::protocol
