// The returns ledger's state rules (docs/architecture.md "What it is for").
#include "ledger/ledger.h"

#include "ledger/try.h"

namespace retour::central {

namespace {

using enum ReturnState;

struct Edge
{
    ReturnState from;
    ReturnState to;
};

// See ledger.h for the picture.
constexpr Edge kAllowed[] = {
    {Requested, Authorised},
    {Requested, Rejected},
    {Requested, Cancelled},
    {Requested, Expired},
    {Requested, Received},
    {Authorised, InTransit},
    {Authorised, Received},
    {Authorised, Refunded},
    {Authorised, Cancelled},
    {Authorised, Expired},
    {InTransit, Received},
    {InTransit, Expired},
    {Received, Inspected},
    {Received, Refunded},
    {Received, PartiallyRefunded},
    {Received, Rejected},
    {Received, Exchanged},
    {Inspected, Refunded},
    {Inspected, PartiallyRefunded},
    {Inspected, Rejected},
    {Inspected, Exchanged},
    {PartiallyRefunded, Refunded},
    {PartiallyRefunded, Closed},
    {Refunded, Closed},
    {Rejected, Closed},
    {Exchanged, Closed},
    {Rejected, Authorised},
    {Cancelled, Received},
    {Expired, Received},
};

// Position along requested → … → closed; cancelled and expired stand beside it.
int rank(ReturnState state)
{
    switch (state) {
    case Requested:
        return 0;
    case Authorised:
        return 1;
    case InTransit:
        return 2;
    case Received:
        return 3;
    case Inspected:
        return 4;
    case Refunded:
    case PartiallyRefunded:
    case Rejected:
    case Exchanged:
        return 5;
    case Closed:
        return 6;
    case Cancelled:
    case Expired:
        return 1;
    }
    return 0;
}

} // namespace

bool Ledger::allowed(ReturnState from, ReturnState to)
{
    for (const Edge& edge : kAllowed) {
        if (edge.from == from && edge.to == to) {
            return true;
        }
    }
    return false;
}

Result<void> Ledger::check(std::string_view rmaId, ReturnState from, ReturnState to)
{
    if (allowed(from, to)) {
        return {};
    }
    return fail(ErrorCode::Invalid, "return " + std::string(rmaId) + " cannot move from " +
                                        std::string(toString(from)) + " to " + std::string(toString(to)));
}

bool Ledger::isForward(ReturnState from, ReturnState to)
{
    return rank(to) > rank(from);
}

bool Ledger::isSettled(ReturnState state)
{
    return state == Closed || state == Cancelled || state == Expired;
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

Result<std::string> Ledger::benchId(std::string_view prefix, std::string_view parcelId)
{
    // A UUIDv7's first 18 characters are its 48-bit millisecond time, the version and 12 bits of
    // sub-millisecond time: short enough to read out, and unique in practice. On a clash (two
    // stations in the same instant) the whole parcel id is used.
    std::string id = std::string(prefix) + std::string(parcelId.substr(0, 18));
    CENTRAL_TRY_ASSIGN(clash, store_.findReturn(id));
    if (clash) {
        id = std::string(prefix) + std::string(parcelId);
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
        CENTRAL_TRY_ASSIGN(assigned, benchId("U-", parcelId));
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

Result<std::string> Ledger::openPreprinted(Return ret, std::string_view parcelId, const Audit& audit)
{
    if (ret.rmaId.empty()) {
        CENTRAL_TRY_ASSIGN(assigned, benchId("P-", parcelId));
        ret.rmaId = std::move(assigned);
    }
    ret.channel = "preprinted";
    ret.state = Received;
    const std::string id = ret.rmaId;
    CENTRAL_TRY(create(std::move(ret), audit));
    return id;
}

Result<void> Ledger::create(Return ret, const Audit& audit)
{
    if (ret.state != Requested && ret.state != Authorised && ret.state != Rejected && ret.state != Received) {
        return fail(ErrorCode::Invalid,
                    "return " + ret.rmaId + " cannot begin in state " + std::string(toString(ret.state)));
    }
    CENTRAL_TRY_ASSIGN(existing, store_.findReturn(ret.rmaId));
    if (existing) {
        return fail(ErrorCode::Invalid, "return " + ret.rmaId + " exists already");
    }
    ret.createdAt = audit.at;
    ret.updatedAt = audit.at;
    if (ret.labelBarcode.empty()) {
        ret.labelBarcode = ret.rmaId;
    }
    CENTRAL_TRY(store_.insertReturn(ret));
    return store_.recordTransition(
        Transition{ret.rmaId, std::nullopt, ret.state, audit.actor, audit.reason, audit.at, audit.eventId});
}

Result<ReturnState> Ledger::move(std::string_view rmaId, ReturnState to, const Audit& audit)
{
    CENTRAL_TRY_ASSIGN(ret, store_.findReturn(rmaId));
    if (!ret) {
        return fail(ErrorCode::NotFound, "no return " + std::string(rmaId));
    }
    CENTRAL_TRY(check(rmaId, ret->state, to));
    CENTRAL_TRY(store_.recordTransition(
        Transition{std::string(rmaId), ret->state, to, audit.actor, audit.reason, audit.at, audit.eventId}));
    return ret->state;
}

Result<bool> Ledger::advance(std::string_view rmaId, ReturnState to, const Audit& audit)
{
    CENTRAL_TRY_ASSIGN(ret, store_.findReturn(rmaId));
    if (!ret) {
        return fail(ErrorCode::NotFound, "no return " + std::string(rmaId));
    }
    const ReturnState from = ret->state;
    const auto record = [&](ReturnState a, ReturnState b, const std::string& why) {
        return store_.recordTransition(
            Transition{std::string(rmaId), a, b, audit.actor, why, audit.at, audit.eventId});
    };
    if (allowed(from, to)) {
        CENTRAL_TRY(record(from, to, audit.reason));
        return true;
    }
    if (to == Inspected && allowed(from, Received)) {
        CENTRAL_TRY(record(from, Received, "received (implied: " + audit.reason + ")"));
        CENTRAL_TRY(record(Received, Inspected, audit.reason));
        return true;
    }
    if (!isForward(from, to) || isSettled(from) || from == Rejected) {
        return false;
    }
    CENTRAL_TRY(check(rmaId, from, to));
    return false;
}

} // namespace retour::central
