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

// Mettler Toledo MT-SICS (docs/protocols/serial-scales.md §1): ASCII commands and replies, each line ending
// in CR LF. Reply lines are "<cmd> <status> [args…]", e.g. "S S     100.00 g", "Z A", "I4 A \"B123\"", or a
// general error "ES" / "ET" / "EL".

enum class MtSicsCommand
{
    Reset,         // @    cancels SIR, answers with the serial number (I4 A "…")
    Stable,        // S    stable weight (waits for stability)
    Immediate,     // SI   weight now, stable or dynamic
    Repeat,        // SIR  SI repeated until the next command
    Zero,          // Z
    ZeroImmediate, // ZI
    Tare,          // T    tare (stable)
    TareImmediate, // TI
    ClearTare,     // TAC
    SerialNumber,  // I4
};

// The command as sent, terminator included ("SI\r\n").
std::string_view mtSicsCommandText(MtSicsCommand command);

struct MtSicsReply
{
    enum class Kind
    {
        Weight,            // <cmd> S|D <value> <unit>: S, SI, SIR, T, TI… (stable = status 'S')
        Done,              // <cmd> A, or S|D without a value (ZI D): the command was carried out
        Info,              // <cmd> A "<text>…": @, I0…I5 (text = the quoted arguments, unquoted)
        More,              // <cmd> B …: one line of a multi-line answer
        NotExecutable,     // <cmd> I: busy (taring, stability timeout)
        Overload,          // <cmd> +: above range (S +, Z +)
        Underload,         // <cmd> -: below range (S -, Z -)
        AlreadyInState,    // <cmd> L: e.g. PWR L
        SyntaxError,       // ES: command not recognised
        TransmissionError, // ET: parity or overrun on the scale's side
        LogicalError,      // EL: cannot execute, wrong parameter
    };
    Kind kind = Kind::Done;
    std::string command; // the echo ("S", "Z", "I4"); "" for ES / ET / EL
    bool stable = false; // Kind::Weight: status 'S' rather than 'D'
    double value = 0;    // Kind::Weight, in `unit`
    std::string unit;    // Kind::Weight, as sent ("g", "kg", "lb")
    std::string text;    // Kind::Info / More: quoted arguments joined by spaces; else ""
};

const char* toString(MtSicsReply::Kind kind);

// Parse one line (without its CR LF). A line that is not an MT-SICS reply (empty, control bytes,
// unknown status, malformed value) gives a Protocol error quoting it; never throws. Reentrant.
Result<MtSicsReply> parseMtSicsLine(std::string_view line);

// The Weight a reply means, or a Protocol error when it carries none. "S S"/"S D" give Stable /
// InMotion; a negative value gives UnderZero (like the HID POS under-zero status); "S +" Overload;
// "S -" UnderZero without a value. grams are converted from the unit (weight_units.h); an unknown
// unit is a Protocol error. Reentrant.
Result<Weight> mtSicsWeight(const MtSicsReply& reply);

// What a reply to a zero (Z, ZI) or tare (T, TI, TA, TAC) command says: std::nullopt when the reply
// answers another command; else "" when the balance did it, or its reason (docs/protocols/serial-scales.md
// §1: "I" busy or not stable, "+" / "-" above / below the range). Reentrant.
std::optional<std::string> mtSicsControlProblem(const MtSicsReply& reply);

// Splits a byte stream into reply lines and parses them. CR LF, lone LF and lone CR all end a
// line (empty lines are skipped), so split frames, missing CRs and bytes cut at any point are
// handled; a line longer than kMaxLine is garbage and dropped up to the next line end (one error).
//
// Thread contract: thread-bound (one parser per device).
class MtSicsParser : public StreamParser<MtSicsParser, MtSicsReply>
{
public:
    using StreamParser::feed;
    static constexpr std::size_t kMaxLine = 256;

    // Feed bytes; appends one result per completed line to `out`.
    void feed(std::string_view bytes, std::vector<Result<MtSicsReply>>& out);

    // Forget a partial line (the device was re-opened).
    void reset();

    // Bytes of the line not yet ended.
    std::size_t pending() const { return line_.size(); }

private:
    std::string line_;
    bool overflow_ = false; // dropping an overlong line until its end
};

} // namespace retour::drivers::protocol
