// MQTT v5 session over libmosquitto 2.0: the Transport the station and central talk through.
#include "retour/link/mqtt_session.h"

#include "retour/base/retry.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <mutex>
#include <random>
#include <thread>
#include <utility>
#include <vector>

namespace retour::sync {

namespace {

// MOSQ_ERR_ERRNO: the cause is in errno, which the caller saved right after the failing call.
std::string causeOf(int rc, int savedErrno)
{
    return rc == MOSQ_ERR_ERRNO ? std::strerror(savedErrno) : mosquitto_strerror(rc);
}

Error brokerError(std::string_view what, int rc, int savedErrno = errno)
{
    return Error{ErrorCode::Broker, "mqtt " + std::string(what) + ": " + causeOf(rc, savedErrno)};
}

// on_disconnect receives either a MOSQ_ERR_* (connection lost on our side, small numbers) or the
// reason code of a DISCONNECT sent by the broker (MQTT v5 §3.14.2.1, all >= 0x80).
std::string disconnectReason(int rc)
{
    if (rc == 0) {
        return "disconnected";
    }
    if (rc >= 0x80) {
        return std::string("disconnected by the broker: ") + mosquitto_reason_string(rc);
    }
    return std::string("connection lost: ") + mosquitto_strerror(rc);
}

template <class F, class... Args> void invokeCallback(const F& callback, Args&&... args)
{
    if (!callback) {
        return;
    }
    // An exception must not unwind through libmosquitto's C frames.
    try {
        callback(std::forward<Args>(args)...);
    } catch (...) {
    }
}

} // namespace

struct MqttSession::Impl
{
    MqttOptions options;
    Callbacks callbacks;
    mosquitto* mosq = nullptr;
    mosquitto_property* connectProperties = nullptr;
    std::thread thread;

    std::mutex mutex; // guards the fields below
    std::condition_variable wake;
    bool started = false;
    bool stopping = false;
    bool socketOpen = false;
    std::vector<std::pair<std::string, int>> subscriptions;

    std::atomic<bool> connected{false};
    // A CONNACK (accepting or refusing) arrived on the current connection: a connection that ends
    // without one (e.g. the broker refused our TLS client certificate after the handshake) is
    // reported by the connect loop itself.
    std::atomic<bool> answered{false};
    // Network thread only.
    int failures = 0;
    std::minstd_rand jitter{std::random_device{}()};

    ~Impl()
    {
        if (mosq != nullptr) {
            mosquitto_destroy(mosq);
        }
        mosquitto_property_free_all(&connectProperties);
    }

    std::string endpoint() const { return options.host + ":" + std::to_string(options.port); }
    // What to check when a TLS connection fails (libmosquitto only says "A TLS error occurred").
    std::string tlsHint() const
    {
        if (options.caFile.empty()) {
            return {};
        }
        return "; TLS: check that " + options.caFile +
               " holds the CA that signed the broker's certificate (for the host name connected to)" +
               (options.certFile.empty()
                    ? std::string()
                    : " and that the broker's cafile holds the CA that signed " + options.certFile);
    }

    void run();
    void backOff();
    std::string resubscribe(); // "" or the failures, for the connection report

    static void onConnect(mosquitto*, void* self, int rc, int flags, const mosquitto_property*);
    static void onDisconnect(mosquitto*, void* self, int rc, const mosquitto_property*);
    static void onPublish(mosquitto*, void* self, int mid, int reasonCode, const mosquitto_property*);
    static void onMessage(mosquitto*, void* self, const mosquitto_message* message,
                          const mosquitto_property*);
};

void MqttSession::Impl::run()
{
    // Our own connect loop instead of mosquitto_loop_start(): libmosquitto 2.0.11 reconnects
    // without the CONNECT properties, which would set the session expiry to 0 (MQTT v5 §3.1.2.11.2)
    // after the first reconnect, and its back-off sleep can be neither interrupted nor jittered.
    while (true) {
        {
            std::lock_guard lock(mutex);
            if (stopping) {
                return;
            }
        }
        answered = false;
        int rc = mosquitto_connect_bind_v5(mosq, options.host.c_str(), options.port, options.keepAliveSeconds,
                                           nullptr, connectProperties);
        const int connectErrno = errno;
        if (rc == MOSQ_ERR_SUCCESS) {
            bool stopNow = false;
            {
                std::lock_guard lock(mutex);
                socketOpen = true;
                stopNow = stopping;
            }
            if (stopNow) {
                mosquitto_disconnect_v5(mosq, MQTT_RC_NORMAL_DISCONNECTION, nullptr);
            }
            // Runs until the connection ends: lost, refused by CONNACK, or closed by stop()'s
            // DISCONNECT (which also wakes the select through libmosquitto's socket pair).
            const int timeoutMs = std::max(1, options.keepAliveSeconds) * 1000;
            while ((rc = mosquitto_loop(mosq, timeoutMs, 1)) == MOSQ_ERR_SUCCESS) {
            }
            const int loopErrno = errno;
            bool stopped = false;
            {
                std::lock_guard lock(mutex);
                socketOpen = false;
                stopped = stopping;
            }
            if (!answered && !stopped) {
                invokeCallback(callbacks.onConnection, false,
                               "broker " + endpoint() + " closed the connection before accepting it (" +
                                   causeOf(rc, loopErrno) + ")" + tlsHint());
            }
        } else {
            invokeCallback(callbacks.onConnection, false,
                           "cannot connect to " + endpoint() + ": " + causeOf(rc, connectErrno) +
                               (rc == MOSQ_ERR_TLS ? tlsHint() : std::string()));
        }
        backOff();
    }
}

void MqttSession::Impl::backOff()
{
    using std::chrono::milliseconds;
    ++failures;
    // "Equal jitter" (mqtt_session.h): somewhere in [d/2, d].
    const base::BackoffPolicy policy{.initial = std::max(milliseconds(1), options.reconnectMin),
                                     .max = options.reconnectMax,
                                     .jitter = 0.5};
    const milliseconds wait =
        base::backoffDelay(policy, failures, std::uniform_real_distribution<double>(0.0, 1.0)(jitter));
    std::unique_lock lock(mutex);
    wake.wait_for(lock, wait, [this] { return stopping; });
}

std::string MqttSession::Impl::resubscribe()
{
    std::vector<std::pair<std::string, int>> filters;
    {
        std::lock_guard lock(mutex);
        filters = subscriptions;
    }
    std::string report;
    for (const auto& [filter, qos] : filters) {
        const int rc = mosquitto_subscribe_v5(mosq, nullptr, filter.c_str(), qos, 0, nullptr);
        if (rc != MOSQ_ERR_SUCCESS) {
            report += "; re-subscribing " + filter + " failed: " + mosquitto_strerror(rc);
        }
    }
    return report;
}

void MqttSession::Impl::onConnect(mosquitto*, void* self, int rc, int flags, const mosquitto_property*)
{
    auto* impl = static_cast<Impl*>(self);
    impl->answered = true;
    if (rc != 0) {
        // CONNACK refused (bad credentials: 0x86/0x87): the broker closes the connection next.
        invokeCallback(impl->callbacks.onConnection, false,
                       "broker " + impl->endpoint() +
                           " refused the connection: " + mosquitto_reason_string(rc));
        return;
    }
    impl->failures = 0;
    impl->connected = true;
    const std::string resubscribeFailures = impl->resubscribe();
    const bool sessionPresent = (flags & 0x01) != 0; // MQTT v5 §3.2.2.1.1
    invokeCallback(impl->callbacks.onConnection, true,
                   "connected to " + impl->endpoint() +
                       (sessionPresent ? " (session present)" : " (new session)") + resubscribeFailures);
}

void MqttSession::Impl::onDisconnect(mosquitto*, void* self, int rc, const mosquitto_property*)
{
    auto* impl = static_cast<Impl*>(self);
    if (impl->connected.exchange(false)) {
        invokeCallback(impl->callbacks.onConnection, false, disconnectReason(rc));
    }
}

void MqttSession::Impl::onPublish(mosquitto*, void* self, int mid, int reasonCode, const mosquitto_property*)
{
    auto* impl = static_cast<Impl*>(self);
    // MQTT v5 §3.4.2.1: reason codes >= 0x80 are failures; mosquitto answers an ACL denial with
    // 0x87 and drops the message.
    invokeCallback(impl->callbacks.onPublished, mid, reasonCode < 0x80, reasonCode);
}

void MqttSession::Impl::onMessage(mosquitto*, void* self, const mosquitto_message* message,
                                  const mosquitto_property* properties)
{
    auto* impl = static_cast<Impl*>(self);
    Message in;
    in.topic = message->topic != nullptr ? message->topic : "";
    if (message->payload != nullptr && message->payloadlen > 0) {
        in.payload.assign(static_cast<const char*>(message->payload),
                          static_cast<std::size_t>(message->payloadlen));
    }
    in.retained = message->retain;
    char* responseTopic = nullptr;
    if (mosquitto_property_read_string(properties, MQTT_PROP_RESPONSE_TOPIC, &responseTopic, false) !=
            nullptr &&
        responseTopic != nullptr) {
        in.responseTopic = responseTopic;
    }
    std::free(responseTopic);
    void* correlation = nullptr;
    std::uint16_t correlationLength = 0;
    if (mosquitto_property_read_binary(properties, MQTT_PROP_CORRELATION_DATA, &correlation,
                                       &correlationLength, false) != nullptr &&
        correlation != nullptr) {
        in.correlationData.assign(static_cast<const char*>(correlation), correlationLength);
    }
    std::free(correlation);
    try {
        impl->callbacks.deliver(in); // must not unwind through libmosquitto's C frames either
    } catch (...) {
    }
}

Result<std::unique_ptr<MqttSession>> MqttSession::create(MqttOptions options, Callbacks callbacks)
{
    // libmosquitto requires mosquitto_lib_init() once per process before any other call; this
    // once-flag is the one process-wide state of the sync library (no matching cleanup: the
    // library stays initialised until exit).
    static std::once_flag libraryInit;
    std::call_once(libraryInit, [] { mosquitto_lib_init(); });

    if (options.clientId.empty() && !options.cleanStart) {
        return std::unexpected(Error{
            ErrorCode::Broker, "mqtt create: a persistent session (cleanStart=false) needs a client id"});
    }
    if (options.maxInflight < 1 || options.maxInflight > 65535) {
        return std::unexpected(Error{ErrorCode::Broker, "mqtt create: maxInflight must be 1..65535, not " +
                                                            std::to_string(options.maxInflight)});
    }

    auto impl = std::make_unique<Impl>();
    impl->options = std::move(options);
    impl->callbacks = std::move(callbacks);
    const MqttOptions& o = impl->options;

    errno = 0;
    impl->mosq = mosquitto_new(o.clientId.empty() ? nullptr : o.clientId.c_str(), o.cleanStart, impl.get());
    if (impl->mosq == nullptr) {
        return std::unexpected(Error{ErrorCode::Broker, std::string("mqtt create: mosquitto_new failed: ") +
                                                            std::strerror(errno)});
    }
    auto check = [](int rc, std::string_view what) -> Result<void> {
        if (rc != MOSQ_ERR_SUCCESS) {
            return std::unexpected(brokerError(what, rc));
        }
        return {};
    };
    // Publishes come from other threads: libmosquitto must queue them and wake our loop.
    Result<void> ok = check(mosquitto_threaded_set(impl->mosq, true), "threaded_set");
    if (ok) {
        ok = check(mosquitto_int_option(impl->mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5),
                   "protocol version 5");
    }
    if (ok) {
        // Nagle (on by default in libmosquitto) caused a 42 ms worst case on loopback.
        ok = check(mosquitto_int_option(impl->mosq, MOSQ_OPT_TCP_NODELAY, 1), "TCP_NODELAY");
    }
    if (ok) {
        ok = check(mosquitto_int_option(impl->mosq, MOSQ_OPT_SEND_MAXIMUM, o.maxInflight), "send maximum");
    }
    if (ok && !o.username.empty()) {
        ok = check(mosquitto_username_pw_set(impl->mosq, o.username.c_str(),
                                             o.password.empty() ? nullptr : o.password.c_str()),
                   "username/password");
    }
    if (ok && !o.willTopic.empty()) {
        ok = check(mosquitto_will_set_v5(impl->mosq, o.willTopic.c_str(),
                                         static_cast<int>(o.willPayload.size()), o.willPayload.data(), 1,
                                         o.willRetain, nullptr),
                   "will " + o.willTopic);
    }
    if (ok && !o.caFile.empty()) {
        if (o.certFile.empty() != o.keyFile.empty()) {
            return std::unexpected(
                Error{ErrorCode::Broker, "mqtt TLS: a client certificate needs both certFile and keyFile"});
        }
        ok = check(mosquitto_tls_set(impl->mosq, o.caFile.c_str(), nullptr,
                                     o.certFile.empty() ? nullptr : o.certFile.c_str(),
                                     o.keyFile.empty() ? nullptr : o.keyFile.c_str(), nullptr),
                   "TLS (ca " + o.caFile + ")");
    }
    if (ok && !o.cleanStart) {
        ok = check(mosquitto_property_add_int32(&impl->connectProperties, MQTT_PROP_SESSION_EXPIRY_INTERVAL,
                                                o.sessionExpirySeconds),
                   "session expiry property");
    }
    if (!ok) {
        return std::unexpected(ok.error());
    }
    mosquitto_connect_v5_callback_set(impl->mosq, &Impl::onConnect);
    mosquitto_disconnect_v5_callback_set(impl->mosq, &Impl::onDisconnect);
    mosquitto_publish_v5_callback_set(impl->mosq, &Impl::onPublish);
    mosquitto_message_v5_callback_set(impl->mosq, &Impl::onMessage);
    return std::unique_ptr<MqttSession>(new MqttSession(std::move(impl)));
}

MqttSession::MqttSession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MqttSession::~MqttSession()
{
    stop();
}

Result<void> MqttSession::start()
{
    std::lock_guard lock(impl_->mutex);
    if (impl_->started || impl_->stopping) {
        return std::unexpected(Error{ErrorCode::Broker, "mqtt start: the session was already started"});
    }
    impl_->started = true;
    impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
    return {};
}

void MqttSession::stop()
{
    {
        std::lock_guard lock(impl_->mutex);
        if (impl_->stopping) {
            return;
        }
        impl_->stopping = true;
        if (impl_->socketOpen) {
            // A normal DISCONNECT (reason 0): the broker discards the will. Sending it also wakes
            // the network thread, whose loop ends once the packet is written.
            mosquitto_disconnect_v5(impl_->mosq, MQTT_RC_NORMAL_DISCONNECTION, nullptr);
        }
    }
    impl_->wake.notify_all();
    // From a callback (against the thread contract) the network thread cannot join itself: it
    // ends on its own once the DISCONNECT is written; the destructor must then run elsewhere.
    if (impl_->thread.joinable() && impl_->thread.get_id() != std::this_thread::get_id()) {
        impl_->thread.join();
    }
    impl_->connected = false;
}

Result<int> MqttSession::publish(const std::string& topic, const std::string& payload, int qos, bool retain,
                                 const PublishProperties& properties)
{
    if (!impl_->connected) {
        return std::unexpected(Error{ErrorCode::NotConnected,
                                     "mqtt publish " + topic + ": not connected to " + impl_->endpoint()});
    }
    if (payload.size() > static_cast<std::size_t>(MQTT_MAX_PAYLOAD)) {
        return std::unexpected(Error{ErrorCode::Broker, "mqtt publish " + topic + ": payload too large"});
    }
    mosquitto_property* props = nullptr;
    // Freed on every path (libmosquitto copies the properties it sends).
    struct PropertyList
    {
        mosquitto_property*& list;
        ~PropertyList() { mosquitto_property_free_all(&list); }
    } guard{props};
    int rc = MOSQ_ERR_SUCCESS;
    if (!properties.responseTopic.empty()) {
        rc =
            mosquitto_property_add_string(&props, MQTT_PROP_RESPONSE_TOPIC, properties.responseTopic.c_str());
    }
    if (rc == MOSQ_ERR_SUCCESS && !properties.correlationData.empty()) {
        if (properties.correlationData.size() > 65535) {
            return std::unexpected(
                Error{ErrorCode::Broker, "mqtt publish " + topic + ": correlation data over 65535 bytes"});
        }
        rc = mosquitto_property_add_binary(&props, MQTT_PROP_CORRELATION_DATA,
                                           properties.correlationData.data(),
                                           static_cast<std::uint16_t>(properties.correlationData.size()));
    }
    if (rc == MOSQ_ERR_SUCCESS && properties.messageExpirySeconds > 0) {
        rc = mosquitto_property_add_int32(&props, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL,
                                          properties.messageExpirySeconds);
    }
    if (rc != MOSQ_ERR_SUCCESS) {
        return std::unexpected(brokerError("publish " + topic + ": properties", rc));
    }
    int mid = 0;
    rc = mosquitto_publish_v5(impl_->mosq, &mid, topic.c_str(), static_cast<int>(payload.size()),
                              payload.data(), qos, retain, props);
    if (rc == MOSQ_ERR_NO_CONN) {
        return std::unexpected(Error{ErrorCode::NotConnected,
                                     "mqtt publish " + topic + ": not connected to " + impl_->endpoint()});
    }
    if (rc != MOSQ_ERR_SUCCESS) {
        return std::unexpected(brokerError("publish " + topic, rc));
    }
    return mid;
}

Result<void> MqttSession::subscribe(const std::string& filter, int qos)
{
    if (mosquitto_sub_topic_check2(filter.c_str(), filter.size()) != MOSQ_ERR_SUCCESS) {
        return std::unexpected(
            Error{ErrorCode::Broker, "mqtt subscribe: invalid topic filter \"" + filter + "\""});
    }
    if (qos < 0 || qos > 2) {
        return std::unexpected(
            Error{ErrorCode::Broker, "mqtt subscribe " + filter + ": QoS must be 0, 1 or 2"});
    }
    {
        std::lock_guard lock(impl_->mutex);
        auto& subs = impl_->subscriptions;
        auto it = std::find_if(subs.begin(), subs.end(), [&](const auto& s) { return s.first == filter; });
        if (it == subs.end()) {
            subs.emplace_back(filter, qos);
        } else {
            it->second = qos;
        }
    }
    // Not connected: the next CONNACK subscribes it. A connection that comes up between the
    // check and the call subscribes twice, which is harmless.
    if (impl_->connected) {
        const int rc = mosquitto_subscribe_v5(impl_->mosq, nullptr, filter.c_str(), qos, 0, nullptr);
        if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_NO_CONN) {
            return std::unexpected(brokerError("subscribe " + filter, rc));
        }
    }
    return {};
}

bool MqttSession::connected() const
{
    return impl_->connected;
}

TransportFactory mqttTransport()
{
    return [](MqttOptions options, Transport::Callbacks callbacks) -> Result<std::unique_ptr<Transport>> {
        return MqttSession::create(std::move(options), std::move(callbacks));
    };
}

} // namespace retour::sync
