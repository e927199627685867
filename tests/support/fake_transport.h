#pragma once

#include "retour/link/transport.h"

#include <cstddef>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace retour::test {

// One PUBLISH as the component sent it: every field the broker sees. Tests compare whole values
// (EXPECT_EQ on Published or vectors of them), the way mosquitto's own tests compare the packet
// bytes: a changed topic, payload byte, QoS, retain flag or v5 property fails.
struct Published
{
    std::string topic;
    std::string payload;
    int qos = 1;
    bool retain = false;
    sync::Transport::PublishProperties properties;

    bool operator==(const Published&) const = default;
};
// Googletest prints a Published with every field (found by argument-dependent lookup).
void PrintTo(const Published& published, std::ostream* out);

// A scripted MQTT peer in place of the broker: the component under test gets its transport from
// factory() and talks to it as to MqttSession; the test plays the broker's part — CONNACKs,
// connection losses, PUBACKs (at once or when the test says, with any reason code), incoming and
// retained messages — and checks exactly what was published and subscribed.
//
// As with a broker: publish() while not connected is NotConnected; a message reaches the
// component only when one of its subscriptions matches ($share/<group>/ prefixes and + / #
// wildcards included); retained messages (deliver-on-subscribe) are sent with the retain flag on
// every CONNACK and every subscribe, live ones without it; a connection lost before a PUBACK
// loses that PUBACK; a lost connection publishes the will, a stop() does not. Message ids count
// from 1 per session, wrapping after 65535.
//
// Thread contract: single-threaded. The test and the component call from one thread; callbacks
// run synchronously inside the script call that causes them (connect, drop, puback, deliver,
// retain) or, with Puback::Immediate, inside publish() before it returns — which the Transport
// contract allows. No callback runs after the session's stop().
class FakeTransport
{
public:
    enum class Puback
    {
        Immediate, // every publish is answered with reason 0 before publish() returns
        Manual,    // publishes wait for puback() / pubackAll()
    };

    FakeTransport() = default;
    ~FakeTransport();
    FakeTransport(const FakeTransport&) = delete;
    FakeTransport& operator=(const FakeTransport&) = delete;

    // For the component: each call makes a new session talking to this script (the previous one
    // must be gone). The options are kept for options().
    sync::TransportFactory factory();

    // --- What the component asked for.
    const sync::MqttOptions& options() const { return options_; } // of the latest session
    std::size_t sessionsMade() const { return sessionsMade_; }
    bool started() const;
    bool stopped() const;
    bool connected() const { return connected_; }
    std::vector<std::pair<std::string, int>> subscriptions() const; // filter, QoS; in order
    // Every publish of every session, in order; take() returns the ones not taken yet.
    const std::vector<Published>& published() const { return published_; }
    std::vector<Published> take();
    // The broker's retained message on `topic` (also from the will), if any.
    std::optional<std::string> retained(const std::string& topic) const;
    // Callbacks run so far: a test's loop has run every task they posted once this stops growing.
    std::size_t callbacksRun() const { return callbacksRun_; }

    // --- The broker's part.
    // CONNACK accepting the connection, then the retained messages its subscriptions match.
    void connect(bool sessionPresent = false);
    // CONNACK refusing it (e.g. "not authorised"); the connection stays down.
    void refuse(const std::string& reason);
    // The connection is lost: publishes not yet answered lose their PUBACK, the will is published.
    void drop(const std::string& reason = "connection lost");

    void setPuback(Puback mode) { pubackMode_ = mode; }
    // Message ids of publishes waiting for their PUBACK, oldest first.
    std::vector<int> unanswered() const;
    // PUBACK for `messageId` (reason >= 0x80: refused); false when it does not wait for one.
    bool puback(int messageId, int reasonCode = 0);
    // PUBACK for every waiting publish, oldest first; returns how many.
    std::size_t pubackAll(int reasonCode = 0);

    // A message from another client to the component: delivered (and true) only while connected
    // and when a subscription matches.
    bool deliver(sync::Transport::Message message);
    bool deliver(const std::string& topic, const std::string& payload);
    // Another client publishes a retained message (an empty payload clears it): stored, and
    // delivered live (retain flag off) to a matching subscription.
    void retain(const std::string& topic, const std::string& payload);

    // MQTT topic filter matching (MQTT v5 §4.7), with shared subscriptions' prefix removed.
    static bool matches(const std::string& filter, const std::string& topic);

private:
    class Session;
    friend class Session;

    int accept(Published published);
    void storeRetained(const std::string& topic, const std::string& payload);
    bool subscribed(const std::string& topic) const;
    void deliverRetained(const std::string& filter);
    template <class F, class... Args> void run(const F& callback, Args&&... args);

    Session* session_ = nullptr;
    sync::MqttOptions options_;
    sync::Transport::Callbacks callbacks_;
    std::size_t sessionsMade_ = 0;
    bool connected_ = false;
    Puback pubackMode_ = Puback::Immediate;
    int nextMessageId_ = 1;
    std::map<int, std::size_t> unanswered_; // message id -> order of sending
    std::size_t sent_ = 0;
    std::vector<Published> published_;
    std::size_t taken_ = 0;
    std::map<std::string, std::string> retained_;
    std::size_t callbacksRun_ = 0;
};

} // namespace retour::test
