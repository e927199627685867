// Fuzz target: the MT-SICS serial scale protocol (protocol/mt_sics.h): the stream parser fed the input
// whole and cut at points the input chooses must give the same replies (stream_parser.h); each reply
// is turned into a Weight and a zero / tare answer; the input is also parsed as a single line.
#include "retour/drivers/protocol/mt_sics.h"

#include "stream_parser.h"

using namespace retour::drivers;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    (void)protocol::parseMtSicsLine(retour::fuzz::asText({data, size}));
    retour::fuzz::checkStreamParser({data, size}, protocol::MtSicsParser{}, protocol::MtSicsParser{},
                                    [](const protocol::MtSicsReply& reply) {
                                        (void)protocol::mtSicsWeight(reply);
                                        (void)protocol::mtSicsControlProblem(reply);
                                    });
    return 0;
}
