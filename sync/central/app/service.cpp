// The central loop of `retour-central run` (see service.h).
#include "app/service.h"

#include "app/desk_runtime.h"
#include "ledger/lookup.h"
#include "outcomes/outcomes.h"
#include "retour/contract/message.h"
#include "retour/link/mqtt_session.h"

#include <algorithm>
#include <chrono>
#include <spdlog/spdlog.h>

namespace retour::central {

namespace {

std::string nowText()
{
    return sync::formatTimestamp(std::chrono::system_clock::now());
}

// returns/v1/<site>/<station>/req/lookup
bool isLookup(std::string_view topic)
{
    constexpr std::string_view suffix = "/req/lookup";
    return topic.ends_with(suffix);
}

template <class... Fs> struct Overloaded : Fs...
{
    using Fs::operator()...;
};

} // namespace

sync::MqttOptions mqttOptions(const BrokerConfig& broker)
{
    sync::MqttOptions options;
    options.host = broker.host;
    options.port = broker.port;
    options.clientId = broker.clientId;
    options.username = broker.username;
    options.password = broker.password;
    options.caFile = broker.caFile;
    options.certFile = broker.certFile;
    options.keyFile = broker.keyFile;
    return options;
}

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
    // Subscriptions were renewed before this was queued, so a station that resends on this
    // "online" reaches them (see publishStatus).
    publishStatus(true);
    // Retained RMAs are republished on every connection, in case the broker lost them.
    if (auto published = publisher_.publishOpen(store_); !published) {
        spdlog::error("publishing the open RMAs failed: {}", published.error().message);
    } else {
        spdlog::info("published {} open RMA(s) retained", *published);
    }
}

void Service::publishStatus(bool online)
{
    if (online) {
        statusSession_ = sync::newUuidV7();
    }
    const std::string document =
        sync::encodeCentralStatus(sync::CentralStatus{online, statusSession_, nowText()});
    if (auto sent = publish(sync::topics::centralStatus(config_.site), document, 1, true); !sent) {
        spdlog::warn("central status ({}) not published: {}", online ? "online" : "offline",
                     sent.error().message);
    }
}

void Service::answer(const MessageArrived& message)
{
    auto request = sync::decodeLookupRequest(message.payload);
    if (!request) {
        spdlog::warn("lookup on {} ignored: {}", message.topic, request.error().message);
        return;
    }
    // The ACL lets a station write only its own req/#; the body must name the same station.
    const std::string expected =
        sync::topics::request(config_.site, request->station, sync::kLookupRequestName);
    if (message.topic != expected) {
        spdlog::warn("lookup on {} ignored: its body names station {}", message.topic, request->station);
        return;
    }
    if (message.responseTopic.empty()) {
        spdlog::warn("lookup on {} ignored: no MQTT v5 response topic", message.topic);
        return;
    }
    auto response = answerLookup(store_, config_.site, *request);
    if (!response) {
        spdlog::error("lookup {} of {} \"{}\" failed: {}", request->requestId, request->key, request->value,
                      response.error().message);
        return;
    }
    sync::MqttSession::Message in;
    in.topic = message.topic;
    in.responseTopic = message.responseTopic;
    in.correlationData = message.correlationData;
    if (auto sent = session_->reply(in, sync::encodeLookupResponse(*response)); !sent) {
        spdlog::warn("lookup answer to {} not sent: {}", message.responseTopic, sent.error().message);
        return;
    }
    spdlog::info("lookup from {}: {} \"{}\": {} match(es)", request->station, request->key, request->value,
                 response->matches.size());
}

void Service::ingest(const std::vector<Ingest::IncomingMessage>& messages, std::vector<IngestResult>& results)
{
    if (messages.empty()) {
        return;
    }
    auto batch = ingest_.handleBatch(messages, nowText());
    if (!batch) {
        // Nothing was committed, so nothing is acknowledged: the stations send it again.
        spdlog::error("{} event(s) not stored: {}", messages.size(), batch.error().message);
        return;
    }
    for (IngestResult& result : *batch) {
        log(result);
        results.push_back(std::move(result));
    }
}

void Service::log(const IngestResult& result)
{
    switch (result.outcome) {
    case IngestResult::Outcome::Stored:
        spdlog::debug("stored event {} from {}", result.eventId, result.station);
        break;
    case IngestResult::Outcome::Duplicate:
        spdlog::debug("duplicate event {} from {}: acknowledging again", result.eventId, result.station);
        break;
    case IngestResult::Outcome::DeadLettered:
        break; // logged by Ingest
    }
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
        if (auto published = publisher_.update(**ret); !published) {
            // Republished with every open RMA on the next connection.
            spdlog::warn("RMA {} not republished: {}", id, published.error().message);
        }
    }
}

Result<void> Service::run()
{
    sync::MqttOptions options = mqttOptions(config_.broker);
    options.cleanStart = false;
    // Stations resend what central has not acknowledged when they see it come (back) online
    // (docs/messages.md "Central status"); the will says when it is gone.
    options.willTopic = sync::topics::centralStatus(config_.site);
    options.willPayload = sync::encodeCentralStatus(sync::CentralStatus{false, "", ""});
    // One service per site: reconnecting soon after a broker restart matters more than spreading
    // the reconnects of many clients.
    options.reconnectMax = std::chrono::seconds(5);

    sync::MqttSession::Callbacks callbacks;
    callbacks.onConnection = [this](bool connected, std::string reason) {
        queue_.push(ConnectionChanged{connected, std::move(reason)});
    };
    callbacks.onPublished = [this](int messageId, bool ok, int reasonCode) {
        if (!ok) {
            queue_.push(PublishFinished{messageId, ok, reasonCode});
        }
    };
    callbacks.onMessageWithProperties = [this](const sync::MqttSession::Message& message) {
        if (!queue_.push(MessageArrived{message.topic, message.payload, message.retained,
                                        message.responseTopic, message.correlationData})) {
            spdlog::warn("central loop queue full: message on {} dropped (the station will send it again)",
                         message.topic);
        }
    };
    auto session = sync::MqttSession::create(std::move(options), std::move(callbacks));
    if (!session) {
        return fail(ErrorCode::Broker, "cannot create the MQTT session: " + session.error().message);
    }
    session_ = std::move(*session);

    // Remembered by the session and made again on every (re)connection.
    const std::string share = config_.broker.sharedSubscription ? "$share/central/" : "";
    const std::string filter = share + sync::topics::allEvents(config_.site);
    const std::string lookups = share + sync::topics::request(config_.site, "+", sync::kLookupRequestName);
    for (const std::string& f : {filter, lookups}) {
        if (auto subscribed = session_->subscribe(f, 1); !subscribed) {
            return fail(ErrorCode::Broker, "cannot subscribe to " + f + ": " + subscribed.error().message);
        }
    }
    // Connects in the background and keeps retrying (onConnection reports each failure).
    if (auto started = session_->start(); !started) {
        return fail(ErrorCode::Broker, "cannot start the MQTT session: " + started.error().message);
    }
    spdlog::info("connecting to broker {}:{} as {}, events from {}", config_.broker.host, config_.broker.port,
                 config_.broker.clientId, filter);
    auto desk = startDesk(config_, store_, ledger_, publisher_,
                          [this](HttpServer::Task task) { return queue_.push(PostedTask{std::move(task)}); });
    if (!desk) {
        session_->stop();
        session_.reset();
        return std::unexpected(desk.error());
    }
    desk_ = std::move(*desk);
    ingest_.setPreprintedLookup(
        [desk = desk_->desk.get()](std::string_view label) { return desk->preprintedFor(label); });
    ingest_.setItemLookup([orders = &desk_->storage->orders()](const Inspection& inspection) {
        return lookUpItem(*orders, inspection);
    });
    // The delivery worker wakes the loop when an answer came, so refunds settle without waiting.
    auto outcomes = Outcomes::start(config_, [this] { queue_.push(PostedTask{[] {}}); });
    if (!outcomes) {
        desk_.reset();
        session_->stop();
        session_.reset();
        return std::unexpected(outcomes.error());
    }
    outcomes_ = std::move(*outcomes);

    // Expiry runs at start (what a stopped service missed) and every expire_interval_s.
    auto nextExpiry = std::chrono::steady_clock::now();
    bool stopping = false;
    while (!stopping) {
        std::vector<IngestResult> results;
        std::vector<Ingest::IncomingMessage> arrived;
        for (LoopEvent& event : queue_.waitAll(std::chrono::milliseconds(500))) {
            std::visit(Overloaded{
                           [&](const ConnectionChanged& change) { onConnection(change); },
                           [&](const MessageArrived& message) {
                               if (isLookup(message.topic)) {
                                   answer(message);
                               } else {
                                   arrived.push_back({message.topic, message.payload});
                               }
                           },
                           [&](const PublishFinished& finished) {
                               spdlog::error(
                                   "broker refused publish {} (reason code {}); check the broker ACL for {}",
                                   finished.messageId, finished.reasonCode, config_.broker.username);
                           },
                           [&](const StopRequested& stop) {
                               spdlog::info("stopping: {}", stop.why);
                               stopping = true;
                           },
                           [&](const PostedTask& task) { task.run(); },
                       },
                       event);
        }
        ingest(arrived, results);
        acknowledge(results);
        republish(results);
        if (outcomes_) {
            IngestResult moved;
            moved.changedReturns = outcomes_->catchUp();
            republish({moved});
        }
        if (std::chrono::steady_clock::now() >= nextExpiry) {
            nextExpiry = std::chrono::steady_clock::now() + std::chrono::seconds(config_.expireIntervalS);
            // The desk publishes each expired return's removal.
            if (auto expired = desk_->desk->expire(config_.expireAfterDays); !expired) {
                spdlog::error("expiry pass: {} (tried again in {} s)", expired.error().message,
                              config_.expireIntervalS);
            } else if (!expired->empty()) {
                spdlog::info("{} authorised return(s) expired after {} day(s) without a parcel",
                             expired->size(), config_.expireAfterDays);
            }
        }
    }
    desk_.reset();
    outcomes_.reset();
    if (session_->connected()) {
        // A clean DISCONNECT discards the will: say offline ourselves.
        publishStatus(false);
    }
    session_->stop();
    session_.reset();
    spdlog::info("stopped");
    return {};
}

} // namespace retour::central
