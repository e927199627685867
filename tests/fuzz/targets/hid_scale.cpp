// Fuzz target: HID POS scale data reports (protocol/hid_scale.h) and HID report descriptors
// (protocol/hid_descriptor.h).
#include "retour/drivers/protocol/hid_scale.h"

#include "fuzz_input.h"
#include "retour/drivers/protocol/hid_descriptor.h"

#include <cmath>
#include <cstdlib>

using namespace retour::drivers;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    (void)protocol::hidTopLevelUsagePage({data, size});
    retour::fuzz::FuzzInput in(data, size);
    while (!in.empty()) {
        const auto weight = protocol::parseHidScaleReport(in.take(6 + in.byte() % 3));
        if (weight && std::isnan(weight->grams)) {
            std::abort();
        }
    }
    return 0;
}
