#pragma once

#include "ledger/error.h"

#include <string>

namespace retour::central {

// A customer message as recorded (table customer_messages): which stage of which return was told
// to whom.
struct CustomerMessage
{
    std::string rmaId;
    std::string stage;
    std::string recipient;
    std::string subject;
    std::string createdAt;
};

// The customer messages' storage: a stage of a return is told once. Every operation can fail with
// ErrorCode::Database.
//
// Thread contract: thread-bound (its Storage's thread).
class MessageStore
{
public:
    virtual ~MessageStore() = default;

    // false (and nothing changed) when this stage of this return was recorded before.
    virtual Result<bool> record(const CustomerMessage& message) = 0;
};

} // namespace retour::central
