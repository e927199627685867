#include "retour/drivers/protocol/sma.h"

#include "retour/drivers/protocol/weight_units.h"
#include "scale/text_util.h"

namespace retour::drivers::protocol {

namespace {

constexpr char kLf = '\n';
constexpr char kCr = '\r';
constexpr char kEsc = 0x1B;
constexpr std::size_t kHeader = 5;       // s r n m f
constexpr std::size_t kWeightField = 10; // right-justified

Error frameError(std::string_view frame, std::string_view what)
{
    return Error{ErrorCode::Protocol, "SMA reply \"" + detail::printable(frame) + "\": " + std::string(what)};
}

bool isStatus(char c)
{
    return c == ' ' || c == 'Z' || c == 'O' || c == 'U' || c == 'E' || c == 'I' || c == 'T';
}

bool isMode(char c)
{
    return c == 'G' || c == 'N' || c == 'T' || c == 'g' || c == 'n' || c == 't';
}

// Where the [status][range digit][mode] header starts, or npos.
std::size_t findHeader(std::string_view frame)
{
    for (std::size_t i = 0; i + kHeader + kWeightField <= frame.size(); ++i) {
        if (isStatus(frame[i]) && frame[i + 1] >= '1' && frame[i + 1] <= '5' && isMode(frame[i + 2]) &&
            (frame[i + 3] == 'M' || frame[i + 3] == ' ')) {
            return i;
        }
    }
    return std::string_view::npos;
}

} // namespace

std::string smaCommand(std::string_view command)
{
    std::string out;
    out += kLf;
    out += command;
    out += kCr;
    return out;
}

Result<SmaReply> parseSmaFrame(std::string_view frame)
{
    SmaReply reply;
    if (detail::trimSpaces(frame) == "?") {
        reply.kind = SmaReply::Kind::Unknown;
        return reply;
    }
    for (const char c : frame) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7F) {
            return std::unexpected(frameError(frame, "control or non-ASCII byte in the reply"));
        }
    }
    const auto at = findHeader(frame);
    if (at == std::string_view::npos) {
        const auto colon = frame.find(':');
        if (colon != std::string_view::npos && colon >= 2) {
            reply.kind = SmaReply::Kind::Text;
            reply.text = std::string(detail::trimSpaces(frame));
            return reply;
        }
        return std::unexpected(frameError(frame, "no [status][range][G|N|T] header"));
    }
    SmaReading& r = reply.reading;
    r.status = frame[at];
    r.range = frame[at + 1];
    const char mode = frame[at + 2];
    r.highResolution = mode >= 'a' && mode <= 'z';
    r.mode = r.highResolution ? static_cast<char>(mode - 'a' + 'A') : mode;
    r.motion = frame[at + 3] == 'M';
    const std::string_view field = detail::trimSpaces(frame.substr(at + kHeader, kWeightField));
    const std::string_view unit = detail::trimSpaces(frame.substr(at + kHeader + kWeightField));
    if (unit.empty()) {
        return std::unexpected(frameError(frame, "no unit after the weight field"));
    }
    r.unit = canonicalUnitSymbol(unit);
    if (field.find_first_not_of("-.") == std::string_view::npos) {
        r.value = std::nullopt; // dashes: no valid weight (over / under capacity, errors)
    } else if (const auto value = detail::parseDecimal(field)) {
        r.value = *value;
    } else {
        return std::unexpected(frameError(frame, "weight field is not a number"));
    }
    return reply;
}

Result<Weight> smaWeight(const SmaReading& reading)
{
    if (reading.mode == 'T') {
        return std::unexpected(Error{ErrorCode::Protocol, "SMA tare reading is not a weight"});
    }
    Weight weight;
    weight.deviceUnit = reading.unit;
    switch (reading.status) {
    case 'O':
        weight.status = WeightStatus::Overload;
        return weight;
    case 'U':
        weight.status = WeightStatus::UnderZero;
        break;
    case 'E':
    case 'I':
        weight.status = WeightStatus::NeedsZero;
        return weight;
    case 'T':
        weight.status = WeightStatus::Fault; // tare refused; reported once, then cleared
                                             // (docs/protocols/serial-scales.md §2)
        return weight;
    default:
        weight.status = reading.motion ? WeightStatus::InMotion : WeightStatus::Stable;
        break;
    }
    if (!reading.value) {
        if (weight.status == WeightStatus::UnderZero) {
            return weight;
        }
        return std::unexpected(
            Error{ErrorCode::Protocol,
                  "SMA reading with status '" + std::string(1, reading.status) + "' has no weight"});
    }
    const auto perUnit = gramsPerUnitSymbol(reading.unit);
    if (!perUnit) {
        return std::unexpected(
            Error{ErrorCode::Protocol, "SMA weight in unknown unit '" + reading.unit + "'"});
    }
    weight.deviceValue = *reading.value;
    weight.grams = *reading.value * *perUnit;
    if (weight.deviceValue < 0) {
        weight.status = WeightStatus::UnderZero;
    }
    weight.stable = weight.status == WeightStatus::Stable;
    return weight;
}

void SmaParser::feed(std::string_view bytes, std::vector<Result<SmaReply>>& out)
{
    for (const char c : bytes) {
        if (c == kLf) {
            frame_.clear(); // a new frame; an unfinished one before it was cut off
            inFrame_ = true;
        } else if (c == kEsc) {
            frame_.clear();
            inFrame_ = false;
        } else if (!inFrame_) {
            continue; // garbage between frames
        } else if (c == kCr) {
            out.push_back(parseSmaFrame(frame_));
            frame_.clear();
            inFrame_ = false;
        } else if (frame_.size() >= kMaxFrame) {
            out.push_back(std::unexpected(
                Error{ErrorCode::Protocol,
                      "SMA: reply longer than " + std::to_string(kMaxFrame) + " bytes without CR dropped"}));
            frame_.clear();
            inFrame_ = false;
        } else {
            frame_ += c;
        }
    }
}

void SmaParser::reset()
{
    frame_.clear();
    inFrame_ = false;
}

} // namespace retour::drivers::protocol
