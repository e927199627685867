// Fuzz target: the SMA serial scale protocol (protocol/sma.h): the stream parser fed the input
// whole and cut at points the input chooses must give the same replies (stream_parser.h); each
// reading is turned into a Weight; the input is also parsed as a single frame.
#include "retour/drivers/protocol/sma.h"

#include "stream_parser.h"

using namespace retour::drivers;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    (void)protocol::parseSmaFrame(retour::fuzz::asText({data, size}));
    retour::fuzz::checkStreamParser({data, size}, protocol::SmaParser{}, protocol::SmaParser{},
                                    [](const protocol::SmaReply& reply) {
                                        if (reply.kind == protocol::SmaReply::Kind::Reading) {
                                            (void)protocol::smaWeight(reply.reading);
                                        }
                                    });
    return 0;
}
