#pragma once

#include "ledger/error.h"
#include "ledger/ledger.h"
#include "storage/order_store.h"
#include "storage/store.h"

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace retour::central {

// What became of one station message.
struct IngestResult
{
    enum class Outcome
    {
        Stored,       // new event, persisted with its effect on the ledger: acknowledge it
        Duplicate,    // event_id already held: acknowledge it again, change nothing
        DeadLettered, // refused (reason), kept in dead_letters; never acknowledged
    };
    Outcome outcome = Outcome::DeadLettered;
    std::string site, station; // from the topic (empty when the topic was not an event topic)
    std::string eventId;
    std::string reason;                      // DeadLettered: why
    std::vector<std::string> changedReturns; // returns whose state changed (to republish)

    bool acknowledge() const { return outcome != Outcome::DeadLettered; }
};

// Station events into the ledger (docs/architecture.md "Contract over MQTT", docs/messages.md): validate →
// dedupe by event_id → persist the raw event and its effect in one transaction (one per message,
// or one per batch with handleBatch) → say what to ack.
// Free of MQTT: it takes (topic, payload) and returns the outcome, so it is tested on a real
// SQLite file without a broker.
//
// Refused (dead letter, not an error): a topic that is not an event topic of this site, a body
// that is not a valid envelope (malformed JSON, unknown schema or version), a body whose site,
// station or type disagrees with its topic, a data body missing what central needs, an
// inspection_id already booked by another event. An Error is returned only when the store fails;
// then nothing was written and nothing may be acknowledged (the station sends again).
//
// Thread contract: thread-bound (the thread of its Store).
class Ingest
{
public:
    Ingest(std::string site, Store& store, Ledger& ledger)
        : site_(std::move(site)), store_(store), ledger_(ledger)
    {}

    // Where a pre-printed label a bench scanned without knowing its return leads
    // (Desk::preprintedFor): the return issued with that number, a new one for the order it names
    // (no rmaId yet), or nothing (then the parcel is unannounced). Called inside the event's
    // transaction: it may read, not write.
    using PreprintedLookup = std::function<Result<std::optional<Return>>(std::string_view label)>;
    void setPreprintedLookup(PreprintedLookup lookup) { preprinted_ = std::move(lookup); }

    // What the catalogue and the orders shipped say about an item inspected in an unannounced
    // parcel: its catalogue entry (by the SKU the bench named, else by its GTIN of any length)
    // and the order that shipped its serial. Then the item is booked under that SKU, category and
    // price (so it is stocked and valued) and the return is attributed to that order and its
    // customer. Called inside the event's transaction: it may read, not write.
    struct KnownItem
    {
        std::optional<CatalogueItem> item;
        std::optional<OrderStore::ShippedSerial> shipped;
    };
    using ItemLookup = std::function<Result<KnownItem>(const Inspection& inspection)>;
    void setItemLookup(ItemLookup lookup) { items_ = std::move(lookup); }

    // One message in its own transaction.
    Result<IngestResult> handle(std::string_view topic, std::string_view payload,
                                std::string_view receivedAt);

    struct IncomingMessage
    {
        std::string topic;
        std::string payload;
    };
    // Several messages in ONE transaction (group commit), results in order. An Error (store
    // failure) means the whole batch was rolled back: nothing may be acknowledged.
    Result<std::vector<IngestResult>> handleBatch(std::span<const IncomingMessage> messages,
                                                  std::string_view receivedAt);

private:
    // Validate, dedupe, persist: runs inside the caller's transaction.
    Result<IngestResult> process(std::string_view topic, std::string_view payload,
                                 std::string_view receivedAt);
    Result<IngestResult> deadLetter(IngestResult result, std::string_view topic, std::string_view payload,
                                    std::string_view receivedAt);

    std::string site_;
    Store& store_;
    Ledger& ledger_;
    PreprintedLookup preprinted_;
    ItemLookup items_;
};

// Ingest::ItemLookup from the catalogue and orders: the catalogue item of the SKU the bench named,
// else of its GTIN (any length, as GTIN-14); the order that shipped its serial.
//
// Thread contract: thread-bound (the thread of `orders`).
Result<Ingest::KnownItem> lookUpItem(OrderStore& orders, const Inspection& inspection);

// One acknowledgement message for a station: topics::ack and encodeAck of its event ids.
struct AckMessage
{
    std::string topic;
    std::string payload;
    std::vector<std::string> eventIds;
};

// At most this many event ids per ack message: 1000 ids are about 40 KB, well under the
// decoders' kMaxPayloadBytes.
inline constexpr std::size_t kMaxAckIds = 1000;

// Group the acknowledgeable results by station (first-seen order; each event id once per message;
// a station with more than kMaxAckIds gets several messages). Pure.
std::vector<AckMessage> batchAcks(std::span<const IngestResult> results);

} // namespace retour::central
