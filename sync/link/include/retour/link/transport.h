#pragma once

#include "retour/contract/error.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace retour::sync {

// How to reach the broker and what the broker is told at CONNECT.
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
    // Will (e.g. the station status topic with "offline"), published by the broker when the
    // connection ends without a DISCONNECT; QoS 1.
    std::string willTopic;
    std::string willPayload;
    // TLS (optional): CA file, client certificate and key.
    std::string caFile, certFile, keyFile;
    // The will is retained by default (a status document).
    bool willRetain = true;
    // QoS 1 messages in flight (sent, not yet PUBACKed) at most; more wait in the client.
    int maxInflight = 20;
    // Reconnect back-off: the n-th consecutive failure waits a random time in
    // [d/2, d] with d = min(reconnectMax, reconnectMin * 2^n) ("equal jitter"), so a site's
    // stations do not reconnect in lock-step after a broker restart.
    std::chrono::milliseconds reconnectMin{1000};
    std::chrono::milliseconds reconnectMax{30000};
};

// One MQTT v5 client session as the station and central use it: publish with QoS, retain and the
// request/response properties, subscribe, and be told about the connection, PUBACKs and incoming
// messages. MqttSession (libmosquitto) is the real one; tests/support/fake_transport.h is a
// scripted peer for tests that need no broker.
//
// Asynchronous, and honest about it: a publish() that returns a message id has only queued the
// message. Whether the broker took it is known from onPublished (QoS 1: the PUBACK's reason code;
// QoS 0: once written). A connection that ends before the PUBACK loses that answer: the message
// may or may not have arrived, and the caller resends what it still needs after the next
// onConnection(true).
//
// Thread contract: publish(), reply(), subscribe() and connected() are thread-safe; start() and
// stop() belong to the owner. Callbacks run on the transport's thread (MqttSession: its network
// thread); they must not block, may call publish/subscribe, and never stop() or the destructor.
// onPublished may run before publish() has returned the message id. After stop() returns no
// callback runs any more.
class Transport
{
public:
    // An incoming message with the MQTT v5 request/response properties (MQTT v5 §4.10).
    struct Message
    {
        std::string topic;
        std::string payload;
        bool retained = false;
        std::string responseTopic;   // empty when the sender expects no answer
        std::string correlationData; // opaque bytes, echoed in the answer

        bool operator==(const Message&) const = default;
    };
    // MQTT v5 properties of an outgoing publish (the ones the project uses; none is sent when
    // empty or 0).
    struct PublishProperties
    {
        std::string responseTopic;
        std::string correlationData;
        std::uint32_t messageExpirySeconds = 0; // 0: the message does not expire

        bool operator==(const PublishProperties&) const = default;
    };

    struct Callbacks
    {
        // Every change of the connection: up after a CONNACK that accepts, down when it is lost,
        // refused or cannot be made (reason says which, for the log).
        std::function<void(bool connected, std::string reason)> onConnection;
        // A publish finished: ok only when the PUBACK reason code is < 0x80 (MQTT v5 §3.4.2.1).
        std::function<void(int messageId, bool ok, int reasonCode)> onPublished;
        std::function<void(const std::string& topic, const std::string& payload, bool retained)> onMessage;
        // When set, receives every message with its properties instead of onMessage.
        std::function<void(const Message& message)> onMessageWithProperties;

        // Hands `message` to onMessageWithProperties when set, else to onMessage.
        void deliver(const Message& message) const;
    };

    virtual ~Transport() = default;

    // Start connecting in the background; reconnects after any loss. Fails only when already
    // started or stopped.
    virtual Result<void> start() = 0;
    // Disconnect cleanly (a DISCONNECT with reason 0: the broker discards the will). Idempotent;
    // the transport cannot be restarted.
    virtual void stop() = 0;

    // Returns the message id; delivery is known only from onPublished. NotConnected while no
    // connection is up (the caller keeps the message, e.g. in the outbox, and retries after
    // onConnection(true)); Broker for an invalid topic, a payload too large, etc.
    virtual Result<int> publish(const std::string& topic, const std::string& payload, int qos, bool retain,
                                const PublishProperties& properties) = 0;
    Result<int> publish(const std::string& topic, const std::string& payload, int qos, bool retain)
    {
        return publish(topic, payload, qos, retain, PublishProperties{});
    }
    // Answer a request: QoS 1 on its response topic with its correlation data echoed (MQTT v5
    // §4.10.2). Malformed when the request named no response topic.
    Result<int> reply(const Message& request, const std::string& payload);
    // Remember the subscription and subscribe now if connected; re-subscribed on every reconnect.
    // Broker for an invalid filter or QoS.
    virtual Result<void> subscribe(const std::string& filter, int qos) = 0;
    virtual bool connected() const = 0;
};

// Makes the transport a component talks through, with the component's callbacks: MqttSession's
// by default (mqttTransport()), a scripted fake in tests.
using TransportFactory =
    std::function<Result<std::unique_ptr<Transport>>(MqttOptions options, Transport::Callbacks callbacks)>;
TransportFactory mqttTransport();

} // namespace retour::sync
