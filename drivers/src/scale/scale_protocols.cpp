#include "retour/drivers/protocol/mt_sics.h"
#include "retour/drivers/protocol/nci.h"
#include "retour/drivers/protocol/sma.h"
#include "scale/scale_protocol.h"

namespace retour::drivers::detail {

namespace {

// devices.md §2.1: @ resets (ends SIR) and answers with the serial number; SI polls; SIR streams.
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

    void feed(std::string_view bytes, std::vector<Reply>& out) override
    {
        using K = protocol::MtSicsReply::Kind;
        lines_.clear();
        parser_.feed(bytes, lines_);
        for (auto& line : lines_) {
            Reply reply;
            reply.answer = line.has_value();
            if (!line) {
                reply.problem = line.error().message;
            } else if (line->command == "S" &&
                       (line->kind == K::Weight || line->kind == K::Overload || line->kind == K::Underload)) {
                auto weight = protocol::mtSicsWeight(*line);
                if (weight) {
                    reply.weight = std::move(*weight);
                } else {
                    reply.problem = weight.error().message;
                }
            } else if (line->kind == K::Info && (line->command == "I4" || line->command == "I2")) {
                reply.identity = line->text;
            } else if (line->kind != K::Done && line->kind != K::Info && line->kind != K::More) {
                reply.problem = "MT-SICS reply '" + line->command + "' " + toString(line->kind);
            }
            out.push_back(std::move(reply));
        }
    }
    void reset() override { parser_.reset(); }

private:
    protocol::MtSicsParser parser_;
    std::vector<Result<protocol::MtSicsReply>> lines_;
};

// devices.md §2.2: W polls the displayed weight, R repeats it, Z zeroes.
class SmaProtocol final : public ScaleProtocol
{
public:
    const char* name() const override { return "SMA"; }
    std::string identifyCommand() const override { return {}; }
    std::string pollCommand() const override { return protocol::smaCommand("W"); }
    std::string streamCommand() const override { return protocol::smaCommand("R"); }
    std::string zeroCommand() const override { return protocol::smaCommand("Z"); }

    void feed(std::string_view bytes, std::vector<Reply>& out) override
    {
        frames_.clear();
        parser_.feed(bytes, frames_);
        for (auto& frame : frames_) {
            Reply reply;
            reply.answer = frame.has_value();
            if (!frame) {
                reply.problem = frame.error().message;
            } else if (frame->kind == protocol::SmaReply::Kind::Reading) {
                auto weight = protocol::smaWeight(frame->reading);
                if (weight) {
                    reply.weight = std::move(*weight);
                } else {
                    reply.problem = weight.error().message;
                }
            } else if (frame->kind == protocol::SmaReply::Kind::Unknown) {
                reply.problem = "SMA: the scale did not understand the command (?)";
            }
            out.push_back(std::move(reply));
        }
    }
    void reset() override { parser_.reset(); }

private:
    protocol::SmaParser parser_;
    std::vector<Result<protocol::SmaReply>> frames_;
};

// devices.md §2.3: W polls weight and status, Z zeroes; no streaming.
class NciProtocol final : public ScaleProtocol
{
public:
    const char* name() const override { return "NCI"; }
    std::string identifyCommand() const override { return {}; }
    std::string pollCommand() const override { return protocol::nciCommand('W'); }
    std::string streamCommand() const override { return {}; }
    std::string zeroCommand() const override { return protocol::nciCommand('Z'); }

    void feed(std::string_view bytes, std::vector<Reply>& out) override
    {
        frames_.clear();
        parser_.feed(bytes, frames_);
        for (auto& frame : frames_) {
            Reply reply;
            reply.answer = frame.has_value();
            if (!frame) {
                reply.problem = frame.error().message;
            } else {
                auto weight = protocol::nciWeight(*frame);
                if (weight) {
                    reply.weight = std::move(*weight);
                } else {
                    reply.problem = weight.error().message;
                }
            }
            out.push_back(std::move(reply));
        }
    }
    void reset() override { parser_.reset(); }

private:
    protocol::NciParser parser_;
    std::vector<Result<protocol::NciReply>> frames_;
};

} // namespace

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
