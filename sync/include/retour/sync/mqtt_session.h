#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "retour/sync/error.h"

namespace retour::sync {

struct MqttOptions
{
    std::string host = "127.0.0.1";
    int port = 1883;
    std::string clientId;
    std::string username;
    std::string password;
    bool cleanStart = false;  // persistent session by default
    int keepAliveSeconds = 30;
    // Will (e.g. the station status topic with "offline"), retained.
    std::string willTopic;
    std::string willPayload;
    // TLS (optional): CA file, client certificate and key.
    std::string caFile, certFile, keyFile;
    int maxInflight = 20;
};

// An MQTT v5 client session over libmosquitto with its own network thread.
//
// Thread contract: thread-safe for publish/subscribe/stop. Callbacks run on the session's network
// thread; the owner posts their work to its own loop and must not block in them.
class MqttSession
{
public:
    struct Callbacks
    {
        std::function<void(bool connected, std::string reason)> onConnection;
        // A QoS 1 publish finished: ok only when the PUBACK reason code is < 0x80.
        std::function<void(int messageId, bool ok, int reasonCode)> onPublished;
        std::function<void(const std::string& topic, const std::string& payload, bool retained)> onMessage;
    };

    static Result<std::unique_ptr<MqttSession>> create(MqttOptions options, Callbacks callbacks);
    ~MqttSession();

    // Start connecting in the background; reconnects with exponential back-off and jitter.
    Result<void> start();
    void stop();

    // Returns the message id; delivery is known only from onPublished.
    Result<int> publish(const std::string& topic, const std::string& payload, int qos, bool retain);
    Result<void> subscribe(const std::string& filter, int qos);
    bool connected() const;

private:
    struct Impl;
    explicit MqttSession(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace retour::sync
