// Fuzz target: the NCI / Weigh-Tronix serial scale protocol (protocol/nci.h): the stream parser fed
// the input whole and cut at points the input chooses must give the same replies
// (stream_parser.h); each reply is turned into a Weight; the input is also parsed as one frame.
#include "retour/drivers/protocol/nci.h"

#include "stream_parser.h"

using namespace retour::drivers;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    (void)protocol::parseNciFrame(retour::fuzz::asText({data, size}));
    retour::fuzz::checkStreamParser(
        {data, size}, protocol::NciParser{}, protocol::NciParser{},
        [](const protocol::NciReply& reply) { (void)protocol::nciWeight(reply); });
    return 0;
}
