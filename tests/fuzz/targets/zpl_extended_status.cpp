// Fuzz target: ZPL ~HQES extended status replies (protocol/zpl_extended_status.h).
#include "retour/drivers/protocol/zpl_extended_status.h"

#include "fuzz_input.h"

#include <cstdlib>

using namespace retour::drivers;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view reply = retour::fuzz::asText({data, size});
    (void)protocol::zplExtendedStatusComplete(reply);
    if (const auto status = protocol::parseZplExtendedStatus(reply)) {
        const PrinterStatus view = protocol::toPrinterStatus(*status);
        if (view.ready && status->errors != 0) {
            std::abort(); // every error bit makes the printer not ready
        }
        PrinterStatus merged;
        merged.ready = true;
        protocol::mergeExtendedStatus(merged, *status);
        (void)protocol::describeHqesErrors(status->errors);
    }
    return 0;
}
