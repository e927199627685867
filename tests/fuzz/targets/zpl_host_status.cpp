// Fuzz target: ZPL ~HS host status replies (protocol/zpl_status.h).
#include "fuzz_input.h"
#include "retour/drivers/protocol/zpl_status.h"

#include <cstdlib>

using namespace retour::drivers;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view reply = retour::fuzz::asText({data, size});
    (void)protocol::countZplStatusStrings(reply);
    const auto status = protocol::parseZplHostStatus(reply);
    if (status && status->ready &&
        (status->paperOut || status->headOpen || status->paused || status->ribbonOut)) {
        std::abort(); // a printer with a fault is never ready
    }
    return 0;
}
