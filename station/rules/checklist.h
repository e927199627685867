#pragma once

#include "app/error.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace retour::station {

// One question of a category checklist (config/rules/checklists.toml). An answer equal to
// `findingIf` adds `finding` to the item's findings, which the disposition rules can match (e.g.
// activation lock on → return to vendor).
struct ChecklistQuestion
{
    std::string id;
    std::string category;
    std::string text;
    bool required = false;
    std::string findingIf; // "yes" | "no" | "" (no finding)
    std::string finding;
    int line = 0;
};

// The checklists per category and the reason codes the operator picks from.
//
// Thread contract: immutable after loading; reentrant.
struct Checklists
{
    std::vector<ChecklistQuestion> questions;
    std::vector<std::string> overrideReasons;
    std::vector<std::string> skipPhotoReasons;
    std::filesystem::path file;

    // The category's questions, or "generic"'s when the category has none.
    std::vector<const ChecklistQuestion*> forCategory(std::string_view category) const;
    const ChecklistQuestion* find(std::string_view category, std::string_view id) const;
};

// Load checklists.toml:
//   override_reasons = ["hidden_damage", …]     skip_photo_reasons = ["item_too_large", …]
//   [[question]] category, id, text, required (bool), finding_if ("yes"|"no"), finding
// Errors name FILE:LINE:COL.
Result<Checklists> loadChecklists(const std::filesystem::path& file);
Result<Checklists> parseChecklists(std::string_view text, const std::filesystem::path& file);

} // namespace retour::station
