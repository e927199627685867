#pragma once

#include "app/config.h"
#include "delivery/delivery.h"
#include "notify/templates.h"
#include "storage/store.h"

#include <string>
#include <vector>

namespace retour::base::sqlite {
class Database;
}

namespace retour::central {

namespace sqlite {
using Database = base::sqlite::Database;
}

// Customer confirmations (issue 7 "Customer messages"): one e-mail per return and stage —
// requested, authorised (with the label's barcode value), received, inspected (each item's grade
// and disposition, and for customer service the link to the inspection evidence), refunded (the
// amount) — to the address the return was asked with (return_contacts). It follows the ledger's
// audit rows since its last pass; (rma_id, stage) is UNIQUE, so a stage is told once however
// often the pass runs, and the message is queued (kind "message", transport smtp) in the same
// transaction. Returns without an address (seeded, unannounced) get none.
//
// Thread contract: thread-bound (the central loop).
class Messages
{
public:
    Messages(MessagesConfig config, std::vector<MessageTemplate> templates, std::string site, Store& store,
             sqlite::Database& db);

    // Messages queued in this pass.
    Result<std::int64_t> catchUp(std::string_view now);

private:
    Result<bool> queue(const std::string& rmaId, const std::string& stage, std::string_view now);
    Result<std::map<std::string, std::string>> values(const Return& ret, const std::string& stage);

    MessagesConfig config_;
    std::vector<MessageTemplate> templates_;
    std::string site_;
    Store& store_;
    sqlite::Database& db_;
    DeliveryStore outbox_;
    std::int64_t watermark_ = 0; // return_transitions.id
};

// The stage a ledger state tells the customer about ("" for none). Pure.
std::string_view stageOf(std::string_view state);

} // namespace retour::central
