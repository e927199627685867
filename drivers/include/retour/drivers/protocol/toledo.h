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

// Toledo 8213 "demand" format and Toledo continuous output (docs/protocols/serial-scales.md §4).
//
// Demand (polled): the host sends one byte, 'W' (weight) or 'Z' (zero); the scale answers
//   STX "XXX.XX" CR            a valid weight, no unit (the unit is the scale's setting)
//   STX '?' <status> CR        no valid weight (and always after 'Z'): a status record
// Status byte bits (in the order the Transcell PC-150 manual lists them; the bit order is
// unverified on hardware, docs/protocols/serial-scales.md §4): 0 motion, 1 out of range, 2 under zero, 3
// outside the zero-capture range, 4 centre of zero, 5 and 6 always 1, 7 parity (ignored).
//
// Continuous (streamed): STX SWA SWB SWC <6 digits weight> [<6 digits tare>] CR [CHK], where CHK
// is the two's complement of the sum of the low 7 bits of every byte from STX to CR. Status words
// as the Mettler Toledo terminals (IND-series "standard continuous output") define them; not
// verified on hardware here:
//   SWA bits 0-2 decimal point: 0 → ×100, 1 → ×10, 2 → ×1, 3..7 → 1..5 decimals
//   SWB bit 0 net, 1 negative, 2 out of range, 3 motion, 4 kg (else lb), 6 zero not yet captured
//   SWC bits 0-2 unit: 0 lb/kg (from SWB), 1 g, 2 t, 3 oz, 4 ozt, 5 dwt; others unknown
// Bit 5 of each status word is always 1 and bit 7 is parity (ignored).

constexpr char kToledoStx = 0x02;

// The demand command as sent ("W", "Z").
std::string toledoCommand(char command);

struct ToledoStatus
{
    bool motion = false;
    bool outOfRange = false;
    bool underZero = false;
    bool outsideZeroCapture = false; // the scale could not capture zero (needs re-zeroing)
    bool centreOfZero = false;
};

struct ToledoReply
{
    enum class Kind
    {
        Weight,     // demand: "XXX.XX"
        Status,     // demand: '?' and the status byte
        Continuous, // a continuous-output frame
    };
    Kind kind = Kind::Weight;
    std::optional<double> value; // Weight, Continuous: signed, in `unit` (demand: no unit sent)
    std::optional<double> tare;  // Continuous, long form only
    std::string unit;            // Continuous: "lb", "kg", "g", "t", "oz", "ozt", "dwt"; "" otherwise
    ToledoStatus status;         // Status; Continuous sets motion, outOfRange, underZero (negative)
                                 //   and outsideZeroCapture (power-up, zero not captured)
    bool net = false;            // Continuous: net weight (else gross)
};

const char* toString(ToledoReply::Kind kind);

// One demand frame: the bytes between STX and CR. Never throws; anything else gives a Protocol
// error quoting it. Reentrant.
Result<ToledoReply> parseToledoDemandFrame(std::string_view frame);

// One continuous frame: STX through CR inclusive, and the checksum byte when the output sends
// one (a wrong checksum is a Protocol error). Reentrant.
Result<ToledoReply> parseToledoContinuousFrame(std::string_view frame, std::optional<char> checksum);

// The checksum byte a continuous frame (STX … CR) ends with.
char toledoChecksum(std::string_view frame);

// The Weight a reply means, with the same statuses as the other scales: out of range → Overload
// (UnderZero when the value is negative or the under-zero bit is set), under zero → UnderZero,
// outside the zero-capture range → NeedsZero, motion → InMotion, else Stable (centre of zero is a
// valid 0). Demand replies carry no unit: `demandUnit` ("lb" by default at the factory) names it;
// an unknown unit is a Protocol error. Reentrant.
Result<Weight> toledoWeight(const ToledoReply& reply, std::string_view demandUnit);

// Whether a status record answering 'Z' says the scale zeroed, and why not: "" when it did.
std::string toledoZeroProblem(const ToledoStatus& status);

// Frames a byte stream. Demand: a frame starts at STX and ends at CR. Continuous: the same, then
// one checksum byte when `checksum` is set. Bytes outside frames are garbage and skipped, an STX
// inside a frame starts it over (resynchronisation), a frame longer than kMaxFrame is dropped (one
// error).
//
// Thread contract: thread-bound (one parser per device).
class ToledoParser : public StreamParser<ToledoParser, ToledoReply>
{
public:
    using StreamParser::feed;
    enum class Format
    {
        Demand,
        Continuous,
    };
    static constexpr std::size_t kMaxFrame = 32;

    explicit ToledoParser(Format format = Format::Demand, bool checksum = true)
        : format_(format), checksum_(checksum)
    {}

    void feed(std::string_view bytes, std::vector<Result<ToledoReply>>& out);
    void reset();

    Format format() const { return format_; }

private:
    Format format_;
    bool checksum_;
    std::string frame_; // from STX
    bool inFrame_ = false;
    bool awaitChecksum_ = false; // continuous: CR seen, the checksum byte comes next
};

} // namespace retour::drivers::protocol
