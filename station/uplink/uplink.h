#pragma once

#include "app/event_loop.h"
#include "config/config.h"
#include "retour/contract/status.h"
#include "retour/link/transport.h"
#include "store/store.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace retour::station {

// The station's side of the MQTT contract (docs/messages.md): status with an offline will, the RMA
// downlink into the store's cache, acknowledgements, and the outbox drained in station_seq order
// with a bounded in-flight window. A message leaves the outbox only on central's ack; on
// reconnect everything unacknowledged is sent again (central deduplicates by event_id). A PUBACK
// with reason >= 0x80 keeps the event queued and raises an operator-visible alarm.
//
// Central's retained status (returns/v1/<site>/central/status) carries a new session id on every
// central connection: when a new session comes online, everything unacknowledged is sent again at
// once. mosquitto 2.0.11 does not restore central's shared subscription after a broker restart, so
// events sent before central reconnected reached nobody; this is what brings them, not the
// resendAfter watchdog (kept as a last resort).
//
// Unknown identifiers: lookup() asks central (MQTT v5 request/response) and caches the RMAs it
// answers with.
//
// The transport comes from `transport` (MqttSession by default; tests/support/fake_transport.h in
// tests).
//
// Thread contract: thread-bound (the station loop); the transport's callbacks only post to it.
class Uplink
{
public:
    struct Settings
    {
        std::string site;
        std::string stationId;
        BrokerConfig broker;
        std::size_t window = 256;
        std::chrono::seconds resendAfter{30}; // resend unacknowledged events after this silence
    };
    // Each device by name ("scanner", "scale", "printer", "camera") and its state.
    using DeviceStatus = std::function<std::map<std::string, std::string>()>;

    Uplink(EventLoop& loop, Store& store, Settings settings, DeviceStatus deviceStatus,
           sync::TransportFactory transport = sync::mqttTransport());
    ~Uplink();
    Uplink(const Uplink&) = delete;
    Uplink& operator=(const Uplink&) = delete;

    // Create the session and start connecting in the background. An unreachable broker is not an
    // error: the station keeps working and says so.
    Result<void> start();
    // Publish the offline status and disconnect.
    void stop();

    // Publish what the window allows; call after every write that enqueued events.
    void pump();
    void publishStatus();

    bool connected() const { return connected_; }
    // Events the broker refused (PUBACK reason >= 0x80) since start.
    std::size_t refused() const { return refused_; }
    std::size_t inFlight() const { return inFlight_.size(); }
    // Called after every RMA cache change (the sync command counts them).
    void onRmaChange(std::function<void()> callback) { rmaChanged_ = std::move(callback); }
    // The status document's "counters" (counters.h, docs/schemas/status.json), when set.
    void onStatusCounters(std::function<sync::StationStatus::Counters()> counters)
    {
        statusCounters_ = std::move(counters);
    }
    // Central's last known status on this connection.
    bool centralOnline() const { return centralOnline_; }
    // Resends triggered by central coming (back) online since start.
    std::size_t centralRewinds() const { return centralRewinds_; }

    // Ask central for the open RMAs matching `value` (key: any | label | gtin | serial | order |
    // tracking). `done` runs on the loop with the matches, already cached in the store; with none
    // at once when the broker or central is not there, or after `timeout` without an answer.
    using LookupDone = std::function<void(std::vector<Rma> matches)>;
    void lookup(const std::string& key, const std::string& value, std::chrono::milliseconds timeout,
                LookupDone done);
    // True when a lookup can be answered now (connected and central online).
    bool canLookup() const { return session_ && connected_ && centralOnline_; }

private:
    void onConnection(bool connected, const std::string& reason);
    void onPublished(int messageId, bool ok, int reasonCode);
    void onMessage(const sync::Transport::Message& message);
    void onCentralStatus(const std::string& payload);
    void onLookupResponse(const sync::Transport::Message& message);
    void rewind(const char* why);
    void checkCapacity();
    void recordSent();
    void onAck(const std::string& payload);
    void onRma(const std::string& topic, const std::string& payload);
    void watchdog();
    std::chrono::milliseconds watchdogPeriod() const;

    EventLoop& loop_;
    Store& store_;
    std::shared_ptr<const int> alive_ = std::make_shared<const int>(0); // see start(): posted tasks
    Settings settings_;
    DeviceStatus deviceStatus_;
    std::function<sync::StationStatus::Counters()> statusCounters_;
    sync::TransportFactory transport_;
    std::unique_ptr<sync::Transport> session_;
    std::function<void()> rmaChanged_;

    bool connected_ = false;
    bool saidOffline_ = false;
    std::size_t refused_ = 0;
    std::int64_t cursor_ = 0;                  // highest station_seq published on this connection
    std::map<int, std::int64_t> inFlight_;     // message id -> station_seq
    std::optional<EventLoop::TimerId> rewind_; // scheduled resend after a refused PUBACK
    std::optional<EventLoop::TimerId> watchdog_;
    EventLoop::Clock::time_point lastProgress_{};
    std::string lastStatus_; // last status document published, and when
    EventLoop::Clock::time_point lastStatusAt_{};
    std::string ackTopic_;
    std::string rmaPrefix_;
    std::string centralStatusTopic_;
    std::string lookupTopic_, lookupResponseTopic_;

    bool centralOnline_ = false;
    // Last central status seen on this connection: "" offline, else the online session id.
    std::optional<std::string> centralSession_;
    std::size_t centralRewinds_ = 0;
    bool capacityAlarm_ = false;
    std::int64_t acceptedThrough_ = 0; // highest station_seq the broker accepted
    std::int64_t recordedThrough_ = 0; // ... as written to the outbox (markSent)
    EventLoop::Clock::time_point lastCapacityCheck_{};
    struct PendingLookup
    {
        LookupDone done;
        EventLoop::TimerId timer;
    };
    std::map<std::string, PendingLookup> lookups_; // by request id (= correlation data)
};

} // namespace retour::station
