// Station events into the ledger: validate, dedupe, persist with their effect, acknowledge.
#include "ledger/ingest.h"

#include "ledger/event_data.h"
#include "ledger/try.h"
#include "retour/contract/message.h"

#include <algorithm>
#include <set>
#include <spdlog/spdlog.h>

namespace retour::central {

namespace {

std::string stationActor(std::string_view station)
{
    return "station:" + std::string(station);
}

// The effect of one event on the ledger. Runs inside the event's transaction.
class Effect
{
public:
    Effect(Store& store, Ledger& ledger, const sync::Envelope& envelope, std::string_view receivedAt,
           const Ingest::PreprintedLookup& preprinted, const Ingest::ItemLookup& items)
        : store_(store), ledger_(ledger), envelope_(envelope), receivedAt_(receivedAt),
          preprinted_(preprinted), items_(items)
    {}

    std::vector<std::string> changed;

    Result<void> parcelReceived(const ParcelReceived& parcel)
    {
        CENTRAL_TRY_ASSIGN(bench, preprintedReturn(parcel));
        CENTRAL_TRY_ASSIGN(rmaId, bench ? Result<std::string>(*bench)
                                        : returnFor(parcel.rmaId, parcel.parcelId,
                                                    "parcel " + parcel.parcelId + " received"));
        CENTRAL_TRY(store_.addParcel(rmaId, parcel.parcelId, envelope_.station, receivedAt_));
        std::string reason = "parcel " + parcel.parcelId + " received";
        if (parcel.identifiedBy) {
            reason += ", identified by " + *parcel.identifiedBy;
        }
        if (parcel.scanned) {
            reason += " (" + *parcel.scanned + ")";
        }
        if (parcel.operatorId) {
            reason += ", operator " + *parcel.operatorId;
        }
        CENTRAL_TRY_ASSIGN(moved, ledger_.advance(rmaId, ReturnState::Received, audit(std::move(reason))));
        if (moved) {
            changed.push_back(rmaId);
        }
        return {};
    }

    Result<void> inspectionCompleted(Inspection inspection)
    {
        CENTRAL_TRY_ASSIGN(
            rmaId, returnFor(inspection.reportedRma, inspection.parcelId,
                             "inspection " + inspection.inspectionId + " of parcel " + inspection.parcelId));
        CENTRAL_TRY(store_.addParcel(rmaId, inspection.parcelId, envelope_.station, receivedAt_));
        CENTRAL_TRY_ASSIGN(ret, store_.findReturn(rmaId));
        if (!ret) {
            return fail(ErrorCode::NotFound, "return " + rmaId + " vanished");
        }
        // The bench did not know the return's lines (a pre-printed label it had no RMA for):
        // the item counts against a line of its SKU or GTIN that still expects one.
        if (ret->channel != "unannounced" && !hasLine(*ret, inspection.lineId) &&
            (inspection.sku || inspection.gtin)) {
            CENTRAL_TRY_ASSIGN(before, store_.inspections(rmaId));
            for (const ReturnLine& line : ret->lines) {
                const auto seen = std::count_if(before.begin(), before.end(),
                                                [&](const Inspection& i) { return i.lineId == line.lineId; });
                const bool same = (inspection.sku && line.sku == *inspection.sku) ||
                                  (inspection.gtin && line.gtin && *line.gtin == *inspection.gtin);
                if (same && seen < line.quantity) {
                    inspection.lineId = line.lineId;
                    break;
                }
            }
        }
        // An unannounced return has no expected lines: each inspected item becomes one.
        if (ret->channel == "unannounced" && !hasLine(*ret, inspection.lineId)) {
            CENTRAL_TRY_ASSIGN(known, items_ ? items_(inspection) : Result<Ingest::KnownItem>());
            CENTRAL_TRY(identify(rmaId, *ret, inspection, known));
            ReturnLine line;
            line.lineId = inspection.lineId.value_or(inspection.inspectionId);
            line.sku = inspection.sku.value_or("");
            line.gtin = inspection.gtin;
            line.description = inspection.description.value_or("");
            line.category = inspection.category.value_or("generic");
            line.quantity = 1;
            if (known.item) {
                line.unitPrice = known.item->price;
                line.expectedWeightG = known.item->expectedWeightG;
            }
            if (known.shipped) {
                for (const OrderLine& shipped : known.shipped->order.lines) {
                    if (shipped.lineId == known.shipped->lineId) {
                        line.unitPrice = shipped.unitPrice; // what the customer paid
                    }
                }
            }
            if (inspection.serial) {
                line.serials.push_back(*inspection.serial);
            }
            inspection.lineId = line.lineId;
            CENTRAL_TRY(store_.addLine(rmaId, line));
            ret->lines.push_back(std::move(line));
        }
        inspection.rmaId = rmaId;
        inspection.eventId = envelope_.eventId;
        inspection.station = envelope_.station;
        CENTRAL_TRY(store_.insertInspection(inspection));

        CENTRAL_TRY_ASSIGN(all, store_.inspections(rmaId));
        if (everyLineInspected(*ret, all)) {
            CENTRAL_TRY_ASSIGN(moved,
                               ledger_.advance(rmaId, ReturnState::Inspected,
                                               audit("every line inspected (last: inspection " +
                                                     inspection.inspectionId + ", grade " + inspection.grade +
                                                     ", " + inspection.dispositionCode + ")")));
            if (moved) {
                changed.push_back(rmaId);
            }
            return {};
        }
        // The parcel was closed before this inspection arrived (events of several parcels).
        return inspectedIfClosed(rmaId, all);
    }

    // The operator closed the parcel: its missing lines and extra items become findings on the
    // return, and once every item found in it is inspected the return is inspected, short of the
    // missing lines, instead of waiting for items that never came.
    Result<void> parcelClosed(const ParcelClosed& closed)
    {
        CENTRAL_TRY_ASSIGN(rmaId,
                           returnFor(closed.rmaId, closed.parcelId, "parcel " + closed.parcelId + " closed"));
        CENTRAL_TRY(store_.addParcel(rmaId, closed.parcelId, envelope_.station, receivedAt_));
        const auto finding = [&](std::string kind) {
            ReturnFinding f;
            f.rmaId = rmaId;
            f.parcelId = closed.parcelId;
            f.finding = std::move(kind);
            f.eventId = envelope_.eventId;
            f.at = std::string(receivedAt_);
            return f;
        };
        for (const ParcelClosed::Line& line : closed.missing) {
            ReturnFinding f = finding("missing_item");
            f.lineId = line.lineId;
            f.sku = line.sku;
            f.quantity = line.quantity;
            CENTRAL_TRY(store_.addReturnFinding(f));
        }
        for (const ParcelClosed::Item& item : closed.extra) {
            ReturnFinding f = finding("extra_item");
            f.sku = item.sku;
            f.inspectionId = item.inspectionId;
            CENTRAL_TRY(store_.addReturnFinding(f));
        }
        ParcelClosure closure{closed.parcelId,   rmaId,           envelope_.station,
                              envelope_.eventId, closed.closedAt, {}};
        for (const ParcelClosed::Item& item : closed.found) {
            closure.foundInspectionIds.push_back(item.inspectionId);
        }
        CENTRAL_TRY(store_.recordParcelClosure(closure));
        CENTRAL_TRY_ASSIGN(all, store_.inspections(rmaId));
        return inspectedIfClosed(rmaId, all);
    }

private:
    // An unannounced item central knows: booked under the catalogue's SKU, category and
    // description where the bench named none, and the return attributed to the order that shipped
    // its serial (its customer gets the messages; the refund policy decides about paying).
    Result<void> identify(const std::string& rmaId, Return& ret, Inspection& inspection,
                          const Ingest::KnownItem& known)
    {
        if (known.item) {
            if (!inspection.sku || inspection.sku->empty()) {
                inspection.sku = known.item->sku;
            }
            if (!inspection.category) {
                inspection.category = known.item->category;
            }
            if (!inspection.description || inspection.description->empty()) {
                inspection.description = known.item->description;
            }
        } else if ((!inspection.sku || inspection.sku->empty()) && known.shipped) {
            for (const OrderLine& line : known.shipped->order.lines) {
                if (line.lineId == known.shipped->lineId) {
                    inspection.sku = line.sku;
                }
            }
        }
        if (!known.shipped || ret.orderId) {
            return {};
        }
        const Order& order = known.shipped->order;
        CENTRAL_TRY(store_.attachOrder(rmaId, order.orderId, order.email));
        ret.orderId = order.orderId;
        ret.customer = ret.customer.value_or(order.email);
        spdlog::info("unannounced return {}: serial {} was shipped on order {} (line {})", rmaId,
                     inspection.serial.value_or(""), order.orderId, known.shipped->lineId);
        return {};
    }

    // A parcel a bench identified by a pre-printed label it had no RMA for: the return issued
    // with that number (requested → received: the label is activated by its parcel), or a new
    // pre-printed return for the order the label names. Nothing when the label leads nowhere (or
    // the parcel is booked already): the parcel is then handled as any other.
    Result<std::optional<std::string>> preprintedReturn(const ParcelReceived& parcel)
    {
        if (parcel.rmaId || !parcel.label || parcel.channel.value_or("") != "preprinted" || !preprinted_) {
            return std::optional<std::string>();
        }
        CENTRAL_TRY_ASSIGN(byParcel, store_.findReturnByParcel(parcel.parcelId));
        if (byParcel) {
            return std::optional<std::string>();
        }
        CENTRAL_TRY_ASSIGN(found, preprinted_(*parcel.label));
        if (!found) {
            return std::optional<std::string>();
        }
        if (!found->rmaId.empty()) {
            return std::optional<std::string>(found->rmaId);
        }
        const std::string reason = "parcel " + parcel.parcelId +
                                   " opened at the bench from pre-printed label \"" + *parcel.label +
                                   "\" of order " + found->orderId.value_or("?");
        CENTRAL_TRY_ASSIGN(created,
                           ledger_.openPreprinted(std::move(*found), parcel.parcelId, audit(reason)));
        changed.push_back(created);
        return std::optional<std::string>(created);
    }

    Audit audit(std::string reason) const
    {
        return Audit{stationActor(envelope_.station), std::move(reason), std::string(receivedAt_),
                     envelope_.eventId};
    }

    // The ledger's return for a parcel: the reported RMA when central knows it; else the return
    // that already holds the parcel; else a new unannounced return.
    Result<std::string> returnFor(const std::optional<std::string>& reportedRma, const std::string& parcelId,
                                  const std::string& what)
    {
        if (reportedRma) {
            CENTRAL_TRY_ASSIGN(known, store_.findReturn(*reportedRma));
            if (known) {
                return *reportedRma;
            }
        }
        CENTRAL_TRY_ASSIGN(byParcel, store_.findReturnByParcel(parcelId));
        if (byParcel) {
            return *byParcel;
        }
        const std::string reason = reportedRma
                                       ? what + " for RMA " + *reportedRma + ", which central never issued"
                                       : what + ", unannounced";
        std::optional<std::string_view> id;
        if (reportedRma) {
            id = *reportedRma;
        }
        CENTRAL_TRY_ASSIGN(created, ledger_.openUnannounced(id, parcelId, audit(reason)));
        changed.push_back(created);
        return created;
    }

    // A closed parcel whose found items all have their inspection moves the return to inspected
    // (Ledger::advance: nothing when it is already there or beyond), naming what was missing.
    Result<void> inspectedIfClosed(const std::string& rmaId, const std::vector<Inspection>& inspections)
    {
        CENTRAL_TRY_ASSIGN(closures, store_.parcelClosures(rmaId));
        std::set<std::string, std::less<>> inspected;
        for (const Inspection& inspection : inspections) {
            inspected.insert(inspection.inspectionId);
        }
        for (const ParcelClosure& closure : closures) {
            if (!std::ranges::all_of(closure.foundInspectionIds,
                                     [&](const std::string& id) { return inspected.contains(id); })) {
                continue;
            }
            std::string missing;
            CENTRAL_TRY_ASSIGN(findings, store_.returnFindings(rmaId));
            for (const ReturnFinding& f : findings) {
                if (f.finding == "missing_item" && f.parcelId == closure.parcelId) {
                    missing += (missing.empty() ? "" : ", ") + std::to_string(f.quantity) + " x " +
                               f.sku.value_or("?") + (f.lineId ? " (line " + *f.lineId + ")" : "");
                }
            }
            CENTRAL_TRY_ASSIGN(moved,
                               ledger_.advance(rmaId, ReturnState::Inspected,
                                               audit("parcel " + closure.parcelId + " closed, " +
                                                     std::to_string(closure.foundInspectionIds.size()) +
                                                     " item(s) found and inspected" +
                                                     (missing.empty() ? "" : "; missing: " + missing))));
            if (moved) {
                changed.push_back(rmaId);
            }
            return {};
        }
        return {};
    }

    static bool hasLine(const Return& ret, const std::optional<std::string>& lineId)
    {
        if (!lineId) {
            return false;
        }
        for (const ReturnLine& line : ret.lines) {
            if (line.lineId == *lineId) {
                return true;
            }
        }
        return false;
    }

    // Every line has as many inspections as its quantity (inspection.completed is one per item).
    static bool everyLineInspected(const Return& ret, const std::vector<Inspection>& inspections)
    {
        if (ret.lines.empty()) {
            return false;
        }
        for (const ReturnLine& line : ret.lines) {
            std::int64_t count = 0;
            for (const Inspection& inspection : inspections) {
                count += inspection.lineId == line.lineId ? 1 : 0;
            }
            if (count < line.quantity) {
                return false;
            }
        }
        return true;
    }

    Store& store_;
    Ledger& ledger_;
    const sync::Envelope& envelope_;
    std::string_view receivedAt_;
    const Ingest::PreprintedLookup& preprinted_;
    const Ingest::ItemLookup& items_;
};

} // namespace

Result<IngestResult> Ingest::deadLetter(IngestResult result, std::string_view topic, std::string_view payload,
                                        std::string_view receivedAt)
{
    result.outcome = IngestResult::Outcome::DeadLettered;
    // An oversized body is kept only in part: enough to see what it was, and a flood of them
    // cannot fill central's disk.
    constexpr std::size_t kKeptOfOversized = 4096;
    const std::string_view kept =
        payload.size() > sync::kMaxPayloadBytes ? payload.substr(0, kKeptOfOversized) : payload;
    const DeadLetter letter{std::string(topic), std::string(kept), result.reason, std::string(receivedAt), 1};
    CENTRAL_TRY(store_.recordDeadLetter(letter));
    spdlog::warn("dead letter on {}: {}", topic, result.reason);
    return result;
}

Result<IngestResult> Ingest::handle(std::string_view topic, std::string_view payload,
                                    std::string_view receivedAt)
{
    Result<IngestResult> result;
    CENTRAL_TRY(store_.transaction([&]() -> Result<void> {
        result = process(topic, payload, receivedAt);
        if (!result) {
            return std::unexpected(result.error());
        }
        return {};
    }));
    return result;
}

Result<std::vector<IngestResult>> Ingest::handleBatch(std::span<const IncomingMessage> messages,
                                                      std::string_view receivedAt)
{
    std::vector<IngestResult> results;
    results.reserve(messages.size());
    // Group commit: one durable commit for the whole batch instead of one per event, which is
    // what bounds a backlog drain (one fsync each); a store failure rolls back the batch and
    // acknowledges none of it, so its stations send it again.
    CENTRAL_TRY(store_.transaction([&]() -> Result<void> {
        for (const IncomingMessage& message : messages) {
            CENTRAL_TRY_ASSIGN(result, process(message.topic, message.payload, receivedAt));
            results.push_back(std::move(result));
        }
        return {};
    }));
    return results;
}

Result<IngestResult> Ingest::process(std::string_view topic, std::string_view payload,
                                     std::string_view receivedAt)
{
    IngestResult result;
    sync::topics::EventTopic parts;
    if (!sync::topics::parseEventTopic(topic, parts)) {
        result.reason = "topic is not returns/v1/<site>/<station>/evt/<type>";
        return deadLetter(std::move(result), topic, payload, receivedAt);
    }
    result.site = parts.site;
    result.station = parts.station;
    if (parts.site != site_) {
        result.reason = "topic site \"" + parts.site + "\" is not this service's site \"" + site_ + "\"";
        return deadLetter(std::move(result), topic, payload, receivedAt);
    }

    // The whole body against its schema (docs/schemas/<type>.json): what the contract refuses is
    // dead-lettered, never stored.
    auto event = sync::decodeEvent(payload);
    if (!event) {
        result.reason = event.error().message;
        return deadLetter(std::move(result), topic, payload, receivedAt);
    }
    const sync::Envelope* envelope = &event->envelope;
    result.eventId = envelope->eventId;
    // A station may speak only for itself: its broker account can write only under its own
    // topic, so a body naming another station or site is refused (docs/architecture.md "Contract over MQTT").
    if (auto agrees = sync::checkEventTopic(*envelope, topic); !agrees) {
        result.reason = agrees.error().message;
        return deadLetter(std::move(result), topic, payload, receivedAt);
    }

    CENTRAL_TRY_ASSIGN(seen, store_.hasEvent(envelope->eventId));
    if (seen) {
        result.outcome = IngestResult::Outcome::Duplicate;
        return result;
    }

    // The data central acts on, before opening the transaction: a bad body is refused whole,
    // never half-applied.
    std::optional<ParcelReceived> parcel;
    std::optional<Inspection> inspection;
    std::optional<ParcelClosed> closed;
    if (const auto* closing = std::get_if<sync::ParcelClosed>(&event->data)) {
        closed = toParcelClosed(*closing);
    } else if (const auto* receiving = std::get_if<sync::ParcelReceived>(&event->data)) {
        parcel = toParcelReceived(*receiving);
    } else if (const auto* inspected = std::get_if<sync::InspectionCompleted>(&event->data)) {
        CENTRAL_TRY_ASSIGN(booked, store_.hasInspection(inspected->inspectionId));
        if (booked) {
            result.reason = "inspection.completed: inspection_id " + inspected->inspectionId +
                            " is already booked by another event";
            return deadLetter(std::move(result), topic, payload, receivedAt);
        }
        inspection = toInspection(*inspected);
    }

    const StoredEvent row{envelope->eventId,    envelope->site,          envelope->station,
                          envelope->stationSeq, envelope->type,          envelope->version,
                          envelope->occurredAt, std::string(receivedAt), std::string(topic),
                          std::string(payload)};
    Effect effect(store_, ledger_, *envelope, receivedAt, preprinted_, items_);
    CENTRAL_TRY(store_.insertEvent(row));
    if (parcel) {
        CENTRAL_TRY(effect.parcelReceived(*parcel));
    } else if (inspection) {
        CENTRAL_TRY(effect.inspectionCompleted(std::move(*inspection)));
    } else if (closed) {
        CENTRAL_TRY(effect.parcelClosed(*closed));
    }
    // label.printed, restock.completed: held, no ledger effect yet
    result.outcome = IngestResult::Outcome::Stored;
    result.changedReturns = std::move(effect.changed);
    return result;
}

std::vector<AckMessage> batchAcks(std::span<const IngestResult> results)
{
    std::vector<AckMessage> out;
    std::vector<std::set<std::string>> seen;
    for (const IngestResult& result : results) {
        if (!result.acknowledge()) {
            continue;
        }
        const std::string topic = sync::topics::ack(result.site, result.station);
        // The last message for this station, unless it is full.
        auto it =
            std::find_if(out.rbegin(), out.rend(), [&](const AckMessage& m) { return m.topic == topic; });
        if (it == out.rend() || it->eventIds.size() >= kMaxAckIds) {
            out.push_back(AckMessage{topic, {}, {}});
            seen.emplace_back();
            it = out.rbegin();
        }
        auto& ids = seen[static_cast<std::size_t>(out.rend() - it - 1)];
        if (ids.insert(result.eventId).second) {
            it->eventIds.push_back(result.eventId);
        }
    }
    for (AckMessage& message : out) {
        message.payload = sync::encodeAck(message.eventIds);
    }
    return out;
}

Result<Ingest::KnownItem> lookUpItem(OrderStore& orders, const Inspection& inspection)
{
    Ingest::KnownItem known;
    if (inspection.sku && !inspection.sku->empty()) {
        CENTRAL_TRY_ASSIGN(bySku, orders.catalogueItem(*inspection.sku));
        known.item = std::move(bySku);
    }
    if (!known.item && inspection.gtin) {
        CENTRAL_TRY_ASSIGN(byGtin, orders.catalogueItemByGtin(*inspection.gtin));
        known.item = std::move(byGtin);
    }
    if (inspection.serial && !inspection.serial->empty()) {
        CENTRAL_TRY_ASSIGN(shipped, orders.orderShippingSerial(*inspection.serial));
        known.shipped = std::move(shipped);
    }
    return known;
}

} // namespace retour::central
