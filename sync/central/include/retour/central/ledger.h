#pragma once

#include "retour/central/error.h"
#include "retour/central/model.h"
#include "retour/central/store.h"

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

// The returns ledger's rules: how a return is created and how it moves through its states
// (authorised → received → inspected, forward only), each move audited. The caller owns the
// transaction (Store::transaction) so that a move and its cause commit together.
//
// Thread contract: thread-bound (the thread of its Store).
class Ledger
{
public:
    explicit Ledger(Store& store) : store_(store) {}

    // Add `ret` as an authorised return unless a return with its rma_id exists (then nothing
    // changes: seeding is idempotent). true when added.
    Result<bool> authorise(Return ret, const Audit& audit);

    // Open a return for a parcel that no RMA central knows announced: channel "unannounced",
    // state "received". `rmaId` is the id the station reported (an RMA central never issued) or
    // nothing, and then central assigns "U-<start of the parcel id>". Returns the return's id.
    Result<std::string> openUnannounced(std::optional<std::string_view> rmaId, std::string_view parcelId,
                                        const Audit& audit);

    // Move a return forward to `to`. Moving to its current or an earlier state changes nothing
    // (false): events can arrive late or twice. NotFound for an unknown return.
    Result<bool> advance(std::string_view rmaId, ReturnState to, const Audit& audit);

    static bool isForward(ReturnState from, ReturnState to);

private:
    Result<std::string> unannouncedId(std::string_view parcelId);

    Store& store_;
};

} // namespace retour::central
