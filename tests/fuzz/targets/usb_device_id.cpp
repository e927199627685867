// Fuzz target: USB printer-class GET_DEVICE_ID replies, IEEE 1284 id text and port status bytes
// (protocol/usb_printer.h).
#include "fuzz_input.h"
#include "retour/drivers/protocol/usb_printer.h"

#include <cstdlib>

using namespace retour::drivers;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (const auto id = protocol::parseUsbPrinterDeviceId({data, size})) {
        (void)protocol::speaksZpl(*id);
        if (id->text.size() + 2 > size) {
            std::abort(); // the id text comes from the reply, never from beyond it
        }
    }
    const auto fields = protocol::parseIeee1284Fields(retour::fuzz::asText({data, size}));
    (void)protocol::speaksZpl(fields);
    for (std::size_t i = 0; i < size && i < 16; ++i) {
        const auto port = protocol::parsePortStatus(data[i]);
        PrinterStatus status = protocol::toPrinterStatus(port);
        if (status.ready && port.paperEmpty) {
            std::abort();
        }
        protocol::mergePortStatus(status, port);
    }
    return 0;
}
