#pragma once

#include "app/error.h"
#include "rules/checklist.h"
#include "rules/grade_terms.h"
#include "workflow/identify.h"

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::station {

// Disposition codes of docs/messages.md.
enum class Disposition
{
    RestockNew,
    OpenBox,
    Refurbish,
    ResaleSecondHand,
    ReturnToVendor,
    Donate,
    Recycle,
    Destroy,
    Quarantine,
};
std::string_view toString(Disposition disposition);
std::optional<Disposition> parseDisposition(std::string_view code);

// Retailer grade A..E from the function scale (0 works, 1 minor fault, 2 major fault, 3 dead) and
// the cosmetic scale (A like new, B light wear, C visible wear, D damaged), after the CTIA
// two-scale idea (docs/protocols/returns-domain.md §2). Also the trade-in re-pricing factor per grade.
class GradeTable
{
public:
    // The built-in table, used when the rules file has no [grades].
    GradeTable();

    static bool validFunction(int function) { return function >= 0 && function <= 3; }
    static bool validCosmetic(char cosmetic) { return cosmetic >= 'A' && cosmetic <= 'D'; }
    static bool validGrade(char grade) { return grade >= 'A' && grade <= 'E'; }

    // Requires validFunction and validCosmetic.
    char grade(int function, char cosmetic) const;
    void set(int function, char cosmetic, char grade);

    // Share of the provisional trade-in value paid at this grade (A 1.0 … E 0.0).
    double tradeInFactor(char grade) const;
    void setTradeInFactor(char grade, double factor);

private:
    std::array<std::array<char, 4>, 4> table_;
    std::array<double, 5> tradeIn_;
};

// What a rule can look at for one item.
struct RuleFacts
{
    char grade = 'E';
    int function = 0;
    char cosmetic = 'A';
    std::string category;
    std::string channel;
    std::string reason;
    std::optional<double> value; // unit price; conditions on value fail when unknown
    std::vector<std::string> findings;
};

// One [[rule]]: every condition present must hold (lists: the fact is one of the values;
// findings: the item has at least one of them). A rule without conditions matches everything.
struct Rule
{
    std::string name;
    std::vector<char> grades;
    std::vector<int> functions;
    std::vector<char> cosmetics;
    std::vector<std::string> categories;
    std::vector<std::string> channels;
    std::vector<std::string> reasons;
    std::optional<double> minValue;
    std::optional<double> maxValue;
    std::vector<std::string> findings;
    Disposition disposition = Disposition::Quarantine;
    std::string location;
    int line = 0;

    bool matches(const RuleFacts& facts) const;
};

struct Decision
{
    Disposition disposition = Disposition::Quarantine;
    std::string location;
    std::string rule;
};

// Disposition rules evaluated top-down, first match wins; the decision names the rule.
//
// Thread contract: immutable after loading; reentrant.
class RuleSet
{
public:
    // The rule name reported when no rule matched (a rules file should end with a catch-all).
    static constexpr std::string_view kNoRuleMatched = "no-rule-matched";

    GradeTable grades;
    std::vector<Rule> rules;
    Checklists checklists;                 // [rules] checklists of the station config; empty: no questions
    GradeTermTable gradeTerms;             // [rules] grade_terms of the station config
    PreprintedLabelFormat preprintedLabel; // [preprinted_label]; empty: none recognised without an RMA
    std::filesystem::path file;

    Decision decide(const RuleFacts& facts) const;
};

// Load a rules file (config/rules/disposition.toml):
//   [grades]   0 = ["A","B","C","C"] … 3 = [...]     (optional; cosmetic A..D per function row)
//   [trade_in] A = 1.0  B = 0.8 …                   (optional)
//   [preprinted_label] prefixes = ["PP-"], pattern = "regex"   (optional; identify.h)
//   [[rule]]   name, when = {grade, function, cosmetic, category, channel, reason, min_value,
//              max_value, findings}, disposition, location
// Errors (syntax, unknown keys, unknown codes, wrong types) name FILE:LINE:COL.
Result<RuleSet> loadRules(const std::filesystem::path& file);
Result<RuleSet> parseRules(std::string_view text, const std::filesystem::path& file);

} // namespace retour::station
