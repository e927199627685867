#include "web/barcode_sheet.h"

#include "workflow/operator_input.h"

namespace retour::station {

std::vector<BarcodeSheetEntry> barcodeSheet(const RuleSet& rules)
{
    std::vector<BarcodeSheetEntry> sheet = {
        {"item", "CMD:CONFIRM", "Confirm item"},
        {"item", "CMD:NEXT", "Next expected item (no barcode)"},
        {"item", "CMD:ACCEPT", "Accept weight mismatch"},
        {"item", "CMD:SKIP", "Skip weighing"},
        {"item", "CMD:CANCEL", "Drop item"},
        {"item", "CMD:UNDO", "Undo last confirmed item"},
        {"item", "CMD:REPRINT", "Reprint last label"},
        {"item", std::string(kCameraReadInput), "Read the code under the camera"},
    };
    const char* functions[] = {"works", "minor fault", "major fault", "dead"};
    const char* cosmetics[] = {"like new", "light wear", "visible wear", "damaged"};
    for (int function = 0; function <= 3; ++function) {
        for (char cosmetic = 'A'; cosmetic <= 'D'; ++cosmetic) {
            sheet.push_back({"grade",
                             "CMD:GRADE:" + std::to_string(function) + ":" + std::string(1, cosmetic),
                             "Grade " + std::string(1, rules.grades.grade(function, cosmetic)) + ": " +
                                 functions[function] + ", " + cosmetics[cosmetic - 'A']});
        }
    }
    for (const auto& reason : rules.checklists.overrideReasons) {
        for (char grade = 'A'; grade <= 'E'; ++grade) {
            sheet.push_back({"override", "CMD:OVERRIDE:" + std::string(1, grade) + ":" + reason,
                             "Override to " + std::string(1, grade) + " (" + reason + ")"});
        }
    }
    for (const auto& question : rules.checklists.questions) {
        for (const char* answer : {"YES", "NO", "NA"}) {
            sheet.push_back({"checklist:" + question.category, "CMD:CHECK:" + question.id + ":" + answer,
                             question.text + " " + answer});
        }
    }
    for (const auto& reason : rules.checklists.skipPhotoReasons) {
        sheet.push_back({"photo", "CMD:SKIPPHOTO:" + reason, "Skip photos (" + reason + ")"});
    }
    sheet.push_back({"parcel", "CMD:CLOSE", "Close parcel"});
    sheet.push_back({"operator", "CMD:SIGNOUT", "Sign out"});
    return sheet;
}

} // namespace retour::station
