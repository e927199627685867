#pragma once

#include "retour/drivers/device.h"
#include "retour/drivers/protocol/weight_policy.h"
#include "retour/drivers/scale_control.h"
#include "scale/scale_protocol.h"
#include "serial/serial_port.h"
#include "serial/stream_link.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::drivers::detail {

// Where a serial scale is and how to talk to it.
struct SerialScaleOptions
{
    // tty: path and line settings, or tcp: host and port (tcp when host is not empty).
    std::string path;
    SerialSettings line;
    std::string host;
    int port = 0;

    std::chrono::milliseconds pollInterval{200};  // poll_ms=: time between polls
    std::chrono::milliseconds replyTimeout{1000}; // timeout_ms=: a poll not answered by then is missed
    int maxMissed = 3;                            // missed=: polls missed in a row → offline
    bool stream = false;                          // mode=stream: SIR / R instead of polling
    protocol::StableWeightOptions stable;
};

// A scale on a serial port or a TCP socket speaking MT-SICS, SMA, NCI or Toledo
// (docs/protocols/serial-scales.md):
//   tty:/dev/…?protocol=mt-sics|sma|nci|toledo|toledo-continuous&baud=9600&frame=8N1&flow=none&poll_ms=200&timeout_ms=1000
//       &missed=3&mode=poll|stream&stable=device|agree|both&agree_count=3&agree_window_g=2
//   tcp:HOST:PORT?protocol=mt-sics&…
// open() opens the port (or connects: over TCP it blocks up to timeout_ms) and sends the protocol's identify
// command (MT-SICS "@": it also ends a SIR left running). DeviceOnline comes with the first well-formed
// reply, so a port with nothing behind it never looks online. Then it polls (one command in flight, the next
// poll_ms after the previous was sent) or, in stream mode, sends SIR / R once and watches the
// stream (toledo-continuous: the scale streams unasked and nothing is sent). zero() and tare() send
// the protocol's command; its answer becomes a ZeroResult / TareResult event. Readings go through the
// stable-weight policy and are reported when they change. A scale that misses `missed` polls in a row (or
// whose stream stops), a tty that hangs up or fails (EOF, EIO, ENXIO) and a socket that closes or resets
// report DeviceOffline with the reason and close.
//
// Thread contract: thread-bound (InputDevice).
class SerialScale final : public InputDevice, public ScaleControl
{
public:
    using ProtocolFactory = std::function<std::unique_ptr<ScaleProtocol>()>;

    SerialScale(DeviceUri uri, SerialScaleOptions options, ProtocolFactory factory);
    ~SerialScale() override;

    const DeviceUri& uri() const override { return uri_; }
    DeviceKind kind() const override { return DeviceKind::Scale; }
    Result<void> open() override;
    void close() override;
    bool isOpen() const override { return link_.isOpen(); }
    int fd() const override { return link_.fd(); }
    Clock::time_point nextDeadline() const override;
    std::vector<DeviceEvent> service(Clock::time_point now) override;

    Result<void> zero() override;
    Result<void> tare(bool clear) override;

    // Replies that were not readings since open() (garbage, busy, errors), and the last reason.
    std::size_t problems() const { return problems_; }
    const std::string& lastProblem() const { return lastProblem_; }

private:
    Result<void> send(const std::string& command, Clock::time_point now);
    Result<void> control(const std::string& command, std::string_view what);
    void handle(const ScaleProtocol::Reply& reply, Clock::time_point now, std::vector<DeviceEvent>& events);
    void lose(std::string reason, std::vector<DeviceEvent>& events);

    enum class Phase
    {
        Identify, // identify command sent
        Poll,     // polling, or streaming once the stream command is sent
    };

    DeviceUri uri_;
    SerialScaleOptions options_;
    ProtocolFactory factory_;
    std::unique_ptr<ScaleProtocol> protocol_;
    protocol::StableWeightPolicy policy_;
    StreamLink link_;
    std::string label_;
    std::string description_;

    Phase phase_ = Phase::Poll;
    bool online_ = false;
    bool awaiting_ = false;        // a command is in flight (stream mode: the stream is expected)
    Clock::time_point sentAt_{};   // when it was sent (stream mode: the last reply)
    Clock::time_point nextPoll_{}; // when the next poll is due (not awaiting)
    int missed_ = 0;
    std::optional<Weight> last_; // last reported reading
    std::vector<ScaleProtocol::Reply> replies_;
    std::string input_;
    std::size_t problems_ = 0;
    std::string lastProblem_;
};

} // namespace retour::drivers::detail
