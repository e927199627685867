#pragma once

#include "retour/contract/error.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace retour::sync {

struct MqttOptions
{
    std::string host = "127.0.0.1";
    int port = 1883;
    std::string clientId;
    std::string username;
    std::string password;
    bool cleanStart = false; // persistent session by default
    // MQTT v5 Session Expiry Interval sent on every CONNECT when cleanStart is false: how long the
    // broker keeps the session (subscriptions, queued QoS 1 messages) after a disconnect.
    std::uint32_t sessionExpirySeconds = 7 * 24 * 3600;
    int keepAliveSeconds = 30;
    // Will (e.g. the station status topic with "offline"), retained.
    std::string willTopic;
    std::string willPayload;
    // TLS (optional): CA file, client certificate and key.
    std::string caFile, certFile, keyFile;
    // The will is retained by default (a status document).
    bool willRetain = true;
    int maxInflight = 20;
    // Reconnect back-off: the n-th consecutive failure waits a random time in
    // [d/2, d] with d = min(reconnectMax, reconnectMin * 2^n) ("equal jitter"), so a site's
    // stations do not reconnect in lock-step after a broker restart.
    std::chrono::milliseconds reconnectMin{1000};
    std::chrono::milliseconds reconnectMax{30000};
};

// An MQTT v5 client session over libmosquitto with its own network thread.
//
// The session connects, and reconnects after any loss, on its own thread, sending the CONNECT
// properties (session expiry) every time: libmosquitto 2.0.11's own reconnect (loop_start /
// loop_forever) sends none, so the broker would drop a v5 session at the next disconnect. Every
// subscription made through subscribe() is remembered and re-subscribed on each (re)connect.
// A PUBACK reason code >= 0x80 (e.g. 0x87 when the broker's ACL denies the topic, broker.md) is
// reported as a failed publish.
//
// Thread contract: thread-safe for publish/subscribe/stop/connected. Callbacks run on the
// session's network thread; the owner posts their work to its own loop and must not block in them
// (they may call publish/subscribe, never stop() or the destructor). A callback must not throw;
// an exception that escapes one is caught and dropped. onPublished may run before publish()
// returns to its caller.
class MqttSession
{
public:
    // An incoming message with the MQTT v5 request/response properties (§4.10).
    struct Message
    {
        std::string topic;
        std::string payload;
        bool retained = false;
        std::string responseTopic;   // empty when the sender expects no answer
        std::string correlationData; // opaque bytes, echoed in the answer
    };
    // MQTT v5 properties of an outgoing publish.
    struct PublishProperties
    {
        std::string responseTopic;
        std::string correlationData;
        std::uint32_t messageExpirySeconds = 0; // 0: the message does not expire
    };

    struct Callbacks
    {
        std::function<void(bool connected, std::string reason)> onConnection;
        // A QoS 1 publish finished: ok only when the PUBACK reason code is < 0x80.
        std::function<void(int messageId, bool ok, int reasonCode)> onPublished;
        std::function<void(const std::string& topic, const std::string& payload, bool retained)> onMessage;
        // When set, receives every message with its properties instead of onMessage.
        std::function<void(const Message& message)> onMessageWithProperties;
    };

    static Result<std::unique_ptr<MqttSession>> create(MqttOptions options, Callbacks callbacks);
    ~MqttSession();

    // Start connecting in the background; reconnects with exponential back-off and jitter.
    // Fails only when already started or stopped.
    Result<void> start();
    // Disconnect cleanly (DISCONNECT with reason 0, so the broker does not publish the will) and
    // join the network thread. Idempotent; the session cannot be restarted. A TCP connect attempt
    // in progress is waited for (immediate when refused; bounded by the kernel's SYN retries for
    // an unreachable host).
    void stop();

    // Returns the message id; delivery is known only from onPublished. NotConnected while no
    // connection is up (the caller keeps the message, e.g. in the outbox, and retries after
    // onConnection(true)); Broker for an invalid topic, a payload too large, etc.
    Result<int> publish(const std::string& topic, const std::string& payload, int qos, bool retain);
    // The same with MQTT v5 properties: a request names its response topic and correlation data.
    Result<int> publish(const std::string& topic, const std::string& payload, int qos, bool retain,
                        const PublishProperties& properties);
    // Answer a request: QoS 1 on its response topic with its correlation data echoed (MQTT v5
    // §4.10.2). Malformed when the request named no response topic.
    Result<int> reply(const Message& request, const std::string& payload);
    // Remember the subscription and subscribe now if connected; re-subscribed on every reconnect.
    // Broker for an invalid filter or QoS.
    Result<void> subscribe(const std::string& filter, int qos);
    bool connected() const;

private:
    struct Impl;
    explicit MqttSession(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace retour::sync
