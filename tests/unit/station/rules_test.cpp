#include "rules/rules.h"

#include <gtest/gtest.h>

namespace retour::station {
namespace {

const std::filesystem::path kRulesFile =
    std::filesystem::path(RETOUR_SOURCE_DIR) / "config/rules/disposition.toml";

RuleFacts facts(char grade, std::string category = "electronics", std::string channel = "portal")
{
    RuleFacts f;
    f.grade = grade;
    f.function = 0;
    f.cosmetic = 'A';
    f.category = std::move(category);
    f.channel = std::move(channel);
    f.reason = "does_not_fit";
    f.value = 100.0;
    return f;
}

std::string errorOf(std::string_view text)
{
    auto rules = parseRules(text, "rules.toml");
    EXPECT_FALSE(rules.has_value());
    return rules ? std::string{} : rules.error().message;
}

TEST(Rules, FirstMatchWinsAndTheRuleIsRecorded)
{
    auto rules = parseRules(R"(
[[rule]]
name = "first"
when = { grade = ["A", "B"] }
disposition = "restock_new"
location = "A-01"

[[rule]]
name = "second"
when = { grade = ["A"] }
disposition = "open_box"
location = "B-01"

[[rule]]
name = "rest"
disposition = "quarantine"
location = "Q"
)",
                            "rules.toml");
    ASSERT_TRUE(rules.has_value()) << rules.error().message;
    const Decision a = rules->decide(facts('A'));
    EXPECT_EQ(a.rule, "first");
    EXPECT_EQ(a.disposition, Disposition::RestockNew);
    EXPECT_EQ(a.location, "A-01");
    const Decision c = rules->decide(facts('C'));
    EXPECT_EQ(c.rule, "rest");
    EXPECT_EQ(c.disposition, Disposition::Quarantine);
}

TEST(Rules, EveryConditionMustHold)
{
    auto rules = parseRules(R"(
[[rule]]
name = "pricey-defective-electronics"
when = { category = ["electronics"], reason = ["defective"], min_value = 50, max_value = 500, function = [1, 2], cosmetic = ["A"], channel = ["portal"] }
disposition = "return_to_vendor"
location = "V"

[[rule]]
name = "suspicious"
when = { findings = ["weight_mismatch", "wrong_item"] }
disposition = "quarantine"
location = "Q"
)",
                            "rules.toml");
    ASSERT_TRUE(rules.has_value()) << rules.error().message;
    RuleFacts f = facts('C');
    f.reason = "defective";
    f.function = 1;
    EXPECT_EQ(rules->decide(f).rule, "pricey-defective-electronics");
    f.value = 20.0;
    EXPECT_EQ(rules->decide(f).rule, std::string(RuleSet::kNoRuleMatched));
    f.value.reset(); // unknown value: a value condition cannot hold
    EXPECT_EQ(rules->decide(f).rule, std::string(RuleSet::kNoRuleMatched));
    f.findings = {"wrong_item"};
    EXPECT_EQ(rules->decide(f).rule, "suspicious");
}

TEST(Rules, UnknownDispositionNamesLineAndColumn)
{
    const auto message =
        errorOf("[[rule]]\nname = \"x\"\ndisposition = \"sell_on_ebay\"\nlocation = \"L\"\n");
    EXPECT_NE(message.find("rules.toml:3:15: rule \"x\": unknown disposition \"sell_on_ebay\""),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("restock_new"), std::string::npos) << message;
}

TEST(Rules, UnknownConditionKeyNamesLineAndColumn)
{
    const auto message = errorOf("[[rule]]\nname = \"x\"\nwhen = { colour = [\"red\"] }\ndisposition = "
                                 "\"recycle\"\nlocation = \"L\"\n");
    EXPECT_NE(message.find("rules.toml:3:10: unknown key \"colour\""), std::string::npos) << message;
}

TEST(Rules, WrongTypeNamesLineAndColumn)
{
    const auto message = errorOf(
        "[[rule]]\nname = \"x\"\nwhen = { grade = \"A\" }\ndisposition = \"recycle\"\nlocation = \"L\"\n");
    EXPECT_NE(message.find("rules.toml:3:18:"), std::string::npos) << message;
    EXPECT_NE(message.find("must be an array of strings, not a string"), std::string::npos) << message;
}

TEST(Rules, BadGradeLetterAndFunctionAreRefused)
{
    EXPECT_NE(
        errorOf("[[rule]]\nname = \"x\"\nwhen = { grade = [\"F\"] }\ndisposition = \"recycle\"\nlocation = "
                "\"L\"\n")
            .find("rules.toml:3:19:"),
        std::string::npos);
    EXPECT_NE(
        errorOf("[[rule]]\nname = \"x\"\nwhen = { function = [4] }\ndisposition = \"recycle\"\nlocation = "
                "\"L\"\n")
            .find("rules.toml:3:22:"),
        std::string::npos);
}

TEST(Rules, MissingFieldsAndDuplicateNamesAreRefused)
{
    EXPECT_NE(errorOf("[[rule]]\nname = \"x\"\nlocation = \"L\"\n").find("has no disposition"),
              std::string::npos);
    EXPECT_NE(errorOf("[[rule]]\nname = \"x\"\ndisposition = \"recycle\"\n").find("has no location"),
              std::string::npos);
    EXPECT_NE(errorOf("[[rule]]\nname = \"x\"\ndisposition = \"recycle\"\nlocation = \"L\"\n[[rule]]\nname = "
                      "\"x\"\ndisposition = \"recycle\"\nlocation = \"L\"\n")
                  .find("rules.toml:5:1: rule name \"x\" is used twice"),
              std::string::npos);
    EXPECT_NE(errorOf("[grades]\n0 = [\"A\"]\n").find("rules.toml:2:5:"), std::string::npos);
}

TEST(Rules, SyntaxErrorNamesLine)
{
    EXPECT_NE(errorOf("[[rule]\nname = 1\n").find("rules.toml:1:"), std::string::npos);
}

TEST(Grades, DefaultTableCombinesFunctionAndCosmetic)
{
    const GradeTable table;
    EXPECT_EQ(table.grade(0, 'A'), 'A');
    EXPECT_EQ(table.grade(0, 'B'), 'B');
    EXPECT_EQ(table.grade(0, 'C'), 'C');
    EXPECT_EQ(table.grade(1, 'A'), 'C');
    EXPECT_EQ(table.grade(2, 'D'), 'E');
    EXPECT_EQ(table.grade(3, 'A'), 'E');
    EXPECT_DOUBLE_EQ(table.tradeInFactor('A'), 1.0);
    EXPECT_DOUBLE_EQ(table.tradeInFactor('B'), 0.8);
    EXPECT_DOUBLE_EQ(table.tradeInFactor('C'), 0.5);
    EXPECT_DOUBLE_EQ(table.tradeInFactor('D'), 0.2);
    EXPECT_DOUBLE_EQ(table.tradeInFactor('E'), 0.0);
}

TEST(Grades, RulesFileOverridesTheTable)
{
    auto rules = parseRules(R"(
[grades]
1 = ["B", "B", "C", "D"]
[trade_in]
B = 0.7
[[rule]]
name = "all"
disposition = "quarantine"
location = "Q"
)",
                            "rules.toml");
    ASSERT_TRUE(rules.has_value()) << rules.error().message;
    EXPECT_EQ(rules->grades.grade(1, 'A'), 'B');
    EXPECT_EQ(rules->grades.grade(0, 'A'), 'A');
    EXPECT_DOUBLE_EQ(rules->grades.tradeInFactor('B'), 0.7);
}

TEST(Rules, PreprintedLabelFormatIsReadAndChecked)
{
    auto rules = parseRules(R"(
[preprinted_label]
prefixes = ["PP-", "RET/"]
pattern = "^RL[0-9]{4}$"

[[rule]]
name = "all"
disposition = "quarantine"
location = "Q"
)",
                            "rules.toml");
    ASSERT_TRUE(rules.has_value()) << rules.error().message;
    const auto& format = rules->preprintedLabel;
    EXPECT_TRUE(format.matches("PP-1"));
    EXPECT_TRUE(format.matches("RET/77"));
    EXPECT_TRUE(format.matches("RL1234"));
    EXPECT_FALSE(format.matches("RL12345")); // the whole text must match
    EXPECT_FALSE(format.matches("RMA-1"));

    const auto badRegex = errorOf("[preprinted_label]\npattern = \"([0-9\"\n[[rule]]\nname = \"x\"\n"
                                  "disposition = \"quarantine\"\nlocation = \"Q\"\n");
    EXPECT_NE(badRegex.find("rules.toml:2:11: [preprinted_label] pattern is not a valid regular expression"),
              std::string::npos)
        << badRegex;
    const auto empty = errorOf("[preprinted_label]\nprefixes = [\"\"]\n");
    EXPECT_NE(empty.find("rules.toml:2:12: [preprinted_label] prefixes: an empty prefix"), std::string::npos)
        << empty;
    const auto unknown = errorOf("[preprinted_label]\nprefix = [\"PP-\"]\n");
    EXPECT_NE(unknown.find("rules.toml:2:1"), std::string::npos) << unknown;
    EXPECT_NE(unknown.find("prefix"), std::string::npos) << unknown;
}

TEST(ShippedRules, LoadAndDecideTheDemoCases)
{
    auto rules = loadRules(kRulesFile);
    ASSERT_TRUE(rules.has_value()) << rules.error().message;
    EXPECT_EQ(rules->rules.back().name, "manual-review");
    EXPECT_TRUE(rules->rules.back().matches(RuleFacts{}));
    EXPECT_TRUE(rules->preprintedLabel.matches("PP-9900001"));

    EXPECT_EQ(rules->decide(facts('A')).disposition, Disposition::RestockNew);
    EXPECT_EQ(rules->decide(facts('B')).disposition, Disposition::OpenBox);

    RuleFacts apparel = facts(rules->grades.grade(0, 'C'), "apparel");
    apparel.cosmetic = 'C';
    EXPECT_EQ(rules->decide(apparel).disposition, Disposition::ResaleSecondHand);
    EXPECT_EQ(rules->decide(apparel).rule, "apparel-second-hand");

    RuleFacts defective = facts(rules->grades.grade(2, 'B'));
    defective.function = 2;
    defective.reason = "defective";
    EXPECT_EQ(rules->decide(defective).disposition, Disposition::ReturnToVendor);

    RuleFacts dead = facts(rules->grades.grade(3, 'D'));
    dead.function = 3;
    EXPECT_EQ(rules->decide(dead).disposition, Disposition::Recycle);

    RuleFacts swapped = facts('A');
    swapped.findings = {"weight_mismatch"};
    EXPECT_EQ(rules->decide(swapped).disposition, Disposition::Quarantine);

    EXPECT_EQ(rules->decide(facts('B', "electronics", "tradein")).disposition, Disposition::Refurbish);
}

} // namespace
} // namespace retour::station
