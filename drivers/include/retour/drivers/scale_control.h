#pragma once

#include "retour/drivers/device.h"
#include "retour/drivers/error.h"

namespace retour::drivers {

// Commands a scale driver accepts besides reading (the technician's "zero" and the station's
// "zero the empty platter" prompt).
//
// Thread contract: the device's (thread-bound, like InputDevice).
class ScaleControl
{
public:
    virtual ~ScaleControl() = default;

    // Ask the scale to zero itself: MT-SICS Z, SMA/NCI Z, HID POS output report 2 bit 1 (Zero
    // Scale). Returns once the request is sent; the next readings show the result. NotSupported when
    // the scale has no way to be zeroed by the host (a HID scale without an output report).
    virtual Result<void> zero() = 0;

    // Ask the scale to tare (clear = false: take the load as tare; clear = true: clear the tare):
    // MT-SICS T / TAC, SMA T / C. Returns once the request is sent; scales whose protocol answers
    // report a TareResult event (zero() likewise a ZeroResult). NotSupported by default.
    virtual Result<void> tare(bool clear);
};

// The control interface of `device` when it is a scale that has one, else nullptr.
ScaleControl* scaleControl(InputDevice& device);

} // namespace retour::drivers
