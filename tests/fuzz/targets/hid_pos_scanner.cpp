// Fuzz target: HID POS scanner reports and the barcode assembler (protocol/hid_pos_scanner.h).
// The input is a sequence of reports: one length byte (0..255) followed by that many bytes.
#include "retour/drivers/protocol/hid_pos_scanner.h"

#include "fuzz_input.h"

#include <cstdlib>

using namespace retour::drivers;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    (void)protocol::parseHidPosScannerReport({data, size});
    retour::fuzz::FuzzInput in(data, size);
    protocol::HidPosScanAssembler assembler(200); // small, so that the size limit is reached
    while (!in.empty()) {
        const auto report = in.take(in.byte());
        const auto scan = assembler.feed(report);
        if (scan && *scan && (*scan)->raw != (*scan)->aimId + (*scan)->text) {
            std::abort(); // raw is the AIM id plus the data as sent
        }
        (void)protocol::honeywellSymbology(report.empty() ? '\0' : static_cast<char>(report[0]));
    }
    return 0;
}
