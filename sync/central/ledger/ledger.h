#pragma once

#include "ledger/error.h"
#include "ledger/model.h"
#include "storage/store.h"

#include <optional>
#include <string>
#include <string_view>

namespace retour::central {

// Who changed the ledger, when and why; written as the audit row of each state change.
struct Audit
{
    std::string actor;  // "station:bench-01", "seed:rmas.toml", "operator:…"
    std::string reason; // why, in words
    std::string at;     // RFC 3339 UTC
    std::optional<std::string> eventId;
};

// The returns ledger's rules: how a return is created and how it moves through its states, each
// move audited (who, when, why). The allowed moves are one pure table (allowed()):
//
//   requested  → authorised | rejected | cancelled | expired | received
//   authorised → in_transit | received | refunded | cancelled | expired
//   in_transit → received | expired
//   received   → inspected | refunded | partially_refunded | rejected | exchanged
//   inspected  → refunded | partially_refunded | rejected | exchanged
//   partially_refunded → refunded | closed
//   refunded | rejected | exchanged → closed;  rejected → authorised (a reviewer's override)
//   cancelled | expired → received (the parcel came anyway); closed: final
//
// requested → received is a pre-printed label activated by its parcel; authorised → refunded is a
// keep-the-item refund (nothing is sent back); received → refunded etc. is a refund policy that
// pays on receipt. The caller owns the transaction
// (Store::transaction) so that a move and its cause commit together.
//
// Thread contract: thread-bound (the thread of its Store).
class Ledger
{
public:
    explicit Ledger(Store& store) : store_(store) {}

    // Add `ret` as an authorised return unless a return with its rma_id exists (then nothing
    // changes: seeding is idempotent). true when added.
    Result<bool> authorise(Return ret, const Audit& audit);

    // Add `ret` in its state (requested, authorised, rejected or received: the states a return
    // can begin in). Invalid for another state or an rma_id already held.
    Result<void> create(Return ret, const Audit& audit);

    // Open a return for a parcel that no RMA central knows announced: channel "unannounced",
    // state "received". `rmaId` is the id the station reported (an RMA central never issued) or
    // nothing, and then central assigns "U-<start of the parcel id>". Returns the return's id.
    Result<std::string> openUnannounced(std::optional<std::string_view> rmaId, std::string_view parcelId,
                                        const Audit& audit);

    // Open a return a bench created from a pre-printed label (Desk::preprintedFor): state
    // "received", id "P-<start of the parcel id>" unless `ret` has one. Returns the return's id.
    Result<std::string> openPreprinted(Return ret, std::string_view parcelId, const Audit& audit);

    // Move a return to `to`, which the table must allow from its state: otherwise Invalid, naming
    // both states. NotFound for an unknown return. Returns the state it left.
    Result<ReturnState> move(std::string_view rmaId, ReturnState to, const Audit& audit);

    // The stations' events: move a return to `to` when the table allows it; an event that comes
    // late or twice (its state is not ahead of the return's, or the return is settled) changes
    // nothing (false). An inspection of a parcel whose parcel.received never came moves the
    // return through received (two audit rows). Invalid for any other move.
    Result<bool> advance(std::string_view rmaId, ReturnState to, const Audit& audit);

    // The transition table. Pure.
    static bool allowed(ReturnState from, ReturnState to);
    // Nothing when allowed; otherwise the error naming both states. Pure.
    static Result<void> check(std::string_view rmaId, ReturnState from, ReturnState to);
    // `to` is further along requested → … → closed than `from`. Pure.
    static bool isForward(ReturnState from, ReturnState to);
    // No move leaves it except an arriving parcel (cancelled, expired) or none at all (closed).
    static bool isSettled(ReturnState state);

private:
    Result<std::string> benchId(std::string_view prefix, std::string_view parcelId);

    Store& store_;
};

} // namespace retour::central
