// Fuzz target: GS1 element strings and AIM prefixes (protocol/gs1.h, protocol/aim.h).
#include "retour/drivers/protocol/gs1.h"

#include "fuzz_input.h"
#include "retour/drivers/protocol/aim.h"

#include <cstdlib>

using namespace retour::drivers;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text = retour::fuzz::asText({data, size});
    const auto elements = protocol::parseGs1ElementString(text);
    if (elements) {
        // Every element parsed must have an AI the table knows, with data inside its bounds.
        for (const auto& element : *elements) {
            const auto format = protocol::gs1AiFormat(element.ai + element.value);
            if (!format || format->aiLength != element.ai.size() ||
                element.value.size() < format->minLength || element.value.size() > format->maxLength) {
                std::abort();
            }
        }
    }
    (void)protocol::gs1AiFormat(text);
    (void)protocol::gs1PredefinedLength(text.substr(0, 2));
    (void)protocol::gs1CheckDigit(text);
    if (const auto split = protocol::splitAimPrefix(text)) {
        (void)protocol::aimSymbology(split->aimId);
        (void)protocol::aimIsGs1(split->aimId);
        Scan scan;
        scan.aimId = split->aimId;
        scan.text = std::string(split->data);
        protocol::annotateGs1(scan);
    }
    Scan bare;
    bare.text = std::string(text);
    protocol::annotateGs1(bare);
    return 0;
}
