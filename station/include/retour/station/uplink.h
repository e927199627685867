#pragma once

#include "retour/station/config.h"
#include "retour/station/event_loop.h"
#include "retour/station/store.h"
#include "retour/sync/mqtt_session.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace retour::station {

// The station's side of the MQTT contract (docs/messages.md): status with an offline will, the RMA
// downlink into the store's cache, acknowledgements, and the outbox drained in station_seq order
// with a bounded in-flight window. A message leaves the outbox only on central's ack; on
// reconnect everything unacknowledged is sent again (central deduplicates by event_id). A PUBACK
// with reason >= 0x80 keeps the event queued and raises an operator-visible alarm.
//
// Thread contract: thread-bound (the station loop); the session's callbacks only post to it.
class Uplink
{
public:
    struct Settings
    {
        std::string site;
        std::string stationId;
        BrokerConfig broker;
        std::size_t window = 16;
        std::chrono::seconds resendAfter{30}; // resend unacknowledged events after this silence
    };
    using DeviceStatus = std::function<nlohmann::json()>;

    Uplink(EventLoop& loop, Store& store, Settings settings, DeviceStatus deviceStatus);
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

private:
    void onConnection(bool connected, const std::string& reason);
    void onPublished(int messageId, bool ok, int reasonCode);
    void onMessage(const std::string& topic, const std::string& payload);
    void onAck(const std::string& payload);
    void onRma(const std::string& topic, const std::string& payload);
    void watchdog();
    std::chrono::milliseconds watchdogPeriod() const;

    EventLoop& loop_;
    Store& store_;
    Settings settings_;
    DeviceStatus deviceStatus_;
    std::unique_ptr<sync::MqttSession> session_;
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
};

} // namespace retour::station
