#pragma once

#include "app/source_error.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retour::central {

// Authorisation rules as data (docs/architecture.md "Rules as data", issue 7 "Authorisation by rules"): a
// TOML file of [[rule]] tables, evaluated top-down, the first rule whose every condition holds
// decides; the decision names the rule and where it is written. Format (rules/authorisation.toml):
//
//   version = "2026-11-26"          # recorded with each decision
//   default = "review"              # when no rule matches: approve | reject | review
//   [[rule]]
//   name = "apparel-window"         # unique
//   channel = ["portal", "store"]   # the return's channel is one of these
//   customer = ["a@example.com"]    # the customer's e-mail is one of these (allow / block lists)
//   category = ["apparel"]          # line conditions: a line of one of these categories …
//   sku = ["GIFT-CARD"]             # … of one of these SKUs …
//   non_returnable = true           # … whose catalogue item is marked not returnable
//   older_than_days = 30            # days since delivery (else since the order) exceed this
//   value_over = 500.0              # the value of the matching lines (all lines without line
//   quantity_over = 5               #   conditions) exceeds this; their quantity exceeds this
//   returns_at_least = 3            # the customer asked for this many returns …
//   within_days = 90                # … in the last N days (default 30)
//   then = "reject"                 # approve | reject | review
//   reason = "…"                    # required for reject and review: what the customer is told
enum class RuleOutcome
{
    Approve,
    Reject,
    Review,
};
std::string_view toString(RuleOutcome outcome);

struct AuthorisationRule
{
    std::string name;
    std::string source; // FILE:LINE:COL of its [[rule]]
    std::vector<std::string> channels, customers, categories, skus;
    bool nonReturnable = false;
    std::optional<std::int64_t> olderThanDays;
    std::optional<double> valueOver;
    std::optional<std::int64_t> quantityOver;
    std::optional<std::int64_t> returnsAtLeast;
    std::int64_t withinDays = 30;
    RuleOutcome then = RuleOutcome::Review;
    std::string reason;
};

struct RuleSet
{
    std::string file;
    std::string version;
    RuleOutcome fallback = RuleOutcome::Review;
    std::vector<AuthorisationRule> rules;
};

// Read and check a rules file; every problem (syntax, unknown key, wrong type, bad value, a
// duplicate name, reject/review without a reason) is a SourceError at FILE:LINE:COL. Reentrant.
SourceResult<RuleSet> loadRules(const std::filesystem::path& file);
SourceResult<RuleSet> parseRules(std::string_view text, std::string_view file);

// What the rules look at, gathered by the caller. Pure data.
struct RequestLine
{
    std::string sku;
    std::string category = "generic";
    std::int64_t quantity = 1;
    double unitPrice = 0;
    bool returnable = true; // the catalogue's flag
};
struct RequestFacts
{
    std::string channel;
    std::string customer; // e-mail, lower-case
    std::vector<RequestLine> lines;
    std::optional<std::int64_t> ageDays;       // since delivery (or order); nothing when unknown
    std::vector<std::int64_t> previousReturns; // when the customer's earlier returns were asked (epoch s)
    std::int64_t now = 0;                      // epoch s
};

struct RuleDecision
{
    RuleOutcome outcome = RuleOutcome::Review;
    std::string rule;   // the rule's name, "(default)" when none matched
    std::string source; // where the rule is written (the file for the default)
    std::string reason;
    std::string version;
};

// First match wins. Pure.
RuleDecision evaluate(const RuleSet& rules, const RequestFacts& facts);

// The rules in force: the last set that loaded without error. A failed reload keeps it.
//
// Thread contract: thread-bound (the central loop).
class RuleBook
{
public:
    explicit RuleBook(std::filesystem::path file, RuleSet initial)
        : file_(std::move(file)), current_(std::move(initial))
    {}

    const RuleSet& current() const { return current_; }
    // Read the file again; on error the current set stays and the error is returned.
    SourceResult<void> reload();

private:
    std::filesystem::path file_;
    RuleSet current_;
};

} // namespace retour::central
