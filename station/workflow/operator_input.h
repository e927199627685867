#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace retour::station {

// The operator's actions as command strings. A command barcode on the sheet, a button of the
// operator UI and a key of the keyboard all produce the same text, which reaches the workflow as a
// ScanInput and is parsed here, in one place. Grammar (case of the keyword is ignored; codes and
// reasons are lower-case tokens of [a-z0-9_-], at most 40 characters):
//
//   CMD:ACCEPT                       accept a weight mismatch (empty box? swapped item?)
//   CMD:SKIP                         continue without weighing (scale offline, item too large)
//   CMD:GRADE:<0-3>:<A-D>            function × cosmetic grade (CTIA-style two axes)
//   CMD:OVERRIDE:<A-E>:<reason>      replace the retailer grade the table gave; reason required
//   CMD:CHECK:<item>:<YES|NO|NA>     answer a checklist question (config/rules/checklists.toml)
//   CMD:SKIPPHOTO:<reason>           continue without the photos still missing for this item
//   CMD:SKIPPHOTO:<view>:<reason>    … without one view only
//   CMD:CONFIRM                      save the item (inspection + outbox event, one transaction)
//   CMD:NEXT                         inspect the next expected item of the return without
//                                    scanning it (items whose barcode is missing or unreadable)
//   CMD:UNDO                         void the last confirmed item of the open parcel
//   CMD:REPRINT                      print the last label again
//   CMD:CANCEL                       drop the current item, nothing saved
//   CMD:CLOSE                        close the parcel (missing lines become findings)
//   CMD:SIGNIN:<badge-or-pin>        sign the operator in (badge scan or PIN typed)
//   CMD:SIGNOUT                      sign the operator out
//   CMD:CAMERA                       read the code under the camera instead of the scanner
//                                    (kCameraReadInput: handled by the station, not parsed here)
namespace cmd {

enum class Answer
{
    Yes,
    No,
    NotApplicable,
};

struct Accept
{};
struct SkipWeight
{};
struct Grade
{
    int function = 0;
    char cosmetic = 'A';
};
struct Override
{
    char grade = 'A';
    std::string reason;
};
struct Check
{
    std::string item;
    Answer answer = Answer::Yes;
};
struct SkipPhoto
{
    std::string view; // empty: every view still missing
    std::string reason;
};
struct Confirm
{};
struct Next
{};
struct Undo
{};
struct Reprint
{};
struct Cancel
{};
struct Close
{};
struct SignIn
{
    std::string credential;
};
struct SignOut
{};

} // namespace cmd

using OperatorInput = std::variant<cmd::Accept, cmd::SkipWeight, cmd::Grade, cmd::Override, cmd::Check,
                                   cmd::SkipPhoto, cmd::Confirm, cmd::Next, cmd::Undo, cmd::Reprint,
                                   cmd::Cancel, cmd::Close, cmd::SignIn, cmd::SignOut>;

inline constexpr std::string_view kOperatorInputPrefix = "CMD:";

bool isOperatorInput(std::string_view text);

// Parse "CMD:…". The error is one sentence for the operator naming the command and its grammar.
std::expected<OperatorInput, std::string> parseOperatorInput(std::string_view text);

// A label the handheld scanner cannot read (creased, glossy, small) is read by the bench camera:
// the station takes a fresh still, reads its codes (camera_service.h) and feeds the one it finds to
// the workflow as a scan. The camera belongs to the station, so this command never reaches the
// workflow.
inline constexpr std::string_view kCameraReadInput = "CMD:CAMERA";

// The canonical text of a command (parseOperatorInput(formatOperatorInput(c)) == c).
std::string formatOperatorInput(const OperatorInput& command);

std::string_view toString(cmd::Answer answer); // "yes" | "no" | "na"

// The text as it may be logged or shown: a CMD:SIGNIN credential (badge or PIN) becomes "***";
// anything else is returned as is.
std::string redactCredential(std::string_view text);

// A reason code or checklist item id: [a-z0-9_-]{1,40}.
bool validToken(std::string_view token);

} // namespace retour::station
