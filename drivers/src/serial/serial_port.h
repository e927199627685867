#pragma once

#include "common/unique_fd.h"
#include "retour/drivers/device_uri.h"
#include "retour/drivers/error.h"

#include <string>

namespace retour::drivers::detail {

// Line settings of a tty, from URI parameters baud=9600&frame=8N1&flow=none|rtscts|xonxoff.
struct SerialSettings
{
    enum class Flow
    {
        None,
        RtsCts,
        XonXoff
    };
    int baud = 9600;
    int dataBits = 8;  // 5..8
    char parity = 'N'; // 'N', 'E', 'O'
    int stopBits = 1;  // 1 or 2
    Flow flow = Flow::None;
};

// Parse baud=, frame= and flow= (absent ones keep their defaults). The error names the URI and the
// accepted values. Pure.
Result<SerialSettings> parseSerialSettings(const DeviceUri& uri, SerialSettings defaults = {});

// Open a tty for a device (docs/protocols/serial-scales.md §5): O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC,
// exclusive (TIOCEXCL: a second open by anyone but root fails with EBUSY), raw mode (cfmakeraw), the line
// settings, CLOCAL | CREAD, VMIN = 1 / VTIME = 0 (the owner polls), stale input flushed. Errors name
// `label` and the path.
Result<UniqueFd> openSerialPort(const std::string& path, const SerialSettings& settings,
                                const std::string& label);

// Connect to HOST:PORT within `timeoutMs` (every resolved address in turn), TCP_NODELAY, and leave
// the socket non-blocking. Errors name `label`.
Result<UniqueFd> connectTcp(const std::string& host, int port, int timeoutMs, const std::string& label);

} // namespace retour::drivers::detail
