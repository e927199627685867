#pragma once

#include "app/config.h"
#include "app/loop_queue.h"
#include "ledger/error.h"
#include "ledger/ingest.h"
#include "ledger/ledger.h"
#include "ledger/publisher.h"
#include "storage/store.h"

#include <memory>
#include <string>
#include <vector>

namespace retour::sync {
class MqttSession;
struct MqttOptions;
} // namespace retour::sync

namespace retour::central {

// The session options [broker] gives (host, port, client id, account, TLS files). Pure.
sync::MqttOptions mqttOptions(const BrokerConfig& broker);

struct DeskRuntime;
class Outcomes;

// `retour-central run`: the central loop. It owns all domain state (store, ledger, ingest) on the
// thread that calls run(); the MQTT session's callbacks only push into its LoopQueue
// (docs/architecture.md "Threads").
//
// Subscribes once (the session renews it on every connection) to every station's events of the
// site through the shared subscription $share/central/returns/v1/<site>/+/evt/# (QoS 1), so
// several central instances can share the load (or returns/v1/<site>/+/evt/# when
// [broker] shared_subscription = false), and to lookups on $share/central/…/+/req/lookup. On
// each connection: publish the retained central status "online" (will: "offline") and every open
// RMA retained. On each batch of events: ingest them in one transaction, then send one ack per station
// for the batch, then republish the returns whose state changed. An ack that cannot be sent (broker
// gone) is dropped: the event stays in the station's outbox, comes again, and is acked as a
// duplicate.
//
// Thread contract: run() is thread-bound to its caller; requestStop() is thread-safe.
class Service
{
public:
    Service(Config config, Store& store);
    ~Service();
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    // Thread-safe.
    void requestStop(std::string why);

    // Blocks until requestStop(). A broker that cannot be reached is retried (logged), never
    // fatal; an error is returned only when the session cannot be set up at all.
    Result<void> run();

private:
    void onConnection(const ConnectionChanged& change);
    // Retained returns/v1/<site>/central/status; a new session id on every connection.
    void publishStatus(bool online);
    // A station's lookup (returns/v1/<site>/<station>/req/lookup): answered on its response topic.
    void answer(const MessageArrived& message);
    // One transaction for the loop's whole batch of events (group commit).
    void ingest(const std::vector<Ingest::IncomingMessage>& messages, std::vector<IngestResult>& results);
    void log(const IngestResult& result);
    void acknowledge(const std::vector<IngestResult>& results);
    void republish(const std::vector<IngestResult>& results);
    Result<int> publish(const std::string& topic, const std::string& payload, int qos, bool retain);

    Config config_;
    Store& store_;
    Ledger ledger_;
    Ingest ingest_;
    Publisher publisher_;
    LoopQueue queue_;
    std::unique_ptr<sync::MqttSession> session_;
    // The returns desk and its HTTP API ([http]); started by run() once the session exists.
    std::unique_ptr<DeskRuntime> desk_;
    // Refunds, stock movements and customer messages ([returns.refunds|stock|messages]).
    std::unique_ptr<Outcomes> outcomes_;
    std::string statusSession_;
};

} // namespace retour::central
