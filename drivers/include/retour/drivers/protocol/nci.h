#pragma once

#include "retour/drivers/error.h"
#include "retour/drivers/events.h"
#include "retour/drivers/protocol/stream_parser.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::drivers::protocol {

// NCI / Weigh-Tronix SCP-01 (and the SCP-02 variant) (docs/protocols/serial-scales.md §3). Commands are one
// character and CR ("W\r"); replies end in ETX:
//   W → LF <weight><unit> CR LF <status bytes> CR ETX   ("0002.50LB", or "xxlb xx.xoz")
//   S → LF <status bytes> CR ETX                         unknown → LF ? CR ETX
// Status bytes are ASCII with bits 4 and 5 set ('0' = idle); bit 7 is parity and ignored.

// The command as sent ("W\r").
std::string nciCommand(char command);

struct NciStatus
{
    bool motion = false;           // byte 1 bit 0
    bool atZero = false;           // byte 1 bit 1
    bool ramError = false;         // byte 1 bit 2
    bool eepromError = false;      // byte 1 bit 3
    bool underCapacity = false;    // byte 2 bit 0
    bool overCapacity = false;     // byte 2 bit 1
    bool romError = false;         // byte 2 bit 2
    bool calibrationError = false; // byte 2 bit 3
    std::optional<bool> net;       // byte 3 bit 2, when sent
    bool initialZeroError = false; // byte 3 bit 3
};

struct NciReply
{
    enum class Kind
    {
        Weight,  // weight line and status
        Status,  // status only (S, or W while the scale cannot weigh)
        Unknown, // "?": the command was not understood
    };
    Kind kind = Kind::Status;
    std::optional<double> value; // Kind::Weight: in `unit` (lb-oz displays are given in lb)
    std::string unit;            // "lb", "kg", "oz", "g"
    NciStatus status;
};

// Parse the bytes of one reply before its ETX. Bytes before the first LF are skipped (echo,
// noise). Never throws; malformed replies give a Protocol error. Reentrant.
Result<NciReply> parseNciFrame(std::string_view frame);

// The Weight a reply means: RAM/ROM/EEPROM errors → Fault; calibration error → NeedsCalibration;
// initial zero error → NeedsZero; over capacity → Overload; under capacity or a negative value →
// UnderZero; motion → InMotion; else Stable (at zero is a valid 0). Unknown replies and a weight
// status with no weight line are Protocol errors. Reentrant.
Result<Weight> nciWeight(const NciReply& reply);

// Splits a byte stream at ETX and parses each reply; a reply longer than kMaxFrame is dropped up to
// the next ETX (one error).
//
// Thread contract: thread-bound (one parser per device).
class NciParser : public StreamParser<NciParser, NciReply>
{
public:
    using StreamParser::feed;
    static constexpr std::size_t kMaxFrame = 128;

    void feed(std::string_view bytes, std::vector<Result<NciReply>>& out);
    void reset();

private:
    std::string frame_;
    bool overflow_ = false;
};

} // namespace retour::drivers::protocol
