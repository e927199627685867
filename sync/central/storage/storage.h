#pragma once

#include "ledger/error.h"
#include "storage/delivery_store.h"
#include "storage/location.h"
#include "storage/message_store.h"
#include "storage/order_store.h"
#include "storage/refund_store.h"
#include "storage/report_store.h"
#include "storage/stock_store.h"
#include "storage/store.h"

#include <functional>
#include <memory>

namespace retour::central {

// One connection to central's database and the stores on it. transaction() spans every store of
// this Storage, so what must commit together (a refund and its delivery) is written through one
// Storage; each store's own transaction() is this one.
//
// Thread contract: thread-bound. Several Storages (threads, processes) may share one database.
class Storage
{
public:
    virtual ~Storage() = default;

    // Run `body` in one transaction: committed (durably, before this returns) when it succeeds,
    // rolled back when it fails, and its error returned. Not reentrant.
    virtual Result<void> transaction(const std::function<Result<void>()>& body) = 0;

    virtual Store& ledger() = 0;
    virtual OrderStore& orders() = 0;
    virtual DeliveryStore& deliveries() = 0;
    virtual RefundStore& refunds() = 0;
    virtual StockStore& stock() = 0;
    virtual MessageStore& messages() = 0;
    virtual ReportStore& reports() = 0;
};

// Open `location` with its backend. NotFound when a ReadOnly database does not exist; Database
// when it cannot be opened, is not migrated (ReadOnly, Attached) or is newer than this program.
Result<std::unique_ptr<Storage>> openStorage(const StorageLocation& location, OpenMode mode);

// The schema version this program's migrations reach on `backend`.
int latestSchemaVersion(StorageBackend backend);

} // namespace retour::central
