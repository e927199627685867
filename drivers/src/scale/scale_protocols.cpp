#include "retour/drivers/protocol/mt_sics.h"
#include "retour/drivers/protocol/nci.h"
#include "retour/drivers/protocol/sma.h"
#include "retour/drivers/protocol/weight_units.h"
#include "scale/commands_in_flight.h"
#include "scale/scale_protocol.h"

namespace retour::drivers::detail {

namespace {

using Command = CommandsInFlight::Command;

// The answer to a zero or tare command as an event. `tare`: the tare now held, when known.
void answerControl(Command command, std::string problem, const std::optional<Weight>& tare,
                   ScaleProtocol::Reply& reply)
{
    if (command == Command::Zero) {
        reply.zero = ZeroResult{problem.empty(), std::move(problem)};
        return;
    }
    TareResult result;
    result.ok = problem.empty();
    if (result.ok && command == Command::ClearTare) {
        result.grams = 0;
    } else if (result.ok && tare) {
        result.grams = tare->grams;
        result.deviceValue = tare->deviceValue;
        result.deviceUnit = tare->deviceUnit;
    }
    result.reason = std::move(problem);
    reply.tare = std::move(result);
}

// docs/protocols/serial-scales.md §1: @ resets (ends SIR) and answers with the serial number; SI polls; SIR
// streams.
class MtSicsProtocol final : public ScaleProtocol
{
public:
    const char* name() const override { return "MT-SICS"; }
    std::string identifyCommand() const override
    {
        return std::string(protocol::mtSicsCommandText(protocol::MtSicsCommand::Reset));
    }
    std::string pollCommand() const override
    {
        return std::string(protocol::mtSicsCommandText(protocol::MtSicsCommand::Immediate));
    }
    std::string streamCommand() const override
    {
        return std::string(protocol::mtSicsCommandText(protocol::MtSicsCommand::Repeat));
    }
    std::string zeroCommand() const override
    {
        return std::string(protocol::mtSicsCommandText(protocol::MtSicsCommand::Zero));
    }
    std::string tareCommand(bool clear) const override
    {
        return std::string(protocol::mtSicsCommandText(clear ? protocol::MtSicsCommand::ClearTare
                                                             : protocol::MtSicsCommand::Tare));
    }
    void sent(std::string_view command) override
    {
        if (command == tareCommand(true)) {
            control_ = Command::ClearTare;
        } else if (command == tareCommand(false)) {
            control_ = Command::Tare;
        } else if (command == zeroCommand()) {
            control_ = Command::Zero;
        }
    }

    void feed(std::string_view bytes, std::vector<Reply>& out) override
    {
        feedReplies(parser_, lines_, bytes, out,
                    [this](const protocol::MtSicsReply& line, Reply& reply) { interpret(line, reply); });
    }
    void reset() override
    {
        parser_.reset();
        control_ = Command::Poll;
    }

private:
    void interpret(const protocol::MtSicsReply& line, Reply& reply)
    {
        using K = protocol::MtSicsReply::Kind;
        if (const auto control = protocol::mtSicsControlProblem(line)) {
            // Z / ZI / T / TI / TA / TAC name themselves in the reply.
            const bool zero = line.command == "Z" || line.command == "ZI";
            const Command command =
                zero ? Command::Zero : (line.command == "TAC" ? Command::ClearTare : Command::Tare);
            std::optional<Weight> tare;
            if (line.kind == K::Weight) {
                if (auto weight = protocol::mtSicsWeight(line)) {
                    tare = std::move(*weight);
                }
            }
            answerControl(command, *control, tare, reply);
            control_ = Command::Poll;
        } else if (control_ != Command::Poll &&
                   (line.kind == K::SyntaxError || line.kind == K::LogicalError ||
                    line.kind == K::TransmissionError)) {
            // ES / EL / ET name no command: they answer the zero or tare in flight.
            const char* why = line.kind == K::SyntaxError ? "the balance does not know the command (ES)"
                              : line.kind == K::LogicalError
                                  ? "the balance cannot execute it now (EL)"
                                  : "transmission error on the balance's side (ET)";
            answerControl(control_, why, std::nullopt, reply);
            control_ = Command::Poll;
        } else if (line.command == "S" &&
                   (line.kind == K::Weight || line.kind == K::Overload || line.kind == K::Underload)) {
            auto weight = protocol::mtSicsWeight(line);
            if (weight) {
                reply.weight = std::move(*weight);
            } else {
                reply.problem = weight.error().message;
            }
        } else if (line.kind == K::Info && (line.command == "I4" || line.command == "I2")) {
            reply.identity = line.text;
        } else if (line.kind != K::Done && line.kind != K::Info && line.kind != K::More) {
            reply.problem = "MT-SICS reply '" + line.command + "' " + toString(line.kind);
        }
    }

    protocol::MtSicsParser parser_;
    Command control_ = Command::Poll; // a zero or tare in flight (Poll: none)
    std::vector<Result<protocol::MtSicsReply>> lines_;
};

// docs/protocols/serial-scales.md §2: W polls the displayed weight, R repeats it, Z zeroes.
class SmaProtocol final : public InFlightScaleProtocol
{
public:
    const char* name() const override { return "SMA"; }
    std::string identifyCommand() const override { return {}; }
    std::string pollCommand() const override { return protocol::smaCommand("W"); }
    std::string streamCommand() const override { return protocol::smaCommand("R"); }
    std::string zeroCommand() const override { return protocol::smaCommand("Z"); }
    std::string tareCommand(bool clear) const override { return protocol::smaCommand(clear ? "C" : "T"); }

    void feed(std::string_view bytes, std::vector<Reply>& out) override
    {
        feedReplies(parser_, frames_, bytes, out,
                    [this](const protocol::SmaReply& frame, Reply& reply) { interpret(frame, reply); });
    }
    void reset() override
    {
        parser_.reset();
        inFlight_.clear();
    }

private:
    void interpret(const protocol::SmaReply& frame, Reply& reply)
    {
        const Command command =
            frame.kind == protocol::SmaReply::Kind::Text ? Command::Poll : inFlight_.answered();
        if (frame.kind == protocol::SmaReply::Kind::Reading) {
            auto weight = protocol::smaWeight(frame.reading);
            if (weight) {
                reply.weight = std::move(*weight);
            } else {
                reply.problem = weight.error().message;
            }
        } else if (frame.kind == protocol::SmaReply::Kind::Unknown) {
            reply.problem = "SMA: the scale did not understand the command (?)";
        }
        if (command != Command::Poll) {
            // The reply to Z / T / C is a standard reply; its status says whether it worked
            // (docs/protocols/serial-scales.md §2).
            std::string problem;
            const char status = frame.reading.status;
            const bool zero = command == Command::Zero;
            if (frame.kind == protocol::SmaReply::Kind::Unknown) {
                problem = "the scale does not know the command (?)";
            } else if (zero && (status == 'E' || status == 'I')) {
                problem = "zero error (status " + std::string(1, status) + ")";
            } else if (!zero && status == 'T') {
                problem = "tare error (status T)";
            } else if (status == 'O') {
                problem = "over capacity";
            } else if (zero && frame.reading.motion) {
                problem = "in motion";
            }
            answerControl(command, std::move(problem), std::nullopt, reply);
        }
    }

    protocol::SmaParser parser_;
    std::vector<Result<protocol::SmaReply>> frames_;
};

// docs/protocols/serial-scales.md §3: W polls weight and status, Z zeroes; no streaming.
class NciProtocol final : public InFlightScaleProtocol
{
public:
    const char* name() const override { return "NCI"; }
    std::string identifyCommand() const override { return {}; }
    std::string pollCommand() const override { return protocol::nciCommand('W'); }
    std::string streamCommand() const override { return {}; }
    std::string zeroCommand() const override { return protocol::nciCommand('Z'); }

    void feed(std::string_view bytes, std::vector<Reply>& out) override
    {
        feedReplies(parser_, frames_, bytes, out,
                    [this](const protocol::NciReply& frame, Reply& reply) { interpret(frame, reply); });
    }
    void reset() override
    {
        parser_.reset();
        inFlight_.clear();
    }

private:
    void interpret(const protocol::NciReply& frame, Reply& reply)
    {
        const Command command = inFlight_.answered();
        auto weight = protocol::nciWeight(frame);
        if (weight) {
            reply.weight = std::move(*weight);
        } else if (command != Command::Zero) {
            reply.problem = weight.error().message;
        }
        if (command == Command::Zero) {
            // Z answers with the status (docs/protocols/serial-scales.md §3): zeroed unless moving, out of
            // range or in error.
            const protocol::NciStatus& st = frame.status;
            std::string problem;
            if (frame.kind == protocol::NciReply::Kind::Unknown) {
                problem = "the scale does not know the command (?)";
            } else if (st.motion) {
                problem = "in motion";
            } else if (st.overCapacity || st.underCapacity) {
                problem = "out of range";
            } else if (st.initialZeroError) {
                problem = "initial zero error";
            } else if (st.ramError || st.romError || st.eepromError || st.calibrationError) {
                problem = "scale fault";
            }
            answerControl(command, std::move(problem), std::nullopt, reply);
        }
    }

    protocol::NciParser parser_;
    std::vector<Result<protocol::NciReply>> frames_;
};

} // namespace

void InFlightScaleProtocol::sent(std::string_view command)
{
    if (command == zeroCommand()) {
        inFlight_.sent(Command::Zero);
    } else if (command == tareCommand(false)) {
        inFlight_.sent(Command::Tare);
    } else if (command == tareCommand(true)) {
        inFlight_.sent(Command::ClearTare);
    } else {
        inFlight_.sent(Command::Poll); // a poll, or a stream command whose first reading answers it
    }
}

void answerScaleControl(CommandsInFlight::Command command, std::string problem,
                        const std::optional<Weight>& tare, ScaleProtocol::Reply& reply)
{
    answerControl(command, std::move(problem), tare, reply);
}

std::unique_ptr<ScaleProtocol> makeMtSicsProtocol()
{
    return std::make_unique<MtSicsProtocol>();
}

std::unique_ptr<ScaleProtocol> makeSmaProtocol()
{
    return std::make_unique<SmaProtocol>();
}

std::unique_ptr<ScaleProtocol> makeNciProtocol()
{
    return std::make_unique<NciProtocol>();
}

} // namespace retour::drivers::detail
