#include "retour/drivers/protocol/toledo.h"
#include "scale/commands_in_flight.h"
#include "scale/scale_protocol.h"

namespace retour::drivers::detail {

namespace {

using Command = CommandsInFlight::Command;

void weigh(const protocol::ToledoReply& frame, std::string_view unit, ScaleProtocol::Reply& reply)
{
    if (auto weight = protocol::toledoWeight(frame, unit)) {
        reply.weight = std::move(*weight);
    } else {
        reply.problem = weight.error().message;
    }
}

// docs/protocols/serial-scales.md §4, demand format: W polls, Z zeroes and answers with the status record; no
// identify command, no streaming, no tare.
class ToledoDemandProtocol final : public InFlightScaleProtocol
{
public:
    explicit ToledoDemandProtocol(std::string unit) : unit_(std::move(unit)) {}

    const char* name() const override { return "Toledo"; }
    std::string identifyCommand() const override { return {}; }
    std::string pollCommand() const override { return protocol::toledoCommand('W'); }
    std::string streamCommand() const override { return {}; }
    std::string zeroCommand() const override { return protocol::toledoCommand('Z'); }

    void feed(std::string_view bytes, std::vector<Reply>& out) override
    {
        feedReplies(parser_, frames_, bytes, out, [this](const protocol::ToledoReply& frame, Reply& reply) {
            if (inFlight_.answered() != Command::Zero) {
                weigh(frame, unit_, reply);
            } else if (frame.kind == protocol::ToledoReply::Kind::Status) {
                answerScaleControl(Command::Zero, protocol::toledoZeroProblem(frame.status), std::nullopt,
                                   reply);
            } else {
                answerScaleControl(Command::Zero, "the scale answered Z with a weight, not a status record",
                                   std::nullopt, reply);
            }
        });
    }
    void reset() override
    {
        parser_.reset();
        inFlight_.clear();
    }

private:
    std::string unit_;
    protocol::ToledoParser parser_{protocol::ToledoParser::Format::Demand};
    std::vector<Result<protocol::ToledoReply>> frames_;
};

// docs/protocols/serial-scales.md §4, continuous output: the scale streams frames unasked; nothing is ever
// sent.
class ToledoContinuousProtocol final : public ScaleProtocol
{
public:
    explicit ToledoContinuousProtocol(bool checksum)
        : parser_(protocol::ToledoParser::Format::Continuous, checksum)
    {}

    const char* name() const override { return "Toledo continuous"; }
    std::string identifyCommand() const override { return {}; }
    std::string pollCommand() const override { return {}; }
    std::string streamCommand() const override { return {}; }
    std::string zeroCommand() const override { return {}; }

    void feed(std::string_view bytes, std::vector<Reply>& out) override
    {
        feedReplies(parser_, frames_, bytes, out,
                    [](const protocol::ToledoReply& frame, Reply& reply) { weigh(frame, {}, reply); });
    }
    void reset() override { parser_.reset(); }

private:
    protocol::ToledoParser parser_;
    std::vector<Result<protocol::ToledoReply>> frames_;
};

} // namespace

std::unique_ptr<ScaleProtocol> makeToledoDemandProtocol(std::string unit)
{
    return std::make_unique<ToledoDemandProtocol>(std::move(unit));
}

std::unique_ptr<ScaleProtocol> makeToledoContinuousProtocol(bool checksum)
{
    return std::make_unique<ToledoContinuousProtocol>(checksum);
}

} // namespace retour::drivers::detail
