// The returns ledger's state rules (DESIGN.md "central returns service").
#include "retour/central/ledger.h"

#include "try.h"

namespace retour::central {

bool Ledger::isForward(ReturnState from, ReturnState to)
{
    return static_cast<int>(to) > static_cast<int>(from);
}

Result<bool> Ledger::authorise(Return ret, const Audit& audit)
{
    CENTRAL_TRY_ASSIGN(existing, store_.findReturn(ret.rmaId));
    if (existing) {
        return false;
    }
    ret.state = ReturnState::Authorised;
    ret.createdAt = audit.at;
    ret.updatedAt = audit.at;
    if (ret.labelBarcode.empty()) {
        ret.labelBarcode = ret.rmaId;
    }
    CENTRAL_TRY(store_.insertReturn(ret));
    CENTRAL_TRY(store_.recordTransition(Transition{ret.rmaId, std::nullopt, ReturnState::Authorised,
                                                   audit.actor, audit.reason, audit.at, audit.eventId}));
    return true;
}

Result<std::string> Ledger::unannouncedId(std::string_view parcelId)
{
    // A UUIDv7's first 18 characters are its 48-bit millisecond time, the version and 12 bits of
    // sub-millisecond time: short enough to read out, and unique in practice. On a clash (two
    // stations in the same instant) the whole parcel id is used.
    std::string id = "U-" + std::string(parcelId.substr(0, 18));
    CENTRAL_TRY_ASSIGN(clash, store_.findReturn(id));
    if (clash) {
        id = "U-" + std::string(parcelId);
    }
    return id;
}

Result<std::string> Ledger::openUnannounced(std::optional<std::string_view> rmaId, std::string_view parcelId,
                                            const Audit& audit)
{
    std::string id;
    if (rmaId) {
        id = std::string(*rmaId);
    } else {
        CENTRAL_TRY_ASSIGN(assigned, unannouncedId(parcelId));
        id = std::move(assigned);
    }
    Return ret;
    ret.rmaId = id;
    ret.channel = "unannounced";
    ret.state = ReturnState::Received;
    ret.labelBarcode = id;
    ret.createdAt = audit.at;
    ret.updatedAt = audit.at;
    CENTRAL_TRY(store_.insertReturn(ret));
    CENTRAL_TRY(store_.recordTransition(Transition{id, std::nullopt, ReturnState::Received, audit.actor,
                                                   audit.reason, audit.at, audit.eventId}));
    return id;
}

Result<bool> Ledger::advance(std::string_view rmaId, ReturnState to, const Audit& audit)
{
    CENTRAL_TRY_ASSIGN(ret, store_.findReturn(rmaId));
    if (!ret) {
        return fail(ErrorCode::NotFound, "no return " + std::string(rmaId));
    }
    if (!isForward(ret->state, to)) {
        return false;
    }
    CENTRAL_TRY(store_.recordTransition(
        Transition{std::string(rmaId), ret->state, to, audit.actor, audit.reason, audit.at, audit.eventId}));
    return true;
}

} // namespace retour::central
