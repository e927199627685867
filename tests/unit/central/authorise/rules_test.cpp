// Authorisation rules: the TOML file with located errors, and the first-match evaluator.
#include "authorise/rules.h"
#include "tests/unit/central/fixtures.h"

#include <gtest/gtest.h>

namespace retour::central {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kNow = 1'800'000'000;

RuleSet exampleRules()
{
    auto rules = loadRules(RETOUR_CENTRAL_RULES "/authorisation.toml");
    EXPECT_TRUE(rules) << rules.error().format();
    return rules.value_or(RuleSet{});
}

RequestFacts facts(std::string category = "generic", double price = 20, std::int64_t quantity = 1)
{
    RequestFacts f;
    f.channel = "portal";
    f.customer = "ada@example.com";
    f.lines.push_back(RequestLine{"SKU-1", std::move(category), quantity, price, true});
    f.ageDays = 3;
    f.now = kNow;
    return f;
}

TEST(RulesTest, TheExampleFileLoads)
{
    const RuleSet rules = exampleRules();
    EXPECT_EQ(rules.version, "2026-11-26");
    EXPECT_EQ(rules.fallback, RuleOutcome::Approve);
    ASSERT_EQ(rules.rules.size(), 9u);
    EXPECT_EQ(rules.rules[0].name, "vip-customers");
    EXPECT_EQ(rules.rules[0].source, std::string(RETOUR_CENTRAL_RULES "/authorisation.toml") + ":9:1");
}

TEST(RulesTest, FirstMatchDecidesAndNamesTheRule)
{
    const RuleSet rules = exampleRules();
    auto decision = evaluate(rules, facts());
    EXPECT_EQ(decision.outcome, RuleOutcome::Approve);
    EXPECT_EQ(decision.rule, "(default)");

    auto old = facts("apparel");
    old.ageDays = 45; // apparel has 60 days, but the general 30-day window comes next
    decision = evaluate(rules, old);
    EXPECT_EQ(decision.outcome, RuleOutcome::Reject);
    EXPECT_EQ(decision.rule, "window");
    old.ageDays = 61;
    EXPECT_EQ(evaluate(rules, old).rule, "apparel-window");

    auto vip = old;
    vip.customer = "vip@example.com";
    EXPECT_EQ(evaluate(rules, vip).outcome, RuleOutcome::Approve);
    EXPECT_EQ(evaluate(rules, vip).rule, "vip-customers");

    auto blocked = facts();
    blocked.customer = "blocked@example.com";
    decision = evaluate(rules, blocked);
    EXPECT_EQ(decision.outcome, RuleOutcome::Reject);
    EXPECT_EQ(decision.reason, "returns for this account are handled by customer service; please call us");
    EXPECT_EQ(decision.version, "2026-11-26");
}

TEST(RulesTest, LineConditionsValueQuantityAndFrequency)
{
    const RuleSet rules = exampleRules();
    auto sealed = facts("electronics");
    sealed.lines[0].returnable = false;
    EXPECT_EQ(evaluate(rules, sealed).rule, "non-returnable-items");

    // The value limit counts the electronics lines only.
    auto mixed = facts("electronics", 600, 1);
    mixed.lines.push_back(RequestLine{"SOFA", "generic", 1, 900, true});
    EXPECT_EQ(evaluate(rules, mixed).rule, "(default)");
    mixed.lines[0].quantity = 2;
    EXPECT_EQ(evaluate(rules, mixed).rule, "high-value-electronics");
    EXPECT_EQ(evaluate(rules, mixed).outcome, RuleOutcome::Review);

    EXPECT_EQ(evaluate(rules, facts("generic", 1, 11)).rule, "bulk");

    auto frequent = facts();
    for (int i = 0; i < 5; ++i) {
        frequent.previousReturns.push_back(kNow - (10 + i * 20) * kDay); // 10 … 90 days ago
    }
    EXPECT_EQ(evaluate(rules, frequent).rule, "frequent-returner");
    frequent.previousReturns.back() = kNow - 91 * kDay;
    EXPECT_EQ(evaluate(rules, frequent).rule, "(default)");

    auto tradein = facts("electronics", 600);
    tradein.channel = "tradein";
    EXPECT_EQ(evaluate(rules, tradein).rule, "trade-in-value");
    tradein.channel = "portal";
    EXPECT_EQ(evaluate(rules, tradein).rule, "(default)");
}

TEST(RulesTest, ErrorsNameFileLineAndColumn)
{
    const auto error = [](std::string_view text) {
        auto rules = parseRules(text, "auth.toml");
        EXPECT_FALSE(rules);
        return rules ? std::string() : rules.error().format();
    };
    EXPECT_EQ(
        error("[[rule]]\nname = \"a\"\nthen = \"maybe\"\n"),
        "auth.toml:3:8: then in [[rule]] #1 (a) is \"maybe\"; use \"approve\", \"reject\" or \"review\"");
    EXPECT_EQ(error("[[rule]]\nname = \"a\"\nthen = \"reject\"\n"),
              "auth.toml:3:8: [[rule]] #1 (a) rejects or reviews without a reason; add reason = \"…\" (the "
              "customer and the reviewer read it)");
    EXPECT_EQ(
        error("[[rule]]\nname = \"a\"\nthen = \"approve\"\n\n[[rule]]\nname = \"a\"\nthen = \"approve\"\n"),
        "auth.toml:6:8: rule name \"a\" is used twice; names must be unique (decisions record them)");
    EXPECT_EQ(
        error("[[rule]]\nname = \"a\"\nchannel = [\"fax\"]\nthen = \"approve\"\n"),
        "auth.toml:3:11: channel \"fax\" in [[rule]] #1 (a) is unknown; use portal, customer_service, store, "
        "preprinted, unannounced or tradein");
    EXPECT_EQ(error("[[rule]]\nname = \"a\"\nolder_than_days = -1\nthen = \"approve\"\n"),
              "auth.toml:3:19: older_than_days in [[rule]] #1 (a) is negative; use 0 or more");
    EXPECT_EQ(error("[[rule]]\nname = \"a\"\nthen = \"approve\"\n"
                    "\n[[rule]]\nname = \"b\"\nvalue_over = \"lots\"\nthen = \"approve\"\n")
                  .substr(0, 15),
              "auth.toml:7:14:");
    EXPECT_EQ(error("[[rule]]\nname = \"a\"\nthen = \"approve\"\nwhen = 3\n").substr(0, 13), "auth.toml:4:1");
    EXPECT_EQ(error("[[rule]\n").substr(0, 24), "auth.toml:1:8: TOML synt");
}

TEST(RuleBookTest, AFailedReloadKeepsTheLastGoodSet)
{
    retour::test::TempDir dir;
    const auto file = dir / "auth.toml";
    test::writeFile(file, "version = \"1\"\ndefault = \"approve\"\n");
    auto first = loadRules(file);
    ASSERT_TRUE(first);
    RuleBook book(file, std::move(*first));
    test::writeFile(file, "version = \"2\"\ndefault = \"sometimes\"\n");
    auto refused = book.reload();
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().line, 2);
    EXPECT_EQ(book.current().version, "1");
    test::writeFile(file, "version = \"3\"\ndefault = \"review\"\n");
    ASSERT_TRUE(book.reload());
    EXPECT_EQ(book.current().version, "3");
    EXPECT_EQ(evaluate(book.current(), facts()).outcome, RuleOutcome::Review);
}

} // namespace
} // namespace retour::central
