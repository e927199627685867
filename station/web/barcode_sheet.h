#pragma once

#include "rules/rules.h"

#include <string>
#include <vector>

namespace retour::station {

// One command barcode of the printable sheet: the text the barcode carries and what it is called.
struct BarcodeSheetEntry
{
    std::string group; // "item", "grade", "override", "checklist:<category>", "photo", "parcel", "operator"
    std::string code;  // e.g. "CMD:CHECK:powers_on:YES"
    std::string label; // e.g. "Powers on? — yes"
};

// Every command an operator can scan, from the workflow's grammar (workflow/operator_input.h), the grade
// table, the checklists and the reason codes of the rules in force. The UI serves it as JSON.
std::vector<BarcodeSheetEntry> barcodeSheet(const RuleSet& rules);

} // namespace retour::station
