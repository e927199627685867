#pragma once

#include "retour/station/rules.h"

#include <string>
#include <vector>

namespace retour::station {

// One command barcode of the printable sheet: the text the barcode carries and what it is called.
struct CommandSheetEntry
{
    std::string group; // "item", "grade", "override", "checklist:<category>", "photo", "parcel", "operator"
    std::string code;  // e.g. "CMD:CHECK:powers_on:YES"
    std::string label; // e.g. "Powers on? — yes"
};

// Every command an operator can scan, from the workflow's grammar (operator_command.h), the grade
// table, the checklists and the reason codes of the rules in force. The UI serves it as JSON.
std::vector<CommandSheetEntry> commandSheet(const RuleSet& rules);

} // namespace retour::station
