#pragma once

#include "retour/drivers/error.h"
#include "retour/drivers/events.h"
#include "scale/commands_in_flight.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::drivers::detail {

// What a serial / TCP scale driver needs from one protocol: the commands to send and the meaning
// of the bytes that come back. Implementations wrap the pure parsers (mt_sics.h, sma.h, nci.h).
//
// Thread contract: thread-bound (one per device).
class ScaleProtocol
{
public:
    virtual ~ScaleProtocol() = default;

    // One reply of the scale, as the driver sees it.
    struct Reply
    {
        std::optional<Weight> weight;        // a reading (not yet through the stable policy)
        std::optional<std::string> identity; // serial number or model from the identify command
        std::optional<ZeroResult> zero;      // the answer to a zero command
        std::optional<TareResult> tare;      // the answer to a tare command
        std::string problem;                 // why the reply was not a reading ("" when it was)
        bool answer = false;                 // a well-formed reply (even "busy" or "?"): the scale is there
    };

    virtual const char* name() const = 0;            // "MT-SICS"
    virtual std::string identifyCommand() const = 0; // "" when the protocol has none
    virtual std::string pollCommand() const = 0;
    virtual std::string streamCommand() const = 0; // "" when the protocol cannot stream
    virtual std::string zeroCommand() const = 0;
    // Tare (clear = false) or clear the tare (clear = true); "" when the protocol cannot.
    virtual std::string tareCommand(bool /*clear*/) const { return {}; }

    // The driver wrote `command` (one of the above). Protocols whose replies do not name their
    // command (SMA, NCI, Toledo) keep the commands in flight to know which reply answers a zero.
    virtual void sent(std::string_view /*command*/) {}
    // The oldest command in flight got no answer (reply timeout).
    virtual void missed() {}
    // Feed received bytes; appends one Reply per complete reply. Garbage gives a Reply with only a
    // problem and answer = false: noise on the line does not prove the scale is there.
    virtual void feed(std::string_view bytes, std::vector<Reply>& out) = 0;
    virtual void reset() = 0;
};

// Base of the protocols whose replies do not name their command (SMA, NCI, Toledo demand): each
// reply answers the oldest command in flight. sent() files the command as a zero, tare, clear tare
// or poll by comparing it with zeroCommand() / tareCommand().
//
// Thread contract: thread-bound (one per device).
class InFlightScaleProtocol : public ScaleProtocol
{
public:
    void sent(std::string_view command) override;
    void missed() override { inFlight_.missed(); }

protected:
    CommandsInFlight inFlight_;
};

// Feeds `bytes` to `parser` and appends one Reply per complete frame: a malformed frame gives a
// Reply with only its problem (answer = false); a well-formed one is marked answer = true and given
// to handle(frame, reply) to fill in. `frames` is scratch space kept by the caller.
template <class Parser, class Frame, class Handle>
void feedReplies(Parser& parser, std::vector<Result<Frame>>& frames, std::string_view bytes,
                 std::vector<ScaleProtocol::Reply>& out, Handle&& handle)
{
    frames.clear();
    parser.feed(bytes, frames);
    for (auto& frame : frames) {
        ScaleProtocol::Reply reply;
        reply.answer = frame.has_value();
        if (frame) {
            handle(*frame, reply);
        } else {
            reply.problem = frame.error().message;
        }
        out.push_back(std::move(reply));
    }
}

// Fills reply.zero or reply.tare for the answer to `command` (problem "" = done; tare: the tare now
// held, when the reply says).
void answerScaleControl(CommandsInFlight::Command command, std::string problem,
                        const std::optional<Weight>& tare, ScaleProtocol::Reply& reply);

std::unique_ptr<ScaleProtocol> makeMtSicsProtocol();
std::unique_ptr<ScaleProtocol> makeSmaProtocol();
std::unique_ptr<ScaleProtocol> makeNciProtocol();
// Toledo 8213 demand (polled with W) or Toledo continuous output (streamed), docs/protocols/serial-scales.md
// §4. Demand replies carry no unit: `unit` names the scale's setting. `checksum`: the continuous output ends
// each frame with a checksum byte.
std::unique_ptr<ScaleProtocol> makeToledoDemandProtocol(std::string unit);
std::unique_ptr<ScaleProtocol> makeToledoContinuousProtocol(bool checksum);

} // namespace retour::drivers::detail
