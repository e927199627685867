#pragma once

#include "workflow/records.h"

#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

namespace retour::station {

// What the workflow (workflow.h) asks for: messages for the operator, store writes, photos and
// labels. The effects that write to the store are OpenParcel, CommitInspection, CloseParcel,
// ReprintLabel, VoidInspection and AuditChange.

enum class MessageLevel
{
    Info,
    Warning,
    Error
};

struct OperatorMessage
{
    MessageLevel level = MessageLevel::Info;
    std::string text;
};

// Store the parcel and enqueue parcel.received (one transaction).
struct OpenParcel
{
    Parcel parcel;
};

struct CapturePhoto
{
    std::string inspectionId;
    std::string view;
};

// Store the inspection, its photos, its pending label and enqueue inspection.completed (one
// transaction); answer with CommitResult.
struct CommitInspection
{
    Inspection inspection;
    LabelRecord label;
};

struct PrintLabel
{
    LabelRecord label;
};

// Print a copy of a label already printed (CMD:REPRINT): a new job (its own id) for the same LPN.
struct ReprintLabel
{
    LabelRecord label;
    std::string originalJobId;
};

struct MissingLine
{
    std::string lineId;
    std::string sku;
    int missing = 0;
};

struct CloseParcel
{
    std::string parcelId;
    std::vector<std::string> findings; // "missing_item" when lines were not inspected
    std::vector<MissingLine> missing;
    std::string closedAt;
};

// Void a confirmed inspection of the open parcel (CMD:UNDO): the store marks it and its label
// void and enqueues inspection.voided (one transaction); answer with VoidResult. The label
// spooler drops the item's jobs not printed yet.
struct VoidInspection
{
    std::string inspectionId;
    std::string lpn;
    std::string operatorId;
    std::string at;
};

// A change with no record of its own (sign-in, sign-out, grade override) for the audit trail.
struct AuditChange
{
    std::string actor;
    std::string action; // operator.signed_in | operator.signed_out | grade.overridden
    std::string subject;
    nlohmann::json before;
    nlohmann::json after;
};

// What the workflow asks of the station: the station executes each through std::visit with one
// overload per alternative (app/effect_runner.cpp), so a new effect that is not executed does not
// compile.
using Effect = std::variant<OperatorMessage, OpenParcel, CapturePhoto, CommitInspection, PrintLabel,
                            CloseParcel, ReprintLabel, VoidInspection, AuditChange>;

// Overload set for std::visit: one lambda per alternative; without a catch-all a missing one does
// not compile.
template <class... F> struct Overloaded : F...
{
    using F::operator()...;
};

} // namespace retour::station
