// The central loop of `retour-central run` (see service.h).
#include "retour/central/service.h"

#include "retour/sync/message.h"
#include "retour/sync/mqtt_session.h"

#include <algorithm>
#include <chrono>
#include <spdlog/spdlog.h>

namespace retour::central {

namespace {

std::string nowText()
{
    return sync::formatTimestamp(std::chrono::system_clock::now());
}

template <class... Fs> struct Overloaded : Fs...
{
    using Fs::operator()...;
};

} // namespace

Service::Service(Config config, Store& store)
    : config_(std::move(config)), store_(store), ledger_(store_), ingest_(config_.site, store_, ledger_),
      publisher_(config_.site, [this](const std::string& topic, const std::string& payload, int qos,
                                      bool retain) { return publish(topic, payload, qos, retain); })
{}

Service::~Service() = default;

void Service::requestStop(std::string why)
{
    queue_.push(StopRequested{std::move(why)});
}

Result<int> Service::publish(const std::string& topic, const std::string& payload, int qos, bool retain)
{
    if (!session_) {
        return fail(ErrorCode::Broker, "no MQTT session");
    }
    auto id = session_->publish(topic, payload, qos, retain);
    if (!id) {
        return fail(ErrorCode::Broker, "publish to " + topic + ": " + id.error().message);
    }
    return *id;
}

void Service::onConnection(const ConnectionChanged& change)
{
    if (!change.connected) {
        spdlog::warn("broker {}:{} not connected: {} (retrying)", config_.broker.host, config_.broker.port,
                     change.reason);
        return;
    }
    spdlog::info("broker {}:{}: {}", config_.broker.host, config_.broker.port, change.reason);
    // Retained RMAs are republished on every connection, in case the broker lost them.
    if (auto published = publisher_.publishOpen(store_); !published) {
        spdlog::error("publishing the open RMAs failed: {}", published.error().message);
    } else {
        spdlog::info("published {} open RMA(s) retained", *published);
    }
}

void Service::ingest(const MessageArrived& message, std::vector<IngestResult>& results)
{
    auto result = ingest_.handle(message.topic, message.payload, nowText());
    if (!result) {
        // Nothing was committed, so nothing is acknowledged: the station sends it again.
        spdlog::error("event on {} not stored: {}", message.topic, result.error().message);
        return;
    }
    switch (result->outcome) {
    case IngestResult::Outcome::Stored:
        spdlog::debug("stored event {} from {}", result->eventId, result->station);
        break;
    case IngestResult::Outcome::Duplicate:
        spdlog::debug("duplicate event {} from {}: acknowledging again", result->eventId, result->station);
        break;
    case IngestResult::Outcome::DeadLettered:
        break; // logged by Ingest
    }
    results.push_back(std::move(*result));
}

void Service::acknowledge(const std::vector<IngestResult>& results)
{
    for (const AckMessage& ack : batchAcks(results)) {
        if (auto sent = publish(ack.topic, ack.payload, 1, false); !sent) {
            spdlog::warn("ack of {} event(s) not sent ({}); the station will send them again",
                         ack.eventIds.size(), sent.error().message);
        }
    }
}

void Service::republish(const std::vector<IngestResult>& results)
{
    std::vector<std::string> changed;
    for (const IngestResult& result : results) {
        for (const std::string& id : result.changedReturns) {
            if (std::find(changed.begin(), changed.end(), id) == changed.end()) {
                changed.push_back(id);
            }
        }
    }
    for (const std::string& id : changed) {
        auto ret = store_.findReturn(id);
        if (!ret || !*ret) {
            spdlog::error("cannot read return {} to republish it", id);
            continue;
        }
        if (!isOpen(**ret)) {
            continue;
        }
        if (auto published = publisher_.publish(**ret); !published) {
            // Republished with every open RMA on the next connection.
            spdlog::warn("RMA {} not republished: {}", id, published.error().message);
        }
    }
}

Result<void> Service::run()
{
    sync::MqttOptions options;
    options.host = config_.broker.host;
    options.port = config_.broker.port;
    options.clientId = config_.broker.clientId;
    options.username = config_.broker.username;
    options.password = config_.broker.password;
    options.cleanStart = false;

    sync::MqttSession::Callbacks callbacks;
    callbacks.onConnection = [this](bool connected, std::string reason) {
        queue_.push(ConnectionChanged{connected, std::move(reason)});
    };
    callbacks.onPublished = [this](int messageId, bool ok, int reasonCode) {
        if (!ok) {
            queue_.push(PublishFinished{messageId, ok, reasonCode});
        }
    };
    callbacks.onMessage = [this](const std::string& topic, const std::string& payload, bool retained) {
        if (!queue_.push(MessageArrived{topic, payload, retained})) {
            spdlog::warn("central loop queue full: message on {} dropped (the station will send it again)",
                         topic);
        }
    };
    auto session = sync::MqttSession::create(std::move(options), std::move(callbacks));
    if (!session) {
        return fail(ErrorCode::Broker, "cannot create the MQTT session: " + session.error().message);
    }
    session_ = std::move(*session);

    // Remembered by the session and made again on every (re)connection.
    const std::string filter =
        (config_.broker.sharedSubscription ? "$share/central/" : "") + sync::topics::allEvents(config_.site);
    if (auto subscribed = session_->subscribe(filter, 1); !subscribed) {
        return fail(ErrorCode::Broker, "cannot subscribe to " + filter + ": " + subscribed.error().message);
    }
    // Connects in the background and keeps retrying (onConnection reports each failure).
    if (auto started = session_->start(); !started) {
        return fail(ErrorCode::Broker, "cannot start the MQTT session: " + started.error().message);
    }
    spdlog::info("connecting to broker {}:{} as {}, events from {}", config_.broker.host, config_.broker.port,
                 config_.broker.clientId, filter);

    bool stopping = false;
    while (!stopping) {
        std::vector<IngestResult> results;
        for (LoopEvent& event : queue_.waitAll(std::chrono::milliseconds(500))) {
            std::visit(Overloaded{
                           [&](const ConnectionChanged& change) { onConnection(change); },
                           [&](const MessageArrived& message) { ingest(message, results); },
                           [&](const PublishFinished& finished) {
                               spdlog::error(
                                   "broker refused publish {} (reason code {}); check the broker ACL for {}",
                                   finished.messageId, finished.reasonCode, config_.broker.username);
                           },
                           [&](const StopRequested& stop) {
                               spdlog::info("stopping: {}", stop.why);
                               stopping = true;
                           },
                       },
                       event);
        }
        acknowledge(results);
        republish(results);
    }
    session_->stop();
    session_.reset();
    spdlog::info("stopped");
    return {};
}

} // namespace retour::central
