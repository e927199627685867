#pragma once

#include "ledger/error.h"
#include "ledger/model.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::central {

// A change of the ledger (an audit row): its position among the changes (increasing) and the
// state the return moved to.
struct LedgerChange
{
    std::int64_t position = 0;
    std::string rmaId;
    std::string to;
};

// The ledger's storage: station events, dead letters, returns, their lines, parcels, transitions,
// inspections and parcel closures. Operations speak the ledger's vocabulary, never SQL; every one
// can fail with ErrorCode::Database. One of the stores of a Storage (storage.h).
//
// Thread contract: thread-bound. A Store is used by one thread (the central loop, or a CLI
// command); several Stores, in several processes, may share one database.
class Store
{
public:
    virtual ~Store() = default;

    // Its Storage's transaction: committed (durably, before this returns) when `body` succeeds,
    // rolled back when it fails, and its error returned. Not reentrant.
    virtual Result<void> transaction(const std::function<Result<void>()>& body) = 0;

    // Station events and dead letters.
    virtual Result<bool> hasEvent(std::string_view eventId) = 0;
    virtual Result<void> insertEvent(const StoredEvent& event) = 0;
    // `station` empty: every station.
    virtual Result<std::vector<StoredEvent>> events(std::string_view station) = 0;
    virtual Result<void> recordDeadLetter(const DeadLetter& letter) = 0;
    virtual Result<std::vector<DeadLetter>> deadLetters() = 0;
    virtual Result<std::int64_t> deadLetterCount() = 0;

    // Returns, their lines and parcels. insertReturn writes the lines too; the state change that
    // created the return is recorded separately with recordTransition.
    virtual Result<std::optional<Return>> findReturn(std::string_view rmaId) = 0;
    virtual Result<std::optional<std::string>> findReturnByParcel(std::string_view parcelId) = 0;
    virtual Result<void> insertReturn(const Return& ret) = 0;
    virtual Result<void> addLine(std::string_view rmaId, const ReturnLine& line) = 0;
    // The order (and its customer) a return turned out to belong to: an unannounced parcel whose
    // item carries a serial shipped on that order. Only fills what the return does not know yet.
    virtual Result<void> attachOrder(std::string_view rmaId, std::string_view orderId,
                                     std::string_view customer) = 0;
    // Idempotent: a parcel already on the return is left as it is.
    virtual Result<void> addParcel(std::string_view rmaId, std::string_view parcelId,
                                   std::string_view station, std::string_view at) = 0;
    // Sets the return's state and updated_at and writes the transition's audit row.
    virtual Result<void> recordTransition(const Transition& transition) = 0;
    virtual Result<std::vector<Transition>> transitions(std::string_view rmaId) = 0;
    // The changes after `position`, oldest first, at most `limit` (negative: all).
    virtual Result<std::vector<LedgerChange>> changesAfter(std::int64_t position, int limit) = 0;
    // Every return, oldest first.
    virtual Result<std::vector<Return>> returns() = 0;

    // Inspections.
    virtual Result<bool> hasInspection(std::string_view inspectionId) = 0;
    virtual Result<void> insertInspection(const Inspection& inspection) = 0;
    virtual Result<std::vector<Inspection>> inspections(std::string_view rmaId) = 0;

    // Parcels closed at a station (parcel.closed) and the findings they raised on their return.
    // recordParcelClosure is idempotent: a parcel already closed keeps its first closure.
    virtual Result<void> recordParcelClosure(const ParcelClosure& closure) = 0;
    virtual Result<std::vector<ParcelClosure>> parcelClosures(std::string_view rmaId) = 0;
    virtual Result<void> addReturnFinding(const ReturnFinding& finding) = 0;
    // Oldest first.
    virtual Result<std::vector<ReturnFinding>> returnFindings(std::string_view rmaId) = 0;
};

} // namespace retour::central
