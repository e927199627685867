#include "uplink/uplink.h"

#include "retour/contract/message.h"
#include "retour/link/outbox.h"
#include "workflow/rma.h"

#include <algorithm>
#include <spdlog/spdlog.h>

namespace retour::station {

namespace {

constexpr std::chrono::seconds kRewindDelay{5};

// The status document with its state only (the will, and what a clean stop says).
std::string offlineStatus()
{
    return sync::encodeStationStatus(sync::StationStatus{});
}

} // namespace

Uplink::Uplink(EventLoop& loop, Store& store, Settings settings, DeviceStatus deviceStatus,
               sync::TransportFactory transport)
    : loop_(loop), store_(store), settings_(std::move(settings)), deviceStatus_(std::move(deviceStatus)),
      transport_(std::move(transport))
{
    ackTopic_ = sync::topics::ack(settings_.site, settings_.stationId);
    rmaPrefix_ = sync::topics::rma(settings_.site, "");
    centralStatusTopic_ = sync::topics::centralStatus(settings_.site);
    lookupTopic_ = sync::topics::request(settings_.site, settings_.stationId, sync::kLookupRequestName);
    lookupResponseTopic_ =
        sync::topics::command(settings_.site, settings_.stationId, sync::kLookupRequestName);
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
    options.willPayload = offlineStatus();
    options.maxInflight = static_cast<int>(settings_.window) + 4;
    options.caFile = settings_.broker.caFile;
    options.certFile = settings_.broker.certFile;
    options.keyFile = settings_.broker.keyFile;

    // The session's callbacks run on its network thread and only post work to the loop. A task still
    // queued when this Uplink is destroyed (it lives on the loop's thread) must find it gone, not
    // dangling: each task holds a weak reference to alive_.
    auto post = [this, guard = std::weak_ptr<const int>(alive_)](std::function<void()> task) {
        loop_.post([guard, task = std::move(task)] {
            if (!guard.expired()) {
                task();
            }
        });
    };
    sync::Transport::Callbacks callbacks;
    callbacks.onConnection = [this, post](bool connected, std::string reason) {
        post([this, connected, reason = std::move(reason)] { onConnection(connected, reason); });
    };
    callbacks.onPublished = [this, post](int messageId, bool ok, int reasonCode) {
        post([this, messageId, ok, reasonCode] { onPublished(messageId, ok, reasonCode); });
    };
    callbacks.onMessageWithProperties = [this, post](const sync::Transport::Message& message) {
        post([this, message] { onMessage(message); });
    };
    auto session = transport_(options, std::move(callbacks));
    if (!session) {
        return fail(ErrorCode::Sync, session.error().message);
    }
    session_ = std::move(*session);
    for (const auto& filter :
         {sync::topics::allRmas(settings_.site), ackTopic_, centralStatusTopic_, lookupResponseTopic_}) {
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
    for (auto& [id, pending] : lookups_) {
        loop_.cancel(pending.timer);
    }
    lookups_.clear();
    recordSent();
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
        (void)session_->publish(sync::topics::status(settings_.site, settings_.stationId), offlineStatus(), 1,
                                true);
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
    sync::StationStatus status;
    status.online = true;
    status.devices = deviceStatus_ ? deviceStatus_() : std::map<std::string, std::string>{};
    if (statusCounters_) {
        status.counters = statusCounters_();
    }
    lastCapacityCheck_ = {};
    checkCapacity();
    if (auto stats = store_.outbox().stats()) {
        status.outboxPending = static_cast<std::int64_t>(stats->pending);
        status.outboxCapacity = static_cast<std::int64_t>(store_.outbox().capacity());
        status.outboxAlarm = capacityAlarm_;
    }
    // Retained and read by dashboards: sent when it changes, and at least once per resendAfter.
    const std::string document = sync::encodeStationStatus(status);
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
        // Central's retained status follows the subscription; until then it is unknown.
        centralOnline_ = false;
        centralSession_.reset();
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
    centralOnline_ = false;
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
    checkCapacity();
    if (!session_ || !connected_ || rewind_) {
        return;
    }
    // Refill once half the window is free, not on every PUBACK: one outbox read per half window
    // instead of one per event during a backlog drain (docs/protocols/benchmarks.md §4 B9).
    if (inFlight_.size() > settings_.window / 2) {
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
    acceptedThrough_ = std::max(acceptedThrough_, seq);
    pump();
}

void Uplink::recordSent()
{
    // Coalesced (one write every few seconds, and at stop), never one commit per PUBACK.
    if (acceptedThrough_ > recordedThrough_) {
        if (auto ok = store_.outbox().markSent(acceptedThrough_); ok) {
            recordedThrough_ = acceptedThrough_;
        }
    }
}

void Uplink::onMessage(const sync::Transport::Message& message)
{
    const std::string& topic = message.topic;
    if (topic == ackTopic_) {
        onAck(message.payload);
    } else if (topic == centralStatusTopic_) {
        onCentralStatus(message.payload);
    } else if (topic == lookupResponseTopic_) {
        onLookupResponse(message);
    } else if (topic.starts_with(rmaPrefix_)) {
        onRma(topic, message.payload);
    }
}

void Uplink::rewind(const char* why)
{
    if (rewind_) {
        loop_.cancel(*rewind_);
        rewind_.reset();
    }
    cursor_ = 0;
    inFlight_.clear(); // PUBACKs of the earlier sends are ignored; central deduplicates
    lastProgress_ = EventLoop::Clock::now();
    const auto stats = store_.outbox().stats();
    if (stats && stats->pending > 0) {
        spdlog::info("sync: {}: sending the {} unacknowledged event(s) again", why, stats->pending);
    }
    pump();
}

void Uplink::onCentralStatus(const std::string& payload)
{
    sync::CentralStatus status; // an empty retained payload counts as offline
    if (!payload.empty()) {
        auto decoded = sync::decodeCentralStatus(payload);
        if (!decoded) {
            spdlog::warn("sync: central status ignored: {}", decoded.error().message);
            return;
        }
        status = std::move(*decoded);
    }
    // What we saw before on this connection: nothing (the connect itself just sent everything
    // again), "" for offline, else the session id of an online central.
    const std::optional<std::string> before = centralSession_;
    centralSession_ = status.online ? status.session : std::string{};
    if (!status.online) {
        if (centralOnline_) {
            spdlog::warn("sync: central is offline; events stay queued until it is back");
        }
        centralOnline_ = false;
        return;
    }
    centralOnline_ = true;
    // Online after offline, or a new session: a central that (re)subscribed since; what we sent
    // before may have reached nobody (a broker restart drops its shared subscription).
    if (before && *before != status.session) {
        ++centralRewinds_;
        rewind("central is (back) online");
    }
}

void Uplink::lookup(const std::string& key, const std::string& value, std::chrono::milliseconds timeout,
                    LookupDone done)
{
    if (!canLookup()) {
        loop_.post([done = std::move(done)] { done({}); });
        return;
    }
    sync::LookupRequest request{sync::newUuidV7(), settings_.stationId, key, value};
    sync::Transport::PublishProperties properties;
    properties.responseTopic = lookupResponseTopic_;
    properties.correlationData = request.requestId;
    // An answer after the timeout is useless: let the broker drop an undelivered request.
    properties.messageExpirySeconds = static_cast<std::uint32_t>(
        std::max<std::int64_t>(1, std::chrono::ceil<std::chrono::seconds>(timeout).count()));
    auto sent = session_->publish(lookupTopic_, sync::encodeLookupRequest(request), 1, false, properties);
    if (!sent) {
        spdlog::debug("sync: lookup not sent: {}", sent.error().message);
        loop_.post([done = std::move(done)] { done({}); });
        return;
    }
    const std::string id = request.requestId;
    const auto timer = loop_.after(timeout, [this, id] {
        const auto it = lookups_.find(id);
        if (it == lookups_.end()) {
            return;
        }
        auto callback = std::move(it->second.done);
        lookups_.erase(it);
        spdlog::info("sync: central did not answer the lookup in time; continuing with the local cache");
        callback({});
    });
    lookups_.emplace(id, PendingLookup{std::move(done), timer});
    spdlog::info("sync: \"{}\" is not in the RMA cache: asking central", value);
}

void Uplink::onLookupResponse(const sync::Transport::Message& message)
{
    auto response = sync::decodeLookupResponse(message.payload);
    if (!response) {
        spdlog::warn("sync: lookup answer ignored: {}", response.error().message);
        return;
    }
    // The correlation data names the request (MQTT v5 §4.10); the body repeats it.
    const std::string& id = message.correlationData.empty() ? response->requestId : message.correlationData;
    const auto it = lookups_.find(id);
    if (it == lookups_.end()) {
        return; // timed out already, or not ours
    }
    auto callback = std::move(it->second.done);
    loop_.cancel(it->second.timer);
    lookups_.erase(it);
    std::vector<Rma> matches;
    // decodeLookupResponse checked every match against docs/schemas/rma.json.
    for (const auto& document : response->matches) {
        Rma rma = fromContract(document);
        if (auto ok = store_.putRma(rma); !ok) {
            spdlog::error("sync: caching RMA {}: {}", rma.rmaId, ok.error().message);
        }
        matches.push_back(std::move(rma));
    }
    spdlog::info("sync: central answered the lookup with {} RMA(s)", matches.size());
    if (!matches.empty() && rmaChanged_) {
        rmaChanged_();
    }
    callback(std::move(matches));
}

void Uplink::checkCapacity()
{
    // pump() runs on every PUBACK during a drain: look at most twice a second.
    const auto now = EventLoop::Clock::now();
    if (now - lastCapacityCheck_ < std::chrono::milliseconds(500)) {
        return;
    }
    lastCapacityCheck_ = now;
    auto stats = store_.outbox().stats();
    if (!stats) {
        return;
    }
    const auto capacity = static_cast<std::int64_t>(store_.outbox().capacity());
    // Alarm at 90 %: the operator has time to get the link fixed before confirms are refused.
    const bool high = stats->pending * 10 >= capacity * 9;
    if (high && !capacityAlarm_) {
        spdlog::error("operator: ALARM: the outbox holds {} of {} unacknowledged events; at {} the station "
                      "refuses to confirm items. Get the link to central fixed.",
                      stats->pending, capacity, capacity);
    } else if (!high && capacityAlarm_) {
        spdlog::info("operator: the outbox is below 90 % of its capacity again ({} of {})", stats->pending,
                     capacity);
    }
    if (high != capacityAlarm_) {
        // The site sees the alarm (and its end) in the status document at once, not at the next
        // periodic status.
        capacityAlarm_ = high;
        publishStatus();
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
    recordSent();
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
