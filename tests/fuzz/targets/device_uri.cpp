// Fuzz target: device URIs (device_uri.h), and the percent-encoding round trip of query values.
#include "retour/drivers/device_uri.h"

#include "fuzz_input.h"

#include <cstdlib>
#include <string>

using namespace retour::drivers;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text = retour::fuzz::asText({data, size});
    if (const auto uri = parseDeviceUri(text)) {
        (void)kindOf(*uri);
        (void)uri->hostPort();
        (void)uri->usbId();
        for (const auto& [key, value] : uri->params) {
            (void)uri->intParam(key, 0);
            // A value written back with encodeUriValue() parses to itself.
            const auto again = parseDeviceUri("sim:scanner?k=" + encodeUriValue(value));
            if (!again || again->param("k") != value) {
                std::abort();
            }
        }
    }
    // Any bytes as a query value survive encoding and decoding unchanged.
    const auto round = parseDeviceUri("evdev:/dev/input/event3?gs=" + encodeUriValue(text));
    if (!round || round->param("gs") != std::string(text)) {
        std::abort();
    }
    return 0;
}
