// Fuzz target: the Toledo 8213 demand and continuous formats (protocol/toledo.h). The first byte
// picks the format (demand, continuous with checksum, continuous without); the rest is the byte
// stream: fed whole and cut in pieces it must give the same replies (stream_parser.h), each turned
// into a Weight and, for status records, a zero answer. It is also parsed as single frames.
#include "retour/drivers/protocol/toledo.h"

#include "stream_parser.h"

using namespace retour::drivers;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    retour::fuzz::FuzzInput input(data, size);
    const std::uint8_t mode = input.byte() % 3;
    const auto rest = input.rest();
    const std::string_view text = retour::fuzz::asText(rest);
    (void)protocol::parseToledoDemandFrame(text);
    (void)protocol::parseToledoContinuousFrame(text, std::nullopt);
    if (!text.empty()) {
        (void)protocol::parseToledoContinuousFrame(text.substr(0, text.size() - 1), text.back());
    }

    using Format = protocol::ToledoParser::Format;
    const Format format = mode == 0 ? Format::Demand : Format::Continuous;
    const bool checksum = mode == 1;
    retour::fuzz::checkStreamParser(rest, protocol::ToledoParser(format, checksum),
                                    protocol::ToledoParser(format, checksum),
                                    [](const protocol::ToledoReply& reply) {
                                        (void)protocol::toledoWeight(reply, "lb");
                                        (void)protocol::toledoZeroProblem(reply.status);
                                    });
    return 0;
}
