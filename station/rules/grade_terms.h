#pragma once

#include "app/error.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace retour::station {

// A grade in the terms of the channels an item is resold on (docs/protocols/returns-domain.md §2).
struct GradeTerms
{
    std::string retailer;
    std::string amazon; // empty: not listable on Amazon
    int ebayId = 0;
    std::string ebay;
    std::string ctia; // "CTIA functional 0, cosmetic A"
};

// The mapping of config/rules/grade_terms.toml: per retailer grade A..E, replaced field by field
// for items of a disposition listed under [disposition.<code>]. CTIA terms come from the two
// axes themselves. Thread contract: immutable after load; safe to share.
class GradeTermTable
{
public:
    // The terms of a graded item; disposition is the code ("restock_new", …).
    GradeTerms terms(char grade, int function, char cosmetic, std::string_view disposition) const;
    bool empty() const { return grades_.empty(); }

    struct Entry
    {
        std::optional<std::string> retailer;
        std::optional<std::string> amazon;
        std::optional<int> ebayId;
        std::optional<std::string> ebay;
    };
    std::map<char, Entry> grades_;
    std::map<std::string, Entry, std::less<>> dispositions_;
};

// Errors name FILE:LINE:COL (ErrorCode::Rules).
Result<GradeTermTable> loadGradeTerms(const std::filesystem::path& file);
Result<GradeTermTable> parseGradeTerms(std::string_view text, const std::filesystem::path& file);

} // namespace retour::station
