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

// SMA scale protocol, SCP-0499 (docs/protocols/serial-scales.md §2). Command = LF <char> [data] CR; reply =
// LF <fields> CR. A weight reply is
//   LF s r n m f <10-char weight> <unit> CR
//   s status (' ' ok, Z centre of zero, O over, U under, E zero error, I initial zero error,
//   T tare error), r range digit, n G/N/T (lower case = high resolution), m 'M' in motion or ' ',
//   f reserved ' '. The weight field holds dashes when there is no valid weight.

// The command as sent: LF, the command character(s), CR ("\nW\r").
std::string smaCommand(std::string_view command);

struct SmaReading
{
    char status = ' ';
    char range = '1';
    char mode = 'G';             // 'G' gross, 'N' net, 'T' tare (upper case; see highResolution)
    bool highResolution = false; // lower-case mode letter (H command)
    bool motion = false;
    std::optional<double> value; // nullopt when the field holds dashes
    std::string unit;            // spaces removed ("lb", "kg")
};

struct SmaReply
{
    enum class Kind
    {
        Reading, // a weight reply (W, H, R, S, Z, T, M)
        Unknown, // "?": the scale did not understand the command
        Text,    // an about / information line ("SMA:2/1.0", "MFG:…", "CAP:…")
    };
    Kind kind = Kind::Reading;
    SmaReading reading; // Kind::Reading
    std::string text;   // Kind::Text
};

// Parse the bytes between LF and CR. Echo or padding bytes before the [status][digit][G|N|T]
// header are skipped, as a Weigh-Tronix ZM-301 sends them (docs/protocols/serial-scales.md §2). Anything else
// gives a Protocol error; never throws. Reentrant.
Result<SmaReply> parseSmaFrame(std::string_view frame);

// The Weight a reading means: status ' '/'Z' with motion 'M' → InMotion, else Stable (centre of
// zero is a valid 0); O → Overload; U → UnderZero; E, I → NeedsZero; T → Fault; a negative value →
// UnderZero. Tare readings (mode T) are not weights: Protocol error. Reentrant.
Result<Weight> smaWeight(const SmaReading& reading);

// Frames a byte stream: a frame starts at LF and ends at CR; bytes outside frames are garbage and
// skipped; a LF inside a frame starts it over (resynchronisation); ESC drops a partial frame; a
// frame longer than kMaxFrame is dropped (one error).
//
// Thread contract: thread-bound (one parser per device).
class SmaParser : public StreamParser<SmaParser, SmaReply>
{
public:
    using StreamParser::feed;
    static constexpr std::size_t kMaxFrame = 128;

    void feed(std::string_view bytes, std::vector<Result<SmaReply>>& out);
    void reset();

private:
    std::string frame_;
    bool inFrame_ = false;
};

} // namespace retour::drivers::protocol
