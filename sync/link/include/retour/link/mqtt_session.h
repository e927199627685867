#pragma once

#include "retour/link/transport.h"

#include <memory>
#include <string>

namespace retour::sync {

// The Transport over libmosquitto, with its own network thread.
//
// The session connects, and reconnects after any loss, on its own thread, sending the CONNECT
// properties (session expiry) every time: libmosquitto 2.0.11's own reconnect (loop_start /
// loop_forever) sends none, so the broker would drop a v5 session at the next disconnect. Every
// subscription made through subscribe() is remembered and re-subscribed on each (re)connect.
// A PUBACK reason code >= 0x80 (e.g. 0x87 when the broker's ACL denies the topic) is reported as
// a failed publish.
//
// Thread contract: Transport's; stop() is thread-safe too. Callbacks run on the session's network
// thread; an exception that escapes one is caught and dropped (it must not unwind through
// libmosquitto's C frames).
class MqttSession final : public Transport
{
public:
    static Result<std::unique_ptr<MqttSession>> create(MqttOptions options, Callbacks callbacks);
    ~MqttSession() override;

    Result<void> start() override;
    // Also waits for a TCP connect attempt in progress (immediate when refused; bounded by the
    // kernel's SYN retries for an unreachable host) and joins the network thread.
    void stop() override;
    using Transport::publish;
    Result<int> publish(const std::string& topic, const std::string& payload, int qos, bool retain,
                        const PublishProperties& properties) override;
    Result<void> subscribe(const std::string& filter, int qos) override;
    bool connected() const override;

private:
    struct Impl;
    explicit MqttSession(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace retour::sync
