#include "retour/station/uplink.h"

#include "retour/station/rma.h"
#include "retour/sync/message.h"
#include "retour/sync/outbox.h"

#include <algorithm>
#include <spdlog/spdlog.h>

namespace retour::station {

namespace {

constexpr std::chrono::seconds kRewindDelay{5};

nlohmann::json statusDocument(const std::string& state)
{
    return {{"schema", "retour.status"}, {"version", 1}, {"state", state}};
}

} // namespace

Uplink::Uplink(EventLoop& loop, Store& store, Settings settings, DeviceStatus deviceStatus)
    : loop_(loop), store_(store), settings_(std::move(settings)), deviceStatus_(std::move(deviceStatus))
{
    ackTopic_ = sync::topics::ack(settings_.site, settings_.stationId);
    rmaPrefix_ = sync::topics::rma(settings_.site, "");
}

Uplink::~Uplink()
{
    stop();
}

Result<void> Uplink::start()
{
    sync::MqttOptions options;
    options.host = settings_.broker.host;
    options.port = settings_.broker.port;
    options.clientId = "retour-station-" + settings_.site + "-" + settings_.stationId;
    options.username = settings_.broker.username;
    options.password = settings_.broker.password;
    options.cleanStart = false;
    options.willTopic = sync::topics::status(settings_.site, settings_.stationId);
    options.willPayload = statusDocument("offline").dump();
    options.maxInflight = static_cast<int>(settings_.window) + 4;

    sync::MqttSession::Callbacks callbacks;
    callbacks.onConnection = [this](bool connected, std::string reason) {
        loop_.post([this, connected, reason = std::move(reason)] { onConnection(connected, reason); });
    };
    callbacks.onPublished = [this](int messageId, bool ok, int reasonCode) {
        loop_.post([this, messageId, ok, reasonCode] { onPublished(messageId, ok, reasonCode); });
    };
    callbacks.onMessage = [this](const std::string& topic, const std::string& payload, bool) {
        loop_.post([this, topic, payload] { onMessage(topic, payload); });
    };
    auto session = sync::MqttSession::create(options, std::move(callbacks));
    if (!session) {
        return fail(ErrorCode::Sync, session.error().message);
    }
    session_ = std::move(*session);
    for (const auto& filter : {sync::topics::allRmas(settings_.site), ackTopic_}) {
        if (auto ok = session_->subscribe(filter, 1); !ok) {
            return fail(ErrorCode::Sync, ok.error().message);
        }
    }
    if (auto ok = session_->start(); !ok) {
        return fail(ErrorCode::Sync, ok.error().message);
    }
    spdlog::info("sync: connecting to {}:{} as {}", options.host, options.port, options.username);
    watchdog_ = loop_.after(watchdogPeriod(), [this] { watchdog(); });
    return {};
}

void Uplink::stop()
{
    if (watchdog_) {
        loop_.cancel(*watchdog_);
        watchdog_.reset();
    }
    if (rewind_) {
        loop_.cancel(*rewind_);
        rewind_.reset();
    }
    if (!session_) {
        return;
    }
    if (connected_) {
        // A clean DISCONNECT discards the will: say offline ourselves.
        (void)session_->publish(sync::topics::status(settings_.site, settings_.stationId),
                                statusDocument("offline").dump(), 1, true);
    }
    session_->stop();
    session_.reset();
    connected_ = false;
}

void Uplink::publishStatus()
{
    if (!session_ || !connected_) {
        return;
    }
    nlohmann::json status = statusDocument("online");
    status["devices"] = deviceStatus_ ? deviceStatus_() : nlohmann::json::object();
    if (auto stats = store_.outbox().stats()) {
        status["outbox_pending"] = stats->pending;
    }
    // Retained and read by dashboards: sent when it changes, and at least once per resendAfter.
    const std::string document = status.dump();
    const auto now = EventLoop::Clock::now();
    if (document == lastStatus_ && now - lastStatusAt_ < settings_.resendAfter) {
        return;
    }
    lastStatus_ = document;
    lastStatusAt_ = now;
    if (auto ok =
            session_->publish(sync::topics::status(settings_.site, settings_.stationId), document, 1, true);
        !ok) {
        spdlog::debug("sync: status not published: {}", ok.error().message);
    }
}

void Uplink::onConnection(bool connected, const std::string& reason)
{
    if (!session_) {
        return;
    }
    if (connected) {
        if (!connected_) {
            spdlog::info("sync: {}", reason);
        } else {
            spdlog::warn("sync: {}", reason);
        }
        connected_ = true;
        saidOffline_ = false;
        // Everything not yet acknowledged goes out again, from the start of the outbox.
        cursor_ = 0;
        inFlight_.clear();
        lastProgress_ = EventLoop::Clock::now();
        publishStatus();
        pump();
        return;
    }
    const bool was = connected_;
    connected_ = false;
    inFlight_.clear();
    if (was || !saidOffline_) {
        const auto stats = store_.outbox().stats();
        spdlog::warn("sync: broker unreachable ({}); the station keeps working offline, {} event(s) queued",
                     reason, stats ? stats->pending : -1);
        saidOffline_ = true;
    }
}

void Uplink::pump()
{
    if (!session_ || !connected_ || rewind_) {
        return;
    }
    while (inFlight_.size() < settings_.window) {
        auto rows = store_.outbox().after(cursor_, settings_.window - inFlight_.size());
        if (!rows) {
            spdlog::error("sync: reading the outbox: {}", rows.error().message);
            return;
        }
        if (rows->empty()) {
            return;
        }
        for (const auto& row : *rows) {
            auto mid = session_->publish(row.topic, row.payload, 1, false);
            if (!mid) {
                // Not connected any more: onConnection(false) follows and the reconnect resends.
                spdlog::debug("sync: publish seq {}: {}", row.stationSeq, mid.error().message);
                return;
            }
            inFlight_[*mid] = row.stationSeq;
            cursor_ = row.stationSeq;
        }
    }
}

void Uplink::onPublished(int messageId, bool ok, int reasonCode)
{
    const auto it = inFlight_.find(messageId);
    if (it == inFlight_.end()) {
        return; // the status message, or one from before a reconnect
    }
    const std::int64_t seq = it->second;
    inFlight_.erase(it);
    if (!ok) {
        ++refused_;
        spdlog::error(
            "operator: ALARM: the broker refused event #{} (PUBACK reason 0x{:02x}{}); it stays queued and "
            "is retried; check the station's broker credentials and ACL",
            seq, reasonCode, reasonCode == 0x87 ? ", not authorised" : "");
        if (!rewind_) {
            rewind_ = loop_.after(kRewindDelay, [this] {
                rewind_.reset();
                cursor_ = 0;
                inFlight_.clear();
                pump();
            });
        }
        return;
    }
    lastProgress_ = EventLoop::Clock::now();
    pump();
}

void Uplink::onMessage(const std::string& topic, const std::string& payload)
{
    if (topic == ackTopic_) {
        onAck(payload);
    } else if (topic.starts_with(rmaPrefix_)) {
        onRma(topic, payload);
    }
}

void Uplink::onAck(const std::string& payload)
{
    auto ids = sync::decodeAck(payload);
    if (!ids) {
        spdlog::warn("sync: malformed ack ignored: {}", ids.error().message);
        return;
    }
    auto removed = store_.acknowledge(*ids);
    if (!removed) {
        spdlog::error("sync: recording ack: {}", removed.error().message);
        return;
    }
    lastProgress_ = EventLoop::Clock::now();
    spdlog::debug("sync: central acknowledged {} event(s)", *removed);
    pump();
}

void Uplink::onRma(const std::string& topic, const std::string& payload)
{
    const std::string rmaId = topic.substr(rmaPrefix_.size());
    if (payload.empty()) {
        if (auto ok = store_.removeRma(rmaId); !ok) {
            spdlog::error("sync: removing RMA {}: {}", rmaId, ok.error().message);
        } else {
            spdlog::info("sync: RMA {} closed", rmaId);
        }
    } else {
        auto rma = parseRma(payload);
        if (!rma) {
            spdlog::warn("sync: RMA on {} ignored: {}", topic, rma.error().message);
            return;
        }
        if (rma->rmaId != rmaId) {
            spdlog::warn("sync: RMA on {} ignored: its body names {}", topic, rma->rmaId);
            return;
        }
        if (auto ok = store_.putRma(*rma); !ok) {
            spdlog::error("sync: caching RMA {}: {}", rmaId, ok.error().message);
            return;
        }
        spdlog::debug("sync: RMA {} cached", rmaId);
    }
    if (rmaChanged_) {
        rmaChanged_();
    }
}

std::chrono::milliseconds Uplink::watchdogPeriod() const
{
    return std::max<std::chrono::milliseconds>(std::chrono::seconds(1), settings_.resendAfter / 6);
}

void Uplink::watchdog()
{
    // Checked several times per resendAfter so that a silence is caught within a fraction of it,
    // not a whole period late when the timer and the last progress are a hair apart.
    watchdog_ = loop_.after(watchdogPeriod(), [this] { watchdog(); });
    if (!connected_ || !inFlight_.empty() || rewind_) {
        return;
    }
    const auto stats = store_.outbox().stats();
    if (stats && stats->pending > 0 && EventLoop::Clock::now() - lastProgress_ >= settings_.resendAfter) {
        spdlog::info("sync: {} event(s) still unacknowledged after {} s: sending them again", stats->pending,
                     settings_.resendAfter.count());
        cursor_ = 0;
        lastProgress_ = EventLoop::Clock::now();
        pump();
    }
    publishStatus();
}

} // namespace retour::station
